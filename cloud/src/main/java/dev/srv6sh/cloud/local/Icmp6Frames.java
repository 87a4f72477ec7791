package dev.srv6sh.cloud.local;

import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Icmp6;
import dev.srv6sh.dataplane.proto.Ip6;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;

/**
 * Ethernet/IPv6/ICMPv6 echo frames for the emulated hosts (RFC 4443 §4: type 128 request, 129 reply,
 * identifier, sequence, data; the checksum covers the IPv6 pseudo-header), written and read with the
 * data plane's header accessors.
 */
final class Icmp6Frames {
    private static final int IP = Ethernet.LENGTH;
    private static final int ICMP = IP + Ip6.LENGTH;

    private Icmp6Frames() {}

    static byte[] echoRequest(
            MacAddress src,
            MacAddress dst,
            Inet6Address from,
            Inet6Address to,
            int hopLimit,
            int id,
            int seq,
            int data) {
        byte[] f = new byte[ICMP + Icmp6.HEADER + data];
        MemorySegment m = MemorySegment.ofArray(f);
        Ethernet.write(m, 0, dst.value(), src.value(), Ethernet.TYPE_IP6);
        Ip6.versionClassFlow(m, IP, 0, 0);
        Ip6.payloadLength(m, IP, Icmp6.HEADER + data);
        Ip6.nextHeader(m, IP, Ip6.NH_ICMP6);
        Ip6.hopLimit(m, IP, hopLimit);
        MemorySegment.copy(from.getAddress(), 0, m, java.lang.foreign.ValueLayout.JAVA_BYTE, IP + 8, 16);
        MemorySegment.copy(to.getAddress(), 0, m, java.lang.foreign.ValueLayout.JAVA_BYTE, IP + 24, 16);
        Bytes.u8(m, ICMP, Icmp6.ECHO_REQUEST);
        Bytes.u16(m, ICMP + 4, id);
        Bytes.u16(m, ICMP + 6, seq);
        for (int i = 0; i < data; i++) {
            f[ICMP + Icmp6.HEADER + i] = (byte) (0x10 + i);
        }
        Bytes.u16(m, ICMP + 2, Icmp6.compute(m, IP, ICMP, Icmp6.HEADER + data));
        return f;
    }

    /** The reply to an echo request: addresses swapped, type 129, the same id, sequence and data. */
    static byte[] reply(byte[] request, MacAddress src, MacAddress dst, int hopLimit) {
        MemorySegment r = MemorySegment.ofArray(request);
        int payload = Ip6.payloadLength(r, IP);
        byte[] f = java.util.Arrays.copyOf(request, ICMP + payload);
        MemorySegment m = MemorySegment.ofArray(f);
        Ethernet.write(m, 0, dst.value(), src.value(), Ethernet.TYPE_IP6);
        System.arraycopy(request, IP + 24, f, IP + 8, 16);
        System.arraycopy(request, IP + 8, f, IP + 24, 16);
        Ip6.hopLimit(m, IP, hopLimit);
        Bytes.u8(m, ICMP, Icmp6.ECHO_REPLY);
        Bytes.u16(m, ICMP + 2, 0);
        Bytes.u16(m, ICMP + 2, Icmp6.compute(m, IP, ICMP, payload));
        return f;
    }

    /**
     * An IPv6 packet carrying a whole ICMPv6 message with a correct checksum (RFC 4443 §2.3: a
     * receiver discards one whose checksum is wrong).
     */
    static boolean validIcmp6(byte[] f) {
        if (f.length < ICMP + Icmp6.HEADER) {
            return false;
        }
        MemorySegment m = MemorySegment.ofArray(f);
        int payload = Ip6.payloadLength(m, IP);
        return Ip6.version(m, IP) == 6
                && Ip6.nextHeader(m, IP) == Ip6.NH_ICMP6
                && payload >= Icmp6.HEADER
                && ICMP + payload <= f.length
                && Icmp6.checksumValid(m, IP, ICMP, payload);
    }

    /** An IPv6 packet whose next header is ICMPv6, whatever its checksum. */
    static boolean isIcmp6(byte[] f) {
        return f.length >= ICMP && Ip6.nextHeader(MemorySegment.ofArray(f), IP) == Ip6.NH_ICMP6;
    }

    static int type(byte[] f) {
        return f[ICMP] & 0xff;
    }

    static int identifier(byte[] f) {
        return Bytes.u16(MemorySegment.ofArray(f), ICMP + 4);
    }

    static int sequence(byte[] f) {
        return Bytes.u16(MemorySegment.ofArray(f), ICMP + 6);
    }

    static int hopLimit(byte[] f) {
        return Ip6.hopLimit(MemorySegment.ofArray(f), IP);
    }
}
