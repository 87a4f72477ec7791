package dev.srv6sh.dataplane.proto;

import java.lang.foreign.MemorySegment;

/**
 * ICMPv6 (RFC 4443): type, code, checksum, then a 32-bit field (Parameter Problem's pointer; an
 * echo's identifier and sequence). The checksum covers the IPv6 pseudo-header, so it takes the IPv6
 * header's offset as well as the message's.
 */
public final class Icmp6 {
    private Icmp6() {}

    public static final int HEADER = 8;
    public static final int DESTINATION_UNREACHABLE = 1;
    public static final int PACKET_TOO_BIG = 2;
    public static final int TIME_EXCEEDED = 3;
    public static final int PARAMETER_PROBLEM = 4;
    public static final int ECHO_REQUEST = 128;
    public static final int ECHO_REPLY = 129;

    public static int type(MemorySegment s, long off) {
        return Bytes.u8(s, off);
    }

    public static void type(MemorySegment s, long off, int v) {
        Bytes.u8(s, off, v);
    }

    public static int code(MemorySegment s, long off) {
        return Bytes.u8(s, off + 1);
    }

    public static int checksum(MemorySegment s, long off) {
        return Bytes.u16(s, off + 2);
    }

    public static void checksum(MemorySegment s, long off, int v) {
        Bytes.u16(s, off + 2, v);
    }

    /** Error messages have types below 128 (RFC 4443 §2.1); no error is sent about one. */
    public static boolean isError(int type) {
        return type < 128;
    }

    public static int pointer(MemorySegment s, long off) {
        return Bytes.u32(s, off + 4);
    }

    public static int identifier(MemorySegment s, long off) {
        return Bytes.u16(s, off + 4);
    }

    public static int sequence(MemorySegment s, long off) {
        return Bytes.u16(s, off + 6);
    }

    /** The checksum of the {@code length}-byte message at {@code icmp} carried by the IPv6 header at {@code ip}. */
    public static int compute(MemorySegment s, long ip, long icmp, int length) {
        int stored = checksum(s, icmp);
        checksum(s, icmp, 0);
        int c = Checksum.withPseudo(Checksum.ip6Pseudo(s, ip, length, Ip6.NH_ICMP6), s, icmp, length);
        checksum(s, icmp, stored);
        return c;
    }

    public static boolean checksumValid(MemorySegment s, long ip, long icmp, int length) {
        return Checksum.withPseudo(Checksum.ip6Pseudo(s, ip, length, Ip6.NH_ICMP6), s, icmp, length) == 0;
    }
}
