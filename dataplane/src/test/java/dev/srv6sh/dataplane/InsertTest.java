package dev.srv6sh.dataplane;

import static dev.srv6sh.dataplane.Packets.range;
import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode;
import dev.srv6sh.dataplane.config.Prefix;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * H.Insert, H.Insert.Red, End.B6.Insert and End.B6.Insert.Red (draft-filsfils-spring-srv6-net-pgm-
 * insertion), byte for byte: the SRH goes between the IPv6 header and the rest, which is untouched.
 */
class InsertTest {
    static DataplaneConfig headend(PolicyMode mode) {
        return Harness.config(
                List.of(),
                List.of(Harness.policy("p", mode, "a4::", "a5::", "a6::c7")),
                List.of(new DataplaneConfig.Steer(0, Prefix.parse("a7::/64"), "p")));
    }

    static DataplaneConfig bound(String behavior) {
        return Harness.config(
                List.of(new DataplaneConfig.Sid("b6", Addresses.parse6("a3::"), behavior, Harness.args(null, 0, "b"))),
                List.of(Harness.policy("b", PolicyMode.INSERT, "a8::", "a9::")),
                List.of());
    }

    /** V5's input (1234::1 → a7::1234, UDP) with the given SRH inserted and DA a4::, hop limit 63. */
    private static byte[] v5With(int segmentsLeft, String... list) {
        byte[] in = Vectors.get("V5_HEncaps_in");
        byte[] udp = range(in, 40, in.length);
        return Packets.ip6("1234::1", "a4::", 63, 43, Packets.srh(17, segmentsLeft, udp, list));
    }

    @Test
    void hInsertKeepsTheOriginalDestinationAsTheLastSegment() throws Exception {
        try (Harness h = new Harness(headend(PolicyMode.INSERT))) {
            h.send(Vectors.get("V5_HEncaps_in"));
            assertThat(VectorTest.hex(h.onlyOut()))
                    .isEqualTo(VectorTest.hex(v5With(3, "a7::1234", "a6::c7", "a5::", "a4::")));
            h.assertBalanced();
        }
    }

    @Test
    void hInsertRedLeavesTheFirstSidInTheDestinationOnly() throws Exception {
        try (Harness h = new Harness(headend(PolicyMode.INSERT_RED))) {
            h.send(Vectors.get("V5_HEncaps_in"));
            byte[] out = h.onlyOut();
            assertThat(VectorTest.hex(out)).isEqualTo(VectorTest.hex(v5With(3, "a7::1234", "a6::c7", "a5::")));
            assertThat(out[40 + 4]).as("last entry 2, segments left 3").isEqualTo((byte) 2);
            h.assertBalanced();
        }
    }

    @Test
    void hInsertInFrontOfAReceivedSrhStacksTheNewOneFirst() throws Exception {
        try (Harness h = new Harness(headend(PolicyMode.INSERT))) {
            byte[] inner = Packets.srh(17, 1, Packets.udp(8), "a7::2", "a7::1");
            h.send(Packets.ip6("1234::1", "a7::1", 64, 43, inner));
            byte[] expected = Packets.ip6(
                    "1234::1", "a4::", 63, 43, Packets.srh(43, 3, inner, "a7::1", "a6::c7", "a5::", "a4::"));
            assertThat(VectorTest.hex(h.onlyOut())).isEqualTo(VectorTest.hex(expected));
            h.assertBalanced();
        }
    }

    @Test
    void hInsertAnswersAnExpiringHopLimitAboutThePacketAsReceived() throws Exception {
        try (Harness h = new Harness(headend(PolicyMode.INSERT))) {
            byte[] in = Vectors.get("V5_HEncaps_in");
            in[7] = 1;
            h.send(in);
            IcmpErrorTest.assertError(h.onlyOut(), 3, 0, 0, in);
            assertThat(h.engine.counters().get("sr-policy-rewrite-insert", "hop limit exceeded"))
                    .isEqualTo(1);
            h.assertBalanced();
        }
    }

    @Test
    void endB6InsertPushesThePolicyInFrontOfTheReceivedSrhWhichItLeavesAlone() throws Exception {
        try (Harness h = new Harness(bound("End.B6.Insert"))) {
            byte[] in = Vectors.get("V1_End_in"); // DA a3::, SRH (a5::, a4::, a3::; SL 2)
            h.send(in);
            byte[] rest = range(in, 40, in.length); // the received SRH, still SL 2, and the inner packet
            byte[] expected = Packets.ip6("1234::1", "a8::", 63, 43, Packets.srh(43, 1, rest, "a9::", "a8::"));
            assertThat(VectorTest.hex(h.onlyOut())).isEqualTo(VectorTest.hex(expected));
            assertThat(h.engine.counters().sids().getFirst().packets()).isEqualTo(1);
            h.assertBalanced();
        }
    }

    @Test
    void endB6InsertRedInsertsTheReducedSrh() throws Exception {
        try (Harness h = new Harness(bound("End.B6.Insert.Red"))) {
            byte[] in = Vectors.get("V1_End_in");
            h.send(in);
            byte[] out = h.onlyOut();
            byte[] srh = range(out, 40, 64);
            assertThat(VectorTest.hex(srh))
                    .isEqualTo(VectorTest.hex(range(Packets.srh(43, 1, new byte[0], "a9::"), 0, 24)));
            assertThat(srh[3]).as("SL 1 = LE + 1").isEqualTo((byte) 1);
            assertThat(range(out, 64, out.length)).isEqualTo(range(in, 40, in.length));
            assertThat(VectorTest.hex(range(out, 24, 40))).isEqualTo(VectorTest.hex(Packets.addr("a8::")));
            h.assertBalanced();
        }
    }

    @Test
    void endB6InsertRunsEndsChecksFirst() throws Exception {
        try (Harness h = new Harness(bound("End.B6.Insert"))) {
            byte[] expiring = Vectors.get("V10_hlim1_in"); // DA a3::, hop limit 1
            h.send(expiring);
            byte[] badSl = Vectors.get("V7_SLgtLE1_in");
            h.send(badSl);
            assertThat(h.out).hasSize(2);
            IcmpErrorTest.assertError(range(h.out.get(0), 14, h.out.get(0).length), 3, 0, 0, expiring);
            IcmpErrorTest.assertError(range(h.out.get(1), 14, h.out.get(1).length), 4, 0, 43, badSl);
            assertThat(h.engine.counters().get("end-b6-insert", "hop limit exceeded"))
                    .isEqualTo(1);
            h.assertBalanced();
        }
    }

    @Test
    void anInsertionBeyondTheMtuIsAnsweredWithPacketTooBig() throws Exception {
        try (Harness h = new Harness(headend(PolicyMode.INSERT))) {
            byte[] big = Packets.udp6("2001:db8:9::1", "a7::1", 64, 1500 - 48); // exactly 1500 bytes
            h.send(big);
            // SRH: 8 + 4 × 16 = 72 bytes; the source may send 1500 − 72 so that the insertion fits
            IcmpErrorTest.assertError(h.onlyOut(), 2, 0, 1500 - 72, big);
            assertThat(h.engine
                            .counters()
                            .get(
                                    "sr-policy-rewrite-insert",
                                    "packet with the SRH larger than the MTU towards the first SID"))
                    .isEqualTo(1);
            h.out.clear();
            h.send(Packets.udp6("2001:db8:9::1", "a7::1", 64, 1500 - 48 - 72)); // fits with the SRH
            assertThat(h.onlyOut()).hasSize(1500);
            h.assertBalanced();
        }
    }

    @Test
    void hInsertKeepsAHopByHopHeaderFirst() throws Exception {
        try (Harness h = new Harness(headend(PolicyMode.INSERT))) {
            byte[] udp = Packets.udp(8);
            byte[] hbh = MalformedTest.options(17, 8);
            h.send(Packets.ip6("1234::1", "a7::1", 64, 0, Packets.concat(hbh, udp)));
            // RFC 8200 §4.1: the Hop-by-Hop header stays right behind the IPv6 header, the SRH follows it
            byte[] expected = Packets.ip6(
                    "1234::1",
                    "a4::",
                    63,
                    0,
                    Packets.concat(
                            MalformedTest.options(43, 8), Packets.srh(17, 3, udp, "a7::1", "a6::c7", "a5::", "a4::")));
            assertThat(VectorTest.hex(h.onlyOut())).isEqualTo(VectorTest.hex(expected));
            h.assertBalanced();
        }
    }

    @Test
    void endB6InsertPutsTheNewSrhInFrontOfTheReceivedOneBehindAHopByHopHeader() throws Exception {
        try (Harness h = new Harness(bound("End.B6.Insert"))) {
            byte[] received = Packets.srh(41, 1, MalformedTest.inner6(), "a5::", "a3::");
            h.send(Packets.ip6("1234::1", "a3::", 64, 0, Packets.concat(MalformedTest.options(43, 8), received)));
            byte[] expected = Packets.ip6(
                    "1234::1",
                    "a8::",
                    63,
                    0,
                    Packets.concat(MalformedTest.options(43, 8), Packets.srh(43, 1, received, "a9::", "a8::")));
            assertThat(VectorTest.hex(h.onlyOut())).isEqualTo(VectorTest.hex(expected));
            h.assertBalanced();
        }
    }
}
