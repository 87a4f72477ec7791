package dev.srv6sh.dataplane;

import static dev.srv6sh.dataplane.Packets.range;
import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.DataplaneConfig.Flavor;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * RFC 9800 §4.1 End and §4.2 End.X with the NEXT-CSID flavor: the argument shifts over the C-SID
 * while it is non-zero (SL untouched), the SRH takes over when the container is spent, and the hop
 * limit is checked and decremented on both paths.
 */
class NextCsidTest {
    static DataplaneConfig.Sid csid(String addr, String b, String nh, Set<Flavor> flavors, int lbl, int lnfl) {
        Set<Flavor> all = new java.util.HashSet<>(flavors);
        all.add(Flavor.NEXT_CSID);
        return new DataplaneConfig.Sid("u", Addresses.parse6(addr), b, Harness.args(nh, 0, null))
                .withFlavors(all)
                .withCsid(new DataplaneConfig.CsidFormat(lbl, lnfl));
    }

    static DataplaneConfig router(DataplaneConfig.Sid sid) {
        return Harness.config(List.of(sid), List.of(), List.of());
    }

    private static byte[] udpTo(String dst, int hopLimit) {
        return Packets.udp6("2001:db8:9::1", dst, hopLimit, 8);
    }

    private static String da(byte[] ip) {
        return VectorTest.hex(range(ip, 24, 40));
    }

    private static String hex(String addr) {
        return VectorTest.hex(Packets.addr(addr));
    }

    @Test
    void theArgumentShiftsOverTheCsidWithoutAnSrh() throws Exception {
        // anchors d.8.6: fcbb:0:0400:0300:0200:d46:: → fcbb:0:300:200:d46:: (LBL 32, LNFL 16)
        try (Harness h = new Harness(router(csid("fcbb:0:400::", "End", null, Set.of(), 32, 16)))) {
            byte[] in = udpTo("fcbb:0:400:300:200:d46::", 64);
            h.send(in);
            byte[] out = h.onlyOut();
            byte[] expected = udpTo("fcbb:0:300:200:d46::", 63);
            assertThat(VectorTest.hex(out)).isEqualTo(VectorTest.hex(expected));
            assertThat(h.engine.counters().sids().getFirst().packets()).isEqualTo(1);
            h.assertBalanced();
        }
    }

    @Test
    void vppUn16Example() throws Exception {
        try (Harness h = new Harness(router(csid("1111:2222:aaaa::", "End", null, Set.of(), 32, 16)))) {
            h.send(udpTo("1111:2222:aaaa:bbbb:cccc:dddd:eeee:ffff", 64));
            assertThat(da(h.onlyOut())).isEqualTo(hex("1111:2222:bbbb:cccc:dddd:eeee:ffff:0"));
            h.assertBalanced();
        }
    }

    @Test
    void otherLengthsShiftByTheirOwnCsid() throws Exception {
        // LBL 48, LNFL 8: one octet C-SIDs
        try (Harness h = new Harness(router(csid("fc00:0:1:ab00::", "End", null, Set.of(), 48, 8)))) {
            h.send(udpTo("fc00:0:1:abcd:ef00::", 64));
            assertThat(da(h.onlyOut())).isEqualTo(hex("fc00:0:1:cdef::"));
        }
        // LBL 16, LNFL 64: the shift crosses the middle of the address
        try (Harness h = new Harness(router(csid("fc00:1111:2222:3333:4444::", "End", null, Set.of(), 16, 64)))) {
            h.send(udpTo("fc00:1111:2222:3333:4444:5555:6666:7777", 64));
            assertThat(da(h.onlyOut())).isEqualTo(hex("fc00:5555:6666:7777::"));
        }
    }

    @Test
    void aSpentContainerTakesTheNextSegmentFromTheSrh() throws Exception {
        // anchors d.8.6: DA fcbb:0:400:: (argument 0) + SRH [fcff:2::d46] → DA fcff:2::d46, SL 0
        try (Harness h = new Harness(router(csid("fcbb:0:400::", "End", null, Set.of(), 32, 16)))) {
            byte[] udp = Packets.udp(8);
            h.send(Packets.ip6(
                    "2001:db8:9::1", "fcbb:0:400::", 64, 43, Packets.srh(17, 1, udp, "fcff:2::d46", "fcbb:0:400::")));
            byte[] expected = Packets.ip6(
                    "2001:db8:9::1", "fcff:2::d46", 63, 43, Packets.srh(17, 0, udp, "fcff:2::d46", "fcbb:0:400::"));
            assertThat(VectorTest.hex(h.onlyOut())).isEqualTo(VectorTest.hex(expected));
            h.assertBalanced();
        }
    }

    @Test
    void withAnSrhTheArgumentStillComesFirstAndSegmentsLeftStays() throws Exception {
        try (Harness h = new Harness(router(csid("fcbb:0:400::", "End", null, Set.of(), 32, 16)))) {
            byte[] udp = Packets.udp(8);
            h.send(Packets.ip6(
                    "2001:db8:9::1",
                    "fcbb:0:400:300::",
                    64,
                    43,
                    Packets.srh(17, 1, udp, "fcff:2::d46", "fcbb:0:400:300::")));
            byte[] expected = Packets.ip6(
                    "2001:db8:9::1",
                    "fcbb:0:300::",
                    63,
                    43,
                    Packets.srh(17, 1, udp, "fcff:2::d46", "fcbb:0:400:300::"));
            assertThat(VectorTest.hex(h.onlyOut())).isEqualTo(VectorTest.hex(expected));
            h.assertBalanced();
        }
    }

    @Test
    void pspPopsTheSrhWhenTheLastContainerIsCopiedIn() throws Exception {
        try (Harness h = new Harness(router(csid("fcbb:0:400::", "End", null, Set.of(Flavor.PSP), 32, 16)))) {
            byte[] udp = Packets.udp(8);
            h.send(Packets.ip6(
                    "2001:db8:9::1",
                    "fcbb:0:400::",
                    64,
                    43,
                    Packets.srh(17, 1, udp, "fcbb:0:300:200::", "fcbb:0:400::")));
            assertThat(VectorTest.hex(h.onlyOut()))
                    .isEqualTo(VectorTest.hex(Packets.ip6("2001:db8:9::1", "fcbb:0:300:200::", 63, 17, udp)));
            h.assertBalanced();
        }
    }

    @Test
    void hopLimitOneIsTimeExceededOnTheArgumentPath() throws Exception {
        try (Harness h = new Harness(router(csid("fcbb:0:400::", "End", null, Set.of(), 32, 16)))) {
            byte[] in = udpTo("fcbb:0:400:300::", 1);
            h.send(in);
            IcmpErrorTest.assertError(h.onlyOut(), 3, 0, 0, in);
            assertThat(h.engine.counters().get("end", "hop limit exceeded")).isEqualTo(1);
            h.assertBalanced();
        }
    }

    @Test
    void aSpentContainerWithoutAnSrhIsUpperLayerProcessing() throws Exception {
        try (Harness h = new Harness(router(csid("fcbb:0:400::", "End", null, Set.of(), 32, 16)))) {
            byte[] in = udpTo("fcbb:0:400::", 64);
            h.send(in);
            IcmpErrorTest.assertError(h.onlyOut(), 4, 4, 40, in); // RFC 8986 §4.1.1: UDP not allowed here
            h.assertBalanced();
        }
    }

    @Test
    void endXWithNextCsidShiftsThenLeavesByItsAdjacency() throws Exception {
        DataplaneConfig c = BehaviorTest.config(csid("fcbb:0:400::", "End.X", "2001:db8:1::2", Set.of(), 32, 16));
        try (Harness h = new Harness(c)) {
            h.send(udpTo("fcbb:0:400:300::", 64));
            byte[] out = BehaviorTest.onlyIn(h);
            assertThat(VectorTest.hex(out)).isEqualTo(VectorTest.hex(udpTo("fcbb:0:300::", 63)));
            h.assertBalanced();
        }
    }
}
