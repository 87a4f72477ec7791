package dev.srv6sh.dataplane.proto;

import java.lang.foreign.MemorySegment;

/** The UDP header (RFC 768): ports, length, checksum; 8 bytes. */
public final class Udp {
    private Udp() {}

    public static final int HEADER = 8;

    public static int srcPort(MemorySegment s, long off) {
        return Bytes.u16(s, off);
    }

    public static int dstPort(MemorySegment s, long off) {
        return Bytes.u16(s, off + 2);
    }

    public static int length(MemorySegment s, long off) {
        return Bytes.u16(s, off + 4);
    }

    public static int checksum(MemorySegment s, long off) {
        return Bytes.u16(s, off + 6);
    }

    /** Writes ports and length, and zeroes the checksum (fill it with {@link #compute6} or {@link #compute4}). */
    public static void write(MemorySegment s, long off, int srcPort, int dstPort, int length) {
        Bytes.u16(s, off, srcPort);
        Bytes.u16(s, off + 2, dstPort);
        Bytes.u16(s, off + 4, length);
        Bytes.u16(s, off + 6, 0);
    }

    public static void checksum(MemorySegment s, long off, int v) {
        Bytes.u16(s, off + 6, v);
    }

    /**
     * The checksum of the datagram at {@code udp} inside the IPv6 packet at {@code ip}; mandatory over
     * IPv6 (RFC 8200 §8.1), where a computed 0 is sent as 0xffff.
     */
    public static int compute6(MemorySegment s, long ip, long udp) {
        int length = length(s, udp);
        int stored = checksum(s, udp);
        checksum(s, udp, 0);
        int c = Checksum.withPseudo(Checksum.ip6Pseudo(s, ip, length, Ip6.NH_UDP), s, udp, length);
        checksum(s, udp, stored);
        return c == 0 ? 0xffff : c;
    }

    /** The checksum of the datagram at {@code udp} inside the IPv4 packet at {@code ip} (0 is sent as 0xffff). */
    public static int compute4(MemorySegment s, long ip, long udp) {
        int length = length(s, udp);
        int stored = checksum(s, udp);
        checksum(s, udp, 0);
        int c = Checksum.withPseudo(Checksum.ip4Pseudo(s, ip, length, Ip4.PROTO_UDP), s, udp, length);
        checksum(s, udp, stored);
        return c == 0 ? 0xffff : c;
    }
}
