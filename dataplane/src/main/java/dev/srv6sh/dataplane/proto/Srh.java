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
