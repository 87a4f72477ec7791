package dev.srv6sh.dataplane.proto;

import java.lang.foreign.MemorySegment;

/** Ethernet II: destination, source, EtherType; 14 bytes. */
public final class Ethernet {
    private Ethernet() {}

    public static final int LENGTH = 14;
    public static final int TYPE_IP4 = 0x0800;
    public static final int TYPE_IP6 = 0x86dd;
    public static final int TYPE_ARP = 0x0806;
    public static final long BROADCAST = 0xffff_ffff_ffffL;

    public static long dst(MemorySegment s, long off) {
        return ((long) Bytes.u16(s, off) << 32) | (Bytes.u32(s, off + 2) & 0xffff_ffffL);
    }

    public static long src(MemorySegment s, long off) {
        return ((long) Bytes.u16(s, off + 6) << 32) | (Bytes.u32(s, off + 8) & 0xffff_ffffL);
    }

    public static int type(MemorySegment s, long off) {
        return Bytes.u16(s, off + 12);
    }

    public static void write(MemorySegment s, long off, long dst, long src, int type) {
        Bytes.u16(s, off, (int) (dst >>> 32));
        Bytes.u32(s, off + 2, (int) dst);
        Bytes.u16(s, off + 6, (int) (src >>> 32));
        Bytes.u32(s, off + 8, (int) src);
        Bytes.u16(s, off + 12, type);
    }

    /** A MAC a neighbor may have: not a group address and not all zeros. */
    public static boolean isUnicast(long mac) {
        return mac != 0 && !isGroup(mac);
    }

    /** Group (multicast or broadcast) addresses have the low bit of the first octet set. */
    public static boolean isGroup(long mac) {
        return ((mac >>> 40) & 1) != 0;
    }
}
