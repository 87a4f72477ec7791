package dev.srv6sh.dataplane.proto;

import java.lang.foreign.MemorySegment;

/** The IPv4 header (RFC 791). */
public final class Ip4 {
    private Ip4() {}

    public static final int MIN_LENGTH = 20;
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    /** The DF bit of the flags / fragment-offset word. */
    public static final int DONT_FRAGMENT = 0x4000;
    /** The fragment offset's bits of the same word. */
    public static final int OFFSET_MASK = 0x1fff;

    public static int version(MemorySegment s, long off) {
        return Bytes.u8(s, off) >>> 4;
    }

    /** Header length in bytes (IHL × 4). */
    public static int headerLength(MemorySegment s, long off) {
        return (Bytes.u8(s, off) & 0xf) * 4;
    }

    public static int tos(MemorySegment s, long off) {
        return Bytes.u8(s, off + 1);
    }

    public static int totalLength(MemorySegment s, long off) {
        return Bytes.u16(s, off + 2);
    }

    public static int fragment(MemorySegment s, long off) {
        return Bytes.u16(s, off + 6);
    }

    public static void ttl(MemorySegment s, long off, int v) {
        Bytes.u8(s, off + 8, v);
    }

    public static void src(MemorySegment s, long off, int v) {
        Bytes.u32(s, off + 12, v);
    }

    public static void dst(MemorySegment s, long off, int v) {
        Bytes.u32(s, off + 16, v);
    }

    /**
     * Writes a 20-byte header (no options, identification 0, no fragmentation flags) with its
     * checksum.
     */
    public static void write(
            MemorySegment s, long off, int tos, int totalLength, int ttl, int protocol, int src, int dst) {
        Bytes.u8(s, off, 0x45);
        Bytes.u8(s, off + 1, tos);
        Bytes.u16(s, off + 2, totalLength);
        Bytes.u32(s, off + 4, 0);
        Bytes.u8(s, off + 8, ttl);
        Bytes.u8(s, off + 9, protocol);
        src(s, off, src);
        dst(s, off, dst);
        updateChecksum(s, off, MIN_LENGTH);
    }

    /** Recomputes the header checksum over the {@code headerLength}-byte header. */
    public static void updateChecksum(MemorySegment s, long off, int headerLength) {
        Bytes.u16(s, off + 10, 0);
        Bytes.u16(s, off + 10, Checksum.internet(s, off, headerLength));
    }

    public static int ttl(MemorySegment s, long off) {
        return Bytes.u8(s, off + 8);
    }

    public static int protocol(MemorySegment s, long off) {
        return Bytes.u8(s, off + 9);
    }

    public static int checksum(MemorySegment s, long off) {
        return Bytes.u16(s, off + 10);
    }

    public static int src(MemorySegment s, long off) {
        return Bytes.u32(s, off + 12);
    }

    public static int dst(MemorySegment s, long off) {
        return Bytes.u32(s, off + 16);
    }

    /** Decrements the TTL and patches the checksum incrementally (the TTL shares a word with the protocol). */
    public static void decrementTtl(MemorySegment s, long off) {
        int oldWord = Bytes.u16(s, off + 8);
        int newWord = oldWord - 0x100;
        Bytes.u16(s, off + 8, newWord);
        Bytes.u16(s, off + 10, Checksum.update(checksum(s, off), oldWord, newWord));
    }

    public static boolean checksumValid(MemorySegment s, long off, int headerLength) {
        return Checksum.sum(s, off, headerLength) == 0xffff;
    }
}
