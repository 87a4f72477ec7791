package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.DataplaneConfig.Flavor;
import dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode;
import dev.srv6sh.dataplane.config.Prefix;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The malformed-input catalogue of shared/reference/reliability.md §(c), one test per entry (M1-M25):
 * each sends the input and asserts the outcome (dropped, the ICMPv6 error's type, code and pointer,
 * or the bytes forwarded) and the counter by node and reason. Harness.close() then checks that the
 * counters balance and no buffer leaked.
 */
class MalformedTest {
    static final String SRC = "1234::1"; // IcmpErrorTest.error() expects errors to go back to it

    /** End a3::, End with PSP a1::1, End.X a3::e1, End.DX4 a3::c4, End.DX6 a3::c6. */
    static DataplaneConfig router() {
        return Harness.config(
                List.of(
                        Harness.sid("a3::", "End", null),
                        new DataplaneConfig.Sid("psp", Addresses.parse6("a1::1"), "End", Map.of())
                                .withFlavors(Set.of(Flavor.PSP)),
                        Harness.sid("a3::e1", "End.X", "2001:db8:2::2"),
                        Harness.sid("a3::c4", "End.DX4", "198.51.100.2"),
                        Harness.sid("a3::c6", "End.DX6", "2001:db8:2::2")),
                List.of(),
                List.of());
    }

    // ---- packet builders

    static byte[] addr(String a) {
        return Addresses.parse6(a).getAddress();
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** An IPv6 header with the payload length of {@code payload} behind it. */
    static byte[] ip6(String src, String dst, int hopLimit, int nextHeader, byte[] payload) {
        byte[] h = new byte[40];
        h[0] = 0x60;
        h[4] = (byte) (payload.length >>> 8);
        h[5] = (byte) payload.length;
        h[6] = (byte) nextHeader;
        h[7] = (byte) hopLimit;
        System.arraycopy(addr(src), 0, h, 8, 16);
        System.arraycopy(addr(dst), 0, h, 24, 16);
        return cat(h, payload);
    }

    /** An SRH: Segment List[0] (the last segment) first, then the TLV bytes; Hdr Ext Len from the size. */
    static byte[] srh(int nextHeader, int sl, int le, byte[] tlvs, String... list) {
        int size = 8 + 16 * list.length + tlvs.length;
        byte[] h = new byte[8];
        h[0] = (byte) nextHeader;
        h[1] = (byte) (size / 8 - 1);
        h[2] = 4;
        h[3] = (byte) sl;
        h[4] = (byte) le;
        byte[] out = h;
        for (String s : list) {
            out = cat(out, addr(s));
        }
        return cat(out, tlvs);
    }

    /** A Destination Options (or Hop-by-Hop) header of {@code size} bytes, padded with PadN. */
    static byte[] options(int nextHeader, int size) {
        byte[] h = new byte[size];
        h[0] = (byte) nextHeader;
        h[1] = (byte) (size / 8 - 1);
        h[2] = 1; // PadN over the rest
        h[3] = (byte) (size - 4);
        return h;
    }

    /** The inner IPv6/UDP packet of the shared vectors (56 bytes). */
    static byte[] inner6() {
        byte[] v = Vectors.get("V1_End_in");
        return Arrays.copyOfRange(v, 96, v.length);
    }

    /** The inner IPv4/UDP packet of V4 (36 bytes). */
    static byte[] inner4() {
        byte[] v = Vectors.get("V4_EndDX4_in");
        return Arrays.copyOfRange(v, 96, v.length);
    }

    static byte[] errorTo(Harness h) {
        return h.onlyOut();
    }

    static long count(Harness h, String node, String reason) {
        return h.engine.counters().get(node, reason);
    }

    // ---- the catalogue

    @Test
    void m01RuntFramesAndTruncatedIpv6AreDropped() throws Exception {
        try (Harness h = new Harness(router())) {
            h.engine.port("in", MemoryPort.class).inject(new byte[10]);
            h.engine.poll();
            h.send(Arrays.copyOf(Vectors.get("V1_End_in"), 30)); // an IPv6 EtherType with 30 bytes of IPv6
            assertThat(h.out).isEmpty();
            assertThat(count(h, "ethernet-input", "frame shorter than an Ethernet header"))
                    .isEqualTo(1);
            assertThat(count(h, "ip6-input", "shorter than an IPv6 header")).isEqualTo(1);
        }
    }

    @Test
    void m02PayloadLengthBeyondTheFrameIsDroppedAndLinkPaddingIsTrimmed() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] v1 = Vectors.get("V1_End_in");
            h.send(Arrays.copyOf(v1, v1.length - 1));
            assertThat(h.out).isEmpty();
            assertThat(count(h, "ip6-input", "payload length runs past the frame"))
                    .isEqualTo(1);
            h.send(cat(v1, new byte[20])); // trailing Ethernet padding
            assertThat(h.onlyOut()).isEqualTo(Vectors.get("V1_End_out"));
        }
    }

    @Test
    void m03PayloadLengthShorterThanTheSrhIsDroppedBeforePspOrDecapsulation() throws Exception {
        try (Harness h = new Harness(router())) {
            h.send(Vectors.get("V9_plenTooSmall_in")); // End with PSP at a1::1
            byte[] dx6 = Vectors.get("V3_EndDX6_in");
            dx6[4] = 0;
            dx6[5] = 30; // payload length 30 < the 56-byte SRH
            h.send(dx6);
            assertThat(h.out).isEmpty();
            assertThat(count(h, "sr-localsid", "extension headers run past the packet"))
                    .isEqualTo(2);
            h.send(Vectors.get("V2_EndPSP_in").clone()); // valid traffic afterwards is unaffected (a3:: is End)
            assertThat(h.out).hasSize(1);
        }
    }

    @Test
    void m04AnSrhCutShortIsDroppedWithoutAnError() throws Exception {
        try (Harness h = new Harness(router())) {
            h.send(ip6(SRC, "a3::", 64, 43, new byte[] {41, 0, 4, 1})); // 4 bytes of a routing header
            byte[] full = srh(41, 1, 1, new byte[0], "a5::", "a4::");
            full[1] = 6; // claims 56 bytes, has 40
            h.send(ip6(SRC, "a3::", 64, 43, full));
            assertThat(h.out).isEmpty();
            assertThat(count(h, "sr-localsid", "extension headers run past the packet"))
                    .isEqualTo(2);
            assertThat(h.engine.counters().icmpErrors()).isEmpty();
        }
    }

    @Test
    void m05NoSegmentsWithSegmentsLeftIsParameterProblemAtSegmentsLeft() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] in = ip6(SRC, "a3::", 64, 43, cat(srh(41, 1, 0, new byte[0]), inner6()));
            h.send(in);
            IcmpErrorTest.error(errorTo(h), 4, 0, 43, in);
            assertThat(count(h, "end", "SRH segments left or last entry out of range"))
                    .isEqualTo(1);
        }
    }

    @Test
    void m06AnOddHeaderLengthLeavesATlvAreaAndMaxLastEntryRoundsDown() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] padN = {4, 6, 0, 0, 0, 0, 0, 0}; // Hdr Ext Len 5: two segments and 8 bytes of TLV
            byte[] in = ip6(SRC, "a3::", 64, 43, cat(srh(41, 1, 1, padN, "a5::", "a3::"), inner6()));
            assertThat(in[41]).isEqualTo((byte) 5);
            h.send(in);
            byte[] out = h.onlyOut();
            assertThat(Arrays.copyOfRange(out, 24, 40)).isEqualTo(addr("a5::"));
            assertThat(out[43]).as("segments left").isZero();
            // LE 2 claims a third segment the odd length has no room for: max_LE = 5/2 − 1 = 1
            byte[] bad = in.clone();
            bad[44] = 2;
            h.send(bad);
            IcmpErrorTest.error(Arrays.copyOfRange(h.out.get(1), 14, h.out.get(1).length), 4, 0, 43, bad);
            assertThat(count(h, "end", "SRH segments left or last entry out of range"))
                    .isEqualTo(1);
        }
    }

    @Test
    void m07LastEntryBeyondTheHeaderIsParameterProblem() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] in = Vectors.get("V8_LEgtMax_in");
            h.send(in);
            IcmpErrorTest.error(errorTo(h), 4, 0, 43, in);
            assertThat(count(h, "end", "SRH segments left or last entry out of range"))
                    .isEqualTo(1);
        }
    }

    @Test
    void m08SegmentsLeftBeyondLastEntryPlusOneIsParameterProblem() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] in = Vectors.get("V7_SLgtLE1_in");
            h.send(in);
            IcmpErrorTest.error(errorTo(h), 4, 0, 43, in);
            assertThat(count(h, "end", "SRH segments left or last entry out of range"))
                    .isEqualTo(1);
        }
    }

    @Test
    void m09SegmentsLeftEqualToLastEntryPlusOneIsAReducedSrhAndAccepted() throws Exception {
        try (Harness h = new Harness(router())) {
            // H.Encaps.Red: the first segment a3:: is only in the DA; SL = 2 = LE + 1
            byte[] in = ip6(SRC, "a3::", 64, 43, cat(srh(41, 2, 1, new byte[0], "a5::", "a4::"), inner6()));
            h.send(in);
            byte[] out = h.onlyOut();
            assertThat(Arrays.copyOfRange(out, 24, 40)).isEqualTo(addr("a4::"));
            assertThat(out[43]).as("segments left").isEqualTo((byte) 1);
            assertThat(h.engine.counters().errors()).isEmpty();
        }
    }

    @Test
    void m10NoSegmentsLeftAtEndWithAnUpperLayerNotTakenIsCode4() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] in = ip6(SRC, "a3::", 64, 43, cat(srh(17, 0, 2, new byte[0], "a3::", "a4::", "a5::"), inner6()));
            h.send(in);
            IcmpErrorTest.error(errorTo(h), 4, 4, 96, in);
            assertThat(count(h, "end", "segments left is 0 and an upper layer this router does not take"))
                    .isEqualTo(1);
        }
    }

    @Test
    void m11SegmentsLeftAtADecapsulatingSidIsParameterProblem() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] in = Vectors.get("V4_EndDX4_in");
            in[43] = 1;
            h.send(in);
            IcmpErrorTest.error(errorTo(h), 4, 0, 43, in);
            assertThat(count(h, "end-dx4", "decapsulation with segments left > 0"))
                    .isEqualTo(1);
        }
    }

    @Test
    void m12HopLimitOneAtEndAndEndXIsTimeExceededAndNeverForwarded() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] end = Vectors.get("V10_hlim1_in");
            h.send(end);
            IcmpErrorTest.error(h.onlyOut(), 3, 0, 0, end);
            byte[] endX = ip6(SRC, "a3::e1", 1, 43, cat(srh(41, 1, 1, new byte[0], "a5::", "a3::e1"), inner6()));
            h.send(endX);
            assertThat(h.out).hasSize(2);
            assertThat(h.out.get(1)[14 + 40]).as("Time Exceeded").isEqualTo((byte) 3);
            assertThat(count(h, "end", "hop limit exceeded")).isEqualTo(1);
            assertThat(count(h, "end-x", "hop limit exceeded")).isEqualTo(1);
        }
    }

    @Test
    void m13NoSrhAtAnEndSidIsCode4AtTheUpperLayer() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] in = ip6(SRC, "a3::", 64, 17, Arrays.copyOfRange(inner6(), 40, 56));
            h.send(in);
            IcmpErrorTest.error(errorTo(h), 4, 4, 40, in);
            assertThat(count(h, "end", "no SR header and an upper layer this router does not take"))
                    .isEqualTo(1);
        }
    }

    @Test
    void m14AnUnknownRoutingTypeIsIgnoredAtSegmentsLeft0AndParameterProblemOtherwise() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] rh0 = srh(41, 1, 0, new byte[0], "a5::");
            rh0[2] = 0; // RH0
            byte[] in = ip6(SRC, "a3::", 64, 43, cat(rh0, inner6()));
            h.send(in);
            IcmpErrorTest.error(errorTo(h), 4, 0, 42, in);
            assertThat(count(h, "sr-localsid", "routing header of an unknown type with segments left > 0"))
                    .isEqualTo(1);
            // with SL 0 it is skipped: the upper layer behind it (UDP) is what End refuses, code 4 at 64
            rh0[0] = 17;
            rh0[3] = 0;
            byte[] ignored = ip6(SRC, "a3::", 64, 43, cat(rh0, Arrays.copyOfRange(inner6(), 40, 56)));
            h.send(ignored);
            IcmpErrorTest.error(Arrays.copyOfRange(h.out.get(1), 14, h.out.get(1).length), 4, 4, 64, ignored);
        }
    }

    @Test
    void m15OfSeveralSrhsTheFirstWithSegmentsLeftIsProcessed() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] spent = srh(43, 0, 0, new byte[0], "a9::");
            byte[] active = srh(41, 1, 1, new byte[0], "a5::", "a3::");
            byte[] in = ip6(SRC, "a3::", 64, 43, cat(spent, active, inner6()));
            h.send(in);
            byte[] out = h.onlyOut();
            assertThat(Arrays.copyOfRange(out, 24, 40)).isEqualTo(addr("a5::"));
            assertThat(out[40 + 24 + 3]).as("the second SRH's segments left").isZero();
            assertThat(Arrays.copyOfRange(out, 40, 64))
                    .as("the first SRH untouched")
                    .isEqualTo(spent);
        }
    }

    @Test
    void m16ExtensionHeaderChainsAreBoundedByCountAndBytes() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] active = srh(41, 1, 1, new byte[0], "a5::", "a3::");
            byte[] nine = new byte[0];
            for (int i = 0; i < 9; i++) {
                nine = cat(nine, options(i == 8 ? 43 : 60, 8));
            }
            h.send(ip6(SRC, "a3::", 64, 60, cat(nine, active, inner6())));
            byte[] big = cat(options(60, 136), options(43, 136)); // 272 bytes before the SRH
            h.send(ip6(SRC, "a3::", 64, 60, cat(big, active, inner6())));
            assertThat(h.out).isEmpty();
            assertThat(count(
                            h,
                            "sr-localsid",
                            "more than 8 extension headers, or 256 bytes of them, before the SRH or upper layer"))
                    .isEqualTo(2);
            // one Hop-by-Hop header in front is within the limits: the SRH behind it is processed
            byte[] hbh = ip6(SRC, "a3::", 64, 0, cat(options(43, 8), active, inner6()));
            h.send(hbh);
            byte[] out = h.onlyOut();
            assertThat(Arrays.copyOfRange(out, 24, 40)).isEqualTo(addr("a5::"));
            assertThat(out[48 + 3]).as("segments left").isZero();
        }
    }

    @Test
    void m17SegmentListsAreCappedByTheHeaderAndTheBuffer() throws Exception {
        try (Harness h = new Harness(router())) {
            String[] list = new String[80]; // as many as fit the 1,500-byte MTU
            for (int i = 0; i < list.length; i++) {
                list[i] = "a5::" + Integer.toHexString(i + 1);
            }
            byte[] in = ip6(SRC, "a3::", 64, 43, cat(srh(41, 79, 79, new byte[0], list), inner6()));
            h.send(in);
            assertThat(Arrays.copyOfRange(h.onlyOut(), 24, 40)).isEqualTo(addr("a5::4f"));
            byte[] beyond = in.clone();
            beyond[44] = 80; // LE 80: max_LE is 79 for 80 segments
            h.send(beyond);
            assertThat(h.out.get(1)[14 + 40]).as("Parameter Problem").isEqualTo((byte) 4);
            assertThat(count(h, "end", "SRH segments left or last entry out of range"))
                    .isEqualTo(1);
            // 127 segments (2,040 bytes of SRH) exceed a buffer: refused at the port, counted there
            byte[] huge = new byte[14 + 40 + 8 + 127 * 16];
            h.engine.port("in", MemoryPort.class).inject(huge);
            assertThat(h.engine.counters().port("in").rxNoBuffer()).isEqualTo(1);
        }
        DataplaneConfig tooMany = Harness.config(
                List.of(),
                List.of(Harness.policy(
                        "p",
                        PolicyMode.ENCAP,
                        java.util.stream.IntStream.range(1, 17)
                                .mapToObj(i -> "a5::" + i)
                                .toArray(String[]::new))),
                List.of());
        try (Engine e = new Engine("t", Clock.SYSTEM, MemoryPort.FACTORY)) {
            assertThatThrownBy(() -> e.apply(tooMany))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("a SID list holds 1 to 15 SIDs");
        }
    }

    @Test
    void m18TlvsArePaddedOrSkippedByLengthAndAnOverrunIsDropped() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[][] fine = {
                {0, 0, 0, 0, 0, 0, 0, 0}, // eight Pad1
                {4, 6, 1, 2, 3, 4, 5, 6}, // PadN with non-zero padding: ignored on receipt
                {0x7f, 6, 9, 9, 9, 9, 9, 9} // an unknown type: skipped
            };
            for (byte[] tlv : fine) {
                h.send(ip6(SRC, "a3::", 64, 43, cat(srh(41, 1, 1, tlv, "a5::", "a3::"), inner6())));
            }
            assertThat(h.out).hasSize(3);
            h.send(ip6(
                    SRC,
                    "a3::",
                    64,
                    43,
                    cat(srh(41, 1, 1, new byte[] {4, 10, 0, 0, 0, 0, 0, 0}, "a5::", "a3::"), inner6())));
            h.send(ip6(
                    SRC,
                    "a3::",
                    64,
                    43,
                    cat(srh(41, 1, 1, new byte[] {0, 0, 0, 0, 0, 0, 0, 4}, "a5::", "a3::"), inner6())));
            assertThat(h.out).hasSize(3);
            assertThat(count(h, "sr-localsid", "an SRH TLV runs past the header"))
                    .isEqualTo(2);
        }
    }

    @Test
    void m19HmacTlvsAreNotVerifiedAsLinuxRequireHmacMinus1AndNeverTrustedForLengths() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] hmac = new byte[40]; // type 5, length 38, D-bit/reserved, key id 0, a MAC of garbage
            hmac[0] = 5;
            hmac[1] = 38;
            Arrays.fill(hmac, 8, 40, (byte) 0xa5);
            byte[] in = ip6(SRC, "a3::", 64, 43, cat(srh(41, 1, 1, hmac, "a5::", "a3::"), inner6()));
            h.send(in);
            byte[] out = h.onlyOut();
            assertThat(Arrays.copyOfRange(out, 24, 40)).isEqualTo(addr("a5::"));
            assertThat(Arrays.copyOfRange(out, 80, 120))
                    .as("the HMAC TLV is forwarded untouched")
                    .isEqualTo(hmac);
            hmac[1] = (byte) 200; // a length past the SRH
            h.send(ip6(SRC, "a3::", 64, 43, cat(srh(41, 1, 1, hmac, "a5::", "a3::"), inner6())));
            assertThat(h.out).hasSize(1);
            assertThat(count(h, "sr-localsid", "an SRH TLV runs past the header"))
                    .isEqualTo(1);
        }
    }

    @Test
    void m20FlagsAndTagAreIgnoredAndPreserved() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] in = Vectors.get("V1_End_in");
            in[45] = (byte) 0xff; // flags
            in[46] = (byte) 0xbe; // tag
            in[47] = (byte) 0xef;
            h.send(in);
            byte[] expected = Vectors.get("V1_End_out");
            expected[45] = (byte) 0xff;
            expected[46] = (byte) 0xbe;
            expected[47] = (byte) 0xef;
            assertThat(h.onlyOut()).isEqualTo(expected);
        }
    }

    @Test
    void m21AnInnerTypeTheBehaviorDoesNotTakeIsCode4() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] in = ip6(SRC, "a3::c4", 64, 43, cat(srh(41, 0, 0, new byte[0], "a3::c4"), inner6()));
            h.send(in);
            IcmpErrorTest.error(errorTo(h), 4, 4, 64, in);
            assertThat(count(h, "end-dx4", "the inner packet's type is not one the behavior decapsulates"))
                    .isEqualTo(1);
        }
    }

    @Test
    void m22AMalformedInnerPacketIsDroppedAfterDecapsulation() throws Exception {
        try (Harness h = new Harness(router())) {
            List<byte[]> bad = new ArrayList<>();
            byte[] ihl4 = inner4();
            ihl4[0] = 0x44;
            bad.add(ihl4);
            byte[] longer = inner4();
            longer[3] = 100; // total length 100 > 36 bytes
            bad.add(longer);
            byte[] checksum = inner4();
            checksum[10] ^= 1;
            bad.add(checksum);
            for (byte[] inner : bad) {
                h.send(ip6(SRC, "a3::c4", 64, 4, inner));
            }
            byte[] notV6 = inner6();
            notV6[0] = 0x40;
            h.send(ip6(SRC, "a3::c6", 64, 41, notV6));
            byte[] shortV6 = inner6();
            shortV6[5] = 100;
            h.send(ip6(SRC, "a3::c6", 64, 41, shortV6));
            assertThat(h.out).isEmpty();
            assertThat(count(h, "end-dx4", "inner packet is malformed")).isEqualTo(3);
            assertThat(count(h, "end-dx6", "inner packet is malformed")).isEqualTo(2);
            // padding behind a good inner packet is cut: out goes the inner packet alone (TTL 63)
            h.send(ip6(SRC, "a3::c4", 64, 4, cat(inner4(), new byte[8])));
            assertThat(h.onlyOut()).isEqualTo(Vectors.get("V4_EndDX4_out"));
        }
    }

    @Test
    void m23ANextSegmentThatIsNoUnicastDestinationIsDropped() throws Exception {
        try (Harness h = new Harness(router())) {
            for (String next : List.of("ff02::1", "::", "::1", "fe80::1")) {
                h.send(ip6(SRC, "a3::", 64, 43, cat(srh(41, 1, 1, new byte[0], next, "a3::"), inner6())));
            }
            assertThat(h.out).isEmpty();
            assertThat(count(h, "end", "next segment is multicast, unspecified, loopback or link-local"))
                    .isEqualTo(4);
        }
    }

    @Test
    void m24PacketsToLocalSidsFromOutsideTheSrDomainAreDropped() throws Exception {
        DataplaneConfig edge =
                router().withSrDomain(new DataplaneConfig.SrDomain(List.of("in"), List.of(Prefix.parse("1234::/16"))));
        try (Harness h = new Harness(edge)) {
            h.send(Vectors.get("V1_End_in")); // from 1234::1: trusted
            assertThat(h.onlyOut()).isEqualTo(Vectors.get("V1_End_out"));
            byte[] outsider = Vectors.get("V1_End_in");
            System.arraycopy(addr("2001:db8:1::99"), 0, outsider, 8, 16);
            h.send(outsider);
            assertThat(h.out).hasSize(1);
            assertThat(count(h, "sr-localsid", "to a local SID from outside the SR domain"))
                    .isEqualTo(1);
            // 'out' is inside the domain: any source is accepted there
            h.engine.port("out", MemoryPort.class).inject(Harness.frame(Harness.OUT_MAC, Harness.PEER_MAC, outsider));
            h.engine.poll();
            assertThat(h.out).hasSize(2);
        }
        try (Engine e = new Engine("t", Clock.SYSTEM, MemoryPort.FACTORY)) {
            assertThatThrownBy(() ->
                            e.apply(router().withSrDomain(new DataplaneConfig.SrDomain(List.of("nope"), List.of()))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("SR domain edge: no interface 'nope'");
        }
    }

    @Test
    void m25IcmpErrorsQuoteAtMostTheMinimumMtuAndAreRateLimited() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] big = ip6(SRC, "a3::", 1, 43, cat(srh(41, 1, 1, new byte[0], "a5::", "a3::"), new byte[1400]));
            h.send(big);
            byte[] error = h.onlyOut();
            assertThat(error).hasSize(1280);
            IcmpErrorTest.error(error, 3, 0, 0, Arrays.copyOf(big, 1280 - 48));
            for (int i = 0; i < 200; i++) {
                h.engine.port("in", MemoryPort.class).inject(Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, big));
            }
            h.engine.poll();
            Counters c = h.engine.counters();
            assertThat(c.icmpErrors().get("rate-limited (RFC 4443 §2.4 (f))")).isPositive();
            assertThat(c.icmpSent() + c.icmpErrors().get("rate-limited (RFC 4443 §2.4 (f))"))
                    .isEqualTo(201);
            assertThat(count(h, "end", "hop limit exceeded")).isEqualTo(201);
        }
    }
}
