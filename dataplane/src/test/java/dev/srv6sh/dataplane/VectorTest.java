package dev.srv6sh.dataplane;

import static dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode.ENCAP;
import static dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode.ENCAP_RED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.dataplane.proto.Checksum;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared byte-exact vectors (reliability.md §(b)), each through a real engine. */
class VectorTest {

    private static DataplaneConfig dx4Router() {
        // V4's inner destination 4.1.1.123 is a neighbor on a connected subnet of 'out'.
        DataplaneConfig base =
                Harness.config(List.of(Harness.sid("a3::c4", "End.DX4", "4.1.1.123")), List.of(), List.of());
        return new DataplaneConfig(
                "test",
                List.of(
                        Harness.iface("in", Harness.IN_MAC, "2001:db8:1::1/64"),
                        Harness.iface("out", Harness.OUT_MAC, "4.1.1.1/24")),
                List.of(),
                List.of(new DataplaneConfig.Neighbor(Addresses.parse("4.1.1.123"), Harness.PEER_MAC, "out")),
                base.sids(),
                List.of(),
                List.of(),
                base.encap());
    }

    @Test
    void v4EndDx4DecapsulatesAndDecrementsTheInnerTtl() throws Exception {
        try (Harness h = new Harness(dx4Router())) {
            h.send(Vectors.get("V4_EndDX4_in"));
            byte[] out = h.onlyOut();
            assertThat(HexFormat.of().formatHex(out)).isEqualTo(HexFormat.of().formatHex(Vectors.get("V4_EndDX4_out")));
            assertThat(out[8]).isEqualTo((byte) 63);
            assertThat(((out[10] & 0xff) << 8) | (out[11] & 0xff)).isEqualTo(0xfa4a);
            assertThat(h.engine.counters().sids().getFirst().packets()).isEqualTo(1);
            h.assertBalanced();
        }
    }

    @Test
    void v5HEncapsPushesIpv6AndSrhAndDecrementsTheInnerHopLimit() throws Exception {
        DataplaneConfig c = Harness.config(
                List.of(),
                List.of(Harness.policy("p", ENCAP, "a4::", "a5::", "a6::c7")),
                List.of(new DataplaneConfig.Steer(0, Prefix.parse("a7::/64"), "p")));
        try (Harness h = new Harness(c)) {
            h.send(Vectors.get("V5_HEncaps_in"));
            byte[] out = h.onlyOut();
            byte[] want = Vectors.get("V5_HEncaps_out");
            assertThat(hex(maskFlowLabel(out))).isEqualTo(hex(maskFlowLabel(want)));
            h.assertBalanced();
        }
    }

    @Test
    void v5bHEncapsOfIpv4CarriesNextHeader4AndAValidInnerChecksum() throws Exception {
        byte[] inner = Arrays.copyOf(Vectors.get("V4_EndDX4_out"), 36);
        inner[8] = 64; // the V4 inner packet as it was before: TTL 64
        inner[10] = (byte) 0xf9;
        inner[11] = 0x4a;
        DataplaneConfig c = Harness.config(
                List.of(),
                List.of(Harness.policy("p", ENCAP, "a4::", "a5::", "a6::c7")),
                List.of(new DataplaneConfig.Steer(0, Prefix.parse("4.1.1.0/24"), "p")));
        try (Harness h = new Harness(c)) {
            h.send(inner);
            byte[] out = h.onlyOut();
            assertThat(out[6]).isEqualTo((byte) 43);
            assertThat(out[40]).as("SRH next header").isEqualTo((byte) 4);
            assertThat(out[43]).as("segments left").isEqualTo((byte) 2);
            byte[] got = Arrays.copyOfRange(out, 96, out.length);
            assertThat(got[8]).isEqualTo((byte) 63);
            assertThat(Checksum.sum(MemorySegment.ofArray(got), 0, 20)).isEqualTo(0xffff);
            assertThat(hex(got)).isEqualTo(hex(Vectors.get("V4_EndDX4_out")));
            h.assertBalanced();
        }
    }

    @Test
    void v6HEncapsRedLeavesTheFirstSidOutOfTheSrh() throws Exception {
        byte[] want = Vectors.get("V6_HEncapsRed_out");
        byte[] inner = Arrays.copyOfRange(want, 80, want.length);
        inner[7] = 64;
        DataplaneConfig c = new DataplaneConfig(
                "test",
                Harness.interfaces(),
                Harness.defaults(),
                Harness.neighbors(),
                List.of(),
                List.of(Harness.policy("red", ENCAP_RED, "fcff:3::e", "fcff:4::e", "fcff:2::d46")),
                List.of(new DataplaneConfig.Steer(0, Prefix.parse("cafe::/64"), "red")),
                new DataplaneConfig.Encap(Addresses.parse6("fcf0:0:1:3::1"), 64));
        try (Harness h = new Harness(c)) {
            h.send(inner);
            assertThat(hex(maskFlowLabel(h.onlyOut()))).isEqualTo(hex(maskFlowLabel(want)));
            h.assertBalanced();
        }
    }

    @Test
    void v1EndAdvancesToTheNextSegment() throws Exception {
        try (Harness h = new Harness(Harness.config(List.of(Harness.sid("a3::", "End", null)), List.of(), List.of()))) {
            h.send(Vectors.get("V1_End_in"));
            assertThat(hex(h.onlyOut())).isEqualTo(hex(Vectors.get("V1_End_out")));
            h.assertBalanced();
        }
    }

    @Test
    void malformedSrhsAndExpiredHopLimitsAreDroppedWithTheirReason() throws Exception {
        DataplaneConfig c = Harness.config(
                List.of(Harness.sid("a3::", "End", null), Harness.sid("a1::1", "End", null)), List.of(), List.of());
        try (Harness h = new Harness(c)) {
            h.send(Vectors.get("V7_SLgtLE1_in"));
            h.send(Vectors.get("V8_LEgtMax_in"));
            h.send(Vectors.get("V9_plenTooSmall_in"));
            h.send(Vectors.get("V10_hlim1_in"));
            // V7, V8 and V10 are answered with ICMPv6 errors (IcmpErrorTest checks them); V9 is only dropped
            assertThat(h.out).hasSize(3);
            assertThat(h.out).allMatch(f -> f[14 + 6] == 58);
            Counters k = h.engine.counters();
            assertThat(k.get("end", "SRH segments left or last entry out of range"))
                    .isEqualTo(2);
            assertThat(k.get("sr-localsid", "extension headers run past the packet"))
                    .isEqualTo(1);
            assertThat(k.get("end", "hop limit exceeded")).isEqualTo(1);
            // valid traffic afterwards is unaffected
            h.send(Vectors.get("V1_End_in"));
            assertThat(h.out).hasSize(4);
            h.assertBalanced();
        }
    }

    static byte[] maskFlowLabel(byte[] p) {
        byte[] c = p.clone();
        c[1] &= (byte) 0xf0;
        c[2] = 0;
        c[3] = 0;
        return c;
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
