package dev.srv6sh.dataplane.proto;

import java.lang.foreign.MemorySegment;

/**
 * The Segment Routing Header (RFC 8754 §2): a Routing header of type 4. Segment List[0] is the last
 * segment of the path; the active one is Segment List[Segments Left].
 */
public final class Srh {
    private Srh() {}

    public static final int ROUTING_TYPE = 4;
    public static final int FIXED = 8;
    /** Hdr Ext Len is 8 bits, so an SRH holds at most 127 segments (Hdr Ext Len 254, no TLVs). */
    public static final int MAX_SEGMENTS = 127;
    /** TLV types (RFC 8754 §2.1): Pad1 is one octet with no length; PadN and HMAC have a length. */
    public static final int TLV_PAD1 = 0;

    public static final int TLV_PADN = 4;
    public static final int TLV_HMAC = 5;

    public static int nextHeader(MemorySegment s, long off) {
        return Bytes.u8(s, off);
    }

    /** Hdr Ext Len: 8-octet units after the first 8. */
    public static int hdrExtLen(MemorySegment s, long off) {
        return Bytes.u8(s, off + 1);
    }

    /** The whole header's length in bytes. */
    public static int length(MemorySegment s, long off) {
        return 8 * (hdrExtLen(s, off) + 1);
    }

    public static int routingType(MemorySegment s, long off) {
        return Bytes.u8(s, off + 2);
    }

    public static int segmentsLeft(MemorySegment s, long off) {
        return Bytes.u8(s, off + 3);
    }

    public static void segmentsLeft(MemorySegment s, long off, int v) {
        Bytes.u8(s, off + 3, v);
    }

    public static int lastEntry(MemorySegment s, long off) {
        return Bytes.u8(s, off + 4);
    }

    /** The largest Last Entry the header's length allows (RFC 8754 §4.3.1.1 max_LE; −1 for no segments). */
    public static int maxLastEntry(MemorySegment s, long off) {
        return hdrExtLen(s, off) / 2 - 1;
    }

    public static int flags(MemorySegment s, long off) {
        return Bytes.u8(s, off + 5);
    }

    public static int tag(MemorySegment s, long off) {
        return Bytes.u16(s, off + 6);
    }

    /**
     * Walks the TLVs after the segment list (RFC 8754 §2.1): true when each one, by its own length
     * octet, ends within the header. Pad1 is a single octet; PadN, HMAC and unknown types are skipped
     * by their length (their contents are ignored on receipt, and an HMAC's own fields are never
     * used for lengths). With Last Entry out of range there is no TLV area to walk: true (the endpoint
     * answers that with a Parameter Problem).
     */
    public static boolean tlvsFit(MemorySegment s, long off) {
        int le = lastEntry(s, off);
        if (le > maxLastEntry(s, off)) {
            return true;
        }
        int end = length(s, off);
        int p = FIXED + 16 * (le + 1);
        while (p < end) {
            if (Bytes.u8(s, off + p) == TLV_PAD1) {
                p++;
                continue;
            }
            if (p + 2 > end) {
                return false;
            }
            p += 2 + Bytes.u8(s, off + p + 1);
        }
        return p == end;
    }

    /** Offset of Segment List[i]. */
    public static long segment(long off, int i) {
        return off + FIXED + 16L * i;
    }

    /** Writes the fixed part (flags and tag zero). */
    public static void write(
            MemorySegment s, long off, int nextHeader, int hdrExtLen, int segmentsLeft, int lastEntry) {
        Bytes.u8(s, off, nextHeader);
        Bytes.u8(s, off + 1, hdrExtLen);
        Bytes.u8(s, off + 2, ROUTING_TYPE);
        Bytes.u8(s, off + 3, segmentsLeft);
        Bytes.u8(s, off + 4, lastEntry);
        Bytes.u8(s, off + 5, 0);
        Bytes.u16(s, off + 6, 0);
    }
}
