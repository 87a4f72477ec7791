package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Ip6;
import dev.srv6sh.dataplane.proto.Srh;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The SRH parser (reliability.md §(c), fuzz target 1): the extension-header walk every behavior relies
 * on ({@link HeaderChain}) and the SRH accessors, over arbitrary bytes after an IPv6 header.
 *
 * <ul>
 *   <li>Any input yields a verdict, never an exception; every offset it records lies inside the
 *       packet, and an SRH it accepts fits in the packet with its TLVs.
 *   <li>Round trip: a segment list written as an SRH (full or reduced, with Pad1/PadN TLVs and any
 *       flags and tag) parses back to the same Segments Left, Last Entry, flags, tag and segments.
 * </ul>
 *
 * Byte 0 chooses: even, the rest is the packet after the IPv6 header; odd, the rest describes a
 * segment list to encode. Corpus: {@code GraphFuzzTestInputs}' sibling {@code SrhFuzzTestInputs}.
 */
class SrhFuzzTest {
    private static final Buffers BUFFERS = new Buffers(1);
    private static final int BUF = BUFFERS.allocate();

    @FuzzTest(maxDuration = "60s")
    void theHeaderWalkAcceptsOnlyWhatFitsAndAnEncodedSrhParsesBack(byte[] data) {
        if (data.length < 2) {
            return;
        }
        if ((data[0] & 1) == 0) {
            walk(Arrays.copyOfRange(data, 2, data.length), data[1] & 0xff);
        } else {
            roundTrip(data);
        }
    }

    /** Arbitrary extension headers behind an IPv6 header whose Next Header is {@code nh}. */
    private static void walk(byte[] rest, int nh) {
        int len = Math.min(Ip6.LENGTH + rest.length, Buffers.SIZE - Buffers.HEADROOM);
        MemorySegment m = BUFFERS.memory;
        long ip = BUFFERS.at(BUF);
        m.asSlice(ip, Buffers.SIZE - Buffers.HEADROOM).fill((byte) 0);
        Bytes.u32(m, ip, 0x6000_0000);
        Bytes.u16(m, ip + 4, len - Ip6.LENGTH);
        Bytes.u8(m, ip + 6, nh);
        Bytes.u8(m, ip + 7, 64);
        MemorySegment.copy(rest, 0, m, java.lang.foreign.ValueLayout.JAVA_BYTE, ip + Ip6.LENGTH, len - Ip6.LENGTH);
        BUFFERS.length[BUF] = len;
        int verdict = HeaderChain.walk(m, BUFFERS, BUF) & 0xff;
        assertThat(verdict).isBetween(HeaderChain.OK, HeaderChain.BAD_TLV);
        int srh = BUFFERS.srh[BUF];
        if (verdict == HeaderChain.OK || verdict == HeaderChain.BAD_TLV) {
            if (srh >= 0) {
                assertThat(srh).isBetween(Ip6.LENGTH, len - Srh.FIXED);
                assertThat(srh + Srh.length(m, ip + srh)).isLessThanOrEqualTo(len);
                assertThat(Srh.routingType(m, ip + srh)).isEqualTo(Srh.ROUTING_TYPE);
                assertThat(BUFFERS.srhNamedAt[BUF]).isBetween(6, srh - 1);
                if (verdict == HeaderChain.OK && Srh.lastEntry(m, ip + srh) <= Srh.maxLastEntry(m, ip + srh)) {
                    // every segment the walk vouched for can be read inside the header
                    int le = Srh.lastEntry(m, ip + srh);
                    assertThat(Srh.segment(srh, le) + 16).isLessThanOrEqualTo(srh + Srh.length(m, ip + srh));
                }
            }
            int upper = BUFFERS.upper[BUF];
            if (upper >= 0) {
                assertThat(upper).isBetween(Ip6.LENGTH, len);
            }
        }
    }

    /** A segment list from the input, written as RFC 8754 lays it out, then walked. */
    private static void roundTrip(byte[] d) {
        int n = 1 + (d[1] & 0x7f) % 12; // segments on the path
        boolean reduced = (d[1] & 0x80) != 0 && n > 1; // the first segment left out (H.Encaps.Red)
        int inSrh = reduced ? n - 1 : n;
        // SL <= LE for a full SRH; a reduced one is also valid with SL = LE + 1 (catalogue M9)
        int sl = (d.length > 2 ? d[2] & 0xff : 0) % (reduced ? inSrh + 1 : inSrh);
        int padding = d.length > 3 ? d[3] & 0x0f : 0;
        int tlvBytes = 8 * (padding % 3); // the header stays a multiple of 8 octets
        int flags = d.length > 4 ? d[4] & 0xff : 0;
        int tag = d.length > 6 ? ((d[5] & 0xff) << 8) | (d[6] & 0xff) : 0;
        int size = Srh.FIXED + 16 * inSrh + tlvBytes;
        MemorySegment m = BUFFERS.memory;
        long ip = BUFFERS.at(BUF);
        m.asSlice(ip, Buffers.SIZE - Buffers.HEADROOM).fill((byte) 0);
        int len = Ip6.LENGTH + size + 8;
        Bytes.u32(m, ip, 0x6000_0000);
        Bytes.u16(m, ip + 4, len - Ip6.LENGTH);
        Bytes.u8(m, ip + 6, Ip6.NH_ROUTING);
        Bytes.u8(m, ip + 7, 64);
        long h = ip + Ip6.LENGTH;
        Srh.write(m, h, Ip6.NH_UDP, size / 8 - 1, sl, inSrh - 1);
        Bytes.u8(m, h + 5, flags);
        Bytes.u16(m, h + 6, tag);
        long[] sids = new long[2 * inSrh];
        for (int i = 0; i < inSrh; i++) {
            sids[2 * i] = 0x2001_0db8_0000_0000L | (i + 1L) << 16 | (d.length > 7 + i ? d[7 + i] & 0xff : 0);
            sids[2 * i + 1] = i;
            Bytes.u64(m, Srh.segment(h, i), sids[2 * i]);
            Bytes.u64(m, Srh.segment(h, i) + 8, sids[2 * i + 1]);
        }
        long tlv = h + Srh.FIXED + 16L * inSrh;
        if ((padding & 1) == 1) {
            for (int i = 0; i < tlvBytes; i++) {
                Bytes.u8(m, tlv + i, Srh.TLV_PAD1);
            }
        } else if (tlvBytes > 0) {
            Bytes.u8(m, tlv, Srh.TLV_PADN);
            Bytes.u8(m, tlv + 1, tlvBytes - 2);
        }
        BUFFERS.length[BUF] = len;
        int verdict = HeaderChain.walk(m, BUFFERS, BUF) & 0xff;
        assertThat(verdict).as("a well-formed SRH").isEqualTo(HeaderChain.OK);
        if (sl > 0) {
            assertThat(BUFFERS.srh[BUF]).isEqualTo(Ip6.LENGTH);
        }
        long at = ip + Ip6.LENGTH;
        assertThat(Srh.segmentsLeft(m, at)).isEqualTo(sl);
        assertThat(Srh.lastEntry(m, at)).isEqualTo(inSrh - 1);
        assertThat(Srh.lastEntry(m, at)).isLessThanOrEqualTo(Srh.maxLastEntry(m, at));
        assertThat(Srh.flags(m, at)).isEqualTo(flags);
        assertThat(Srh.tag(m, at)).isEqualTo(tag);
        for (int i = 0; i < inSrh; i++) {
            assertThat(Bytes.u64(m, Srh.segment(at, i))).isEqualTo(sids[2 * i]);
            assertThat(Bytes.u64(m, Srh.segment(at, i) + 8)).isEqualTo(sids[2 * i + 1]);
        }
        assertThat(Srh.tlvsFit(m, at)).isTrue();
    }
}
