package dev.srv6sh.dataplane;

import static dev.srv6sh.dataplane.Packets.concat;
import static dev.srv6sh.dataplane.Packets.range;
import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RFC 8986 §4.9 End.DX2 and §5.3-5.4 H.Encaps.L2[.Red]: frames carried whole behind next header 143,
 * byte for byte, and one router's H.Encaps.L2 undone by another's End.DX2.
 */
class Layer2Test {
    static final byte[] HOST_A = {2, 0, 0, 0, 0, (byte) 0xaa};
    static final byte[] HOST_B = {2, 0, 0, 0, 0, (byte) 0xbb};

    /** A frame between two hosts of the attachment circuit: IPv4/UDP, nothing addressed to the router. */
    static byte[] customerFrame() {
        return Packets.ethernet(HOST_B, HOST_A, 0x0800, Packets.udp4("192.0.2.10", "192.0.2.20", 64, true, 18));
    }

    /** End.DX2 SID a3::d2 sending frames out of {@code in}. */
    static DataplaneConfig dx2() {
        return Harness.config(
                List.of(new DataplaneConfig.Sid(
                        "d2", Addresses.parse6("a3::d2"), "End.DX2", Map.of("oif", DataplaneConfig.Arg.of("in")))),
                List.of(),
                List.of());
    }

    /** Frames received on {@code in} are steered into policy p (a4::, a5::, a6::d2). */
    static DataplaneConfig l2Headend(PolicyMode mode) {
        return Harness.config(
                List.of(),
                List.of(Harness.policy("p", mode, "a4::", "a5::", "a6::d2")),
                List.of(DataplaneConfig.Steer.l2("in", "p")));
    }

    private static byte[] onlyFrameIn(Harness h) {
        assertThat(h.out).isEmpty();
        assertThat(h.in).hasSize(1);
        return h.in.getFirst();
    }

    @Test
    void endDx2SendsTheInnerFrameOutOfItsInterfaceUnchanged() throws Exception {
        byte[] frame = customerFrame();
        try (Harness h = new Harness(dx2())) {
            h.send(Packets.ip6("2001:db8:9::1", "a3::d2", 64, 43, Packets.srh(143, 0, frame, "a3::d2", "a5::")));
            assertThat(onlyFrameIn(h)).isEqualTo(frame);
            h.in.clear();
            h.send(Packets.ip6("2001:db8:9::1", "a3::d2", 64, 143, frame)); // no SRH
            assertThat(onlyFrameIn(h)).isEqualTo(frame);
            assertThat(h.engine.counters().sids().getFirst().packets()).isEqualTo(2);
            h.assertBalanced();
        }
    }

    @Test
    void endDx2RefusesAnythingButEthernetAndSegmentsLeft() throws Exception {
        try (Harness h = new Harness(dx2())) {
            byte[] inner6 = Packets.udp6("2001:db8:9::1", "2001:db8:9::2", 64, 8);
            byte[] wrongNh = Packets.ip6("2001:db8:9::1", "a3::d2", 64, 43, Packets.srh(41, 0, inner6, "a3::d2"));
            h.send(wrongNh); // M21: IPv6 inside an End.DX2 SID
            byte[] slOne = Packets.ip6(
                    "2001:db8:9::1", "a3::d2", 64, 43, Packets.srh(143, 1, customerFrame(), "a5::", "a3::d2"));
            h.send(slOne);
            assertThat(h.out).hasSize(2);
            byte[] code4 = range(h.out.get(0), 14, h.out.get(0).length);
            IcmpErrorTest.assertError(code4, 4, 4, 40 + 24, wrongNh);
            byte[] code0 = range(h.out.get(1), 14, h.out.get(1).length);
            IcmpErrorTest.assertError(code0, 4, 0, 43, slOne);
            Counters c = h.engine.counters();
            assertThat(c.get("end-dx2", "the inner packet's type is not one the behavior decapsulates"))
                    .isEqualTo(1);
            assertThat(c.get("end-dx2", "decapsulation with segments left > 0")).isEqualTo(1);
            h.assertBalanced();
        }
    }

    @Test
    void endDx2DropsAFrameBiggerThanItsInterface() throws Exception {
        byte[] big = Packets.ethernet(
                HOST_B, HOST_A, 0x86dd, Packets.udp6("2001:db8:9::1", "2001:db8:9::2", 64, 1460)); // 1508 B
        try (Harness h = new Harness(dx2())) {
            h.send(Packets.ip6("2001:db8:9::1", "a3::d2", 64, 143, big));
            assertThat(h.in).isEmpty();
            assertThat(h.engine
                            .counters()
                            .get("end-dx2", "decapsulated frame larger than the outgoing interface's MTU"))
                    .isEqualTo(1);
            h.assertBalanced();
        }
    }

    @Test
    void hEncapsL2CarriesTheWholeFrameBehindNextHeader143() throws Exception {
        byte[] frame = customerFrame();
        try (Harness h = new Harness(l2Headend(PolicyMode.ENCAP_L2))) {
            h.engine
                    .port("in", MemoryPort.class)
                    .inject(frame); // not addressed to the router: an attachment circuit takes all
            h.engine.poll();
            byte[] out = VectorTest.maskFlowLabel(h.onlyOut());
            String expected = VectorTest.hex(concat(Packets.ip6(
                    "a3::",
                    "a4::",
                    64,
                    43,
                    Packets.srh(143, 2, frame, "a6::d2", "a5::", "a4::")))); // flow label masked below
            assertThat(VectorTest.hex(out)).isEqualTo(expected);
            assertThat(out.length).isEqualTo(40 + 8 + 48 + frame.length);
            h.assertBalanced();
        }
    }

    @Test
    void hEncapsL2RedLeavesTheFirstSidOutOfTheSrh() throws Exception {
        byte[] frame = customerFrame();
        try (Harness h = new Harness(l2Headend(PolicyMode.ENCAP_L2_RED))) {
            h.engine.port("in", MemoryPort.class).inject(frame);
            h.engine.poll();
            byte[] out = VectorTest.maskFlowLabel(h.onlyOut());
            byte[] srh = range(out, 40, 80);
            assertThat(VectorTest.hex(range(out, 24, 40))).isEqualTo(VectorTest.hex(Packets.addr("a4::")));
            // two entries, SL 2 = LE + 1: the reduced SRH of RFC 8986 §5.2
            assertThat(VectorTest.hex(srh))
                    .isEqualTo(VectorTest.hex(Packets.srh(143, 2, new byte[0], "a6::d2", "a5::")));
            assertThat(srh[3]).as("segments left").isEqualTo((byte) 2);
            assertThat(srh[4]).as("last entry").isEqualTo((byte) 1);
            assertThat(range(out, 80, out.length)).isEqualTo(frame);
            h.assertBalanced();
        }
    }

    @Test
    void aFrameEncapsulatedByOneRouterLeavesTheOtherAsItCame() throws Exception {
        byte[] frame = customerFrame();
        DataplaneConfig single = Harness.config(
                List.of(),
                List.of(Harness.policy("p", PolicyMode.ENCAP_L2_RED, "a3::d2")),
                List.of(DataplaneConfig.Steer.l2("in", "p")));
        try (Harness a = new Harness(single);
                Harness b = new Harness(dx2())) {
            a.engine.port("in", MemoryPort.class).inject(frame);
            a.engine.poll();
            byte[] tunnel = a.onlyOut();
            assertThat(tunnel[6])
                    .as("one SID, reduced: no SRH, next header 143")
                    .isEqualTo((byte) 143);
            b.send(tunnel);
            assertThat(onlyFrameIn(b)).isEqualTo(frame);
            a.assertBalanced();
            b.assertBalanced();
        }
    }
}
