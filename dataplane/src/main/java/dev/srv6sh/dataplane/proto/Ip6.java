package dev.srv6sh.dataplane.proto;

import java.lang.foreign.MemorySegment;

/** The IPv6 header (RFC 8200): 40 bytes; addresses are read as two longs, high then low. */
public final class Ip6 {
    private Ip6() {}

    public static final int LENGTH = 40;
    public static final int NH_IPV4 = 4;
    public static final int NH_IPV6 = 41;
    public static final int NH_TCP = 6;
    public static final int NH_UDP = 17;
    public static final int NH_ROUTING = 43;
    public static final int NH_ICMP6 = 58;
    public static final int NH_ETHERNET = 143;
    public static final int NH_HOP_BY_HOP = 0;
    public static final int NH_DEST_OPTIONS = 60;
    public static final int NH_FRAGMENT = 44;

    public static int version(MemorySegment s, long off) {
        return Bytes.u8(s, off) >>> 4;
    }

    public static int trafficClass(MemorySegment s, long off) {
        return (Bytes.u16(s, off) >>> 4) & 0xff;
    }

    public static int flowLabel(MemorySegment s, long off) {
        return Bytes.u32(s, off) & 0xfffff;
    }

    /** Writes version 6, traffic class and flow label. */
    public static void versionClassFlow(MemorySegment s, long off, int trafficClass, int flowLabel) {
        Bytes.u32(s, off, (6 << 28) | ((trafficClass & 0xff) << 20) | (flowLabel & 0xfffff));
    }

    public static int payloadLength(MemorySegment s, long off) {
        return Bytes.u16(s, off + 4);
    }

    public static void payloadLength(MemorySegment s, long off, int v) {
        Bytes.u16(s, off + 4, v);
    }

    public static int nextHeader(MemorySegment s, long off) {
        return Bytes.u8(s, off + 6);
    }

    public static void nextHeader(MemorySegment s, long off, int v) {
        Bytes.u8(s, off + 6, v);
    }

    public static int hopLimit(MemorySegment s, long off) {
        return Bytes.u8(s, off + 7);
    }

    public static void hopLimit(MemorySegment s, long off, int v) {
        Bytes.u8(s, off + 7, v);
    }

    public static long srcHi(MemorySegment s, long off) {
        return Bytes.u64(s, off + 8);
    }

    public static long srcLo(MemorySegment s, long off) {
        return Bytes.u64(s, off + 16);
    }

    public static long dstHi(MemorySegment s, long off) {
        return Bytes.u64(s, off + 24);
    }

    public static long dstLo(MemorySegment s, long off) {
        return Bytes.u64(s, off + 32);
    }

    public static void src(MemorySegment s, long off, long hi, long lo) {
        Bytes.u64(s, off + 8, hi);
        Bytes.u64(s, off + 16, lo);
    }

    public static void dst(MemorySegment s, long off, long hi, long lo) {
        Bytes.u64(s, off + 24, hi);
        Bytes.u64(s, off + 32, lo);
    }

    /**
     * Whether an address may become a packet's destination on a segment endpoint (catalogue M23): not
     * multicast (ff00::/8), unspecified (::), loopback (::1) or link-local (fe80::/10), which a router
     * must not be steered to from a segment list.
     */
    public static boolean isSegmentDestination(long hi, long lo) {
        boolean multicast = (hi >>> 56) == 0xff;
        boolean unspecifiedOrLoopback = hi == 0 && (lo == 0 || lo == 1);
        boolean linkLocal = (hi >>> 54) == 0x3fa;
        return !multicast && !unspecifiedOrLoopback && !linkLocal;
    }
}
