package dev.srv6sh.dataplane.proto;

import java.lang.foreign.MemorySegment;

/**
 * ICMP for IPv4 (RFC 792): type, code, checksum over the message alone (no pseudo-header), then a
 * 32-bit field (an echo's identifier and sequence; unused in Time Exceeded).
 */
public final class Icmp4 {
    private Icmp4() {}

    public static final int HEADER = 8;
    public static final int ECHO_REPLY = 0;
    public static final int DESTINATION_UNREACHABLE = 3;
    public static final int ECHO_REQUEST = 8;
    /** Destination Unreachable code 4: fragmentation needed and DF set (RFC 792, RFC 1191). */
    public static final int FRAGMENTATION_NEEDED = 4;

    public static final int TIME_EXCEEDED = 11;

    public static int type(MemorySegment s, long off) {
        return Bytes.u8(s, off);
    }

    public static void type(MemorySegment s, long off, int v) {
        Bytes.u8(s, off, v);
    }

    public static int code(MemorySegment s, long off) {
        return Bytes.u8(s, off + 1);
    }

    public static void code(MemorySegment s, long off, int v) {
        Bytes.u8(s, off + 1, v);
    }

    public static int checksum(MemorySegment s, long off) {
        return Bytes.u16(s, off + 2);
    }

    public static void checksum(MemorySegment s, long off, int v) {
        Bytes.u16(s, off + 2, v);
    }

    /** The 32-bit field after the checksum (Fragmentation Needed: unused, then the next-hop MTU). */
    public static void rest(MemorySegment s, long off, int v) {
        Bytes.u32(s, off + 4, v);
    }

    /** Error messages (RFC 1812 §4.3.2.7 never answers them): everything but echo and the queries. */
    public static boolean isError(int type) {
        return type == DESTINATION_UNREACHABLE || type == 4 || type == 5 || type == TIME_EXCEEDED || type == 12;
    }

    public static int identifier(MemorySegment s, long off) {
        return Bytes.u16(s, off + 4);
    }

    public static int sequence(MemorySegment s, long off) {
        return Bytes.u16(s, off + 6);
    }

    /** The checksum of the {@code length}-byte message at {@code off}, its checksum field taken as zero. */
    public static int compute(MemorySegment s, long off, int length) {
        int stored = checksum(s, off);
        checksum(s, off, 0);
        int c = Checksum.internet(s, off, length);
        checksum(s, off, stored);
        return c;
    }

    public static boolean checksumValid(MemorySegment s, long off, int length) {
        return Checksum.sum(s, off, length) == 0xffff;
    }
}
