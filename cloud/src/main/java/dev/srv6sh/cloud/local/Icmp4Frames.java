package dev.srv6sh.cloud.local;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Checksum;
import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Ip4;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;

/**
 * Ethernet/IPv4/ICMP echo frames for the emulated hosts, written and read with the data plane's
 * header accessors (RFC 792 echo: type, code, checksum, identifier, sequence, data).
 */
final class Icmp4Frames {
    private static final int IP = Ethernet.LENGTH;
    private static final int ICMP = IP + Ip4.MIN_LENGTH;

    private Icmp4Frames() {}

    static byte[] echo(
            MacAddress src,
            MacAddress dst,
            Inet4Address from,
            Inet4Address to,
            int ttl,
            int type,
            int id,
            int seq,
            int payload) {
        byte[] f = new byte[ICMP + 8 + payload];
        MemorySegment m = MemorySegment.ofArray(f);
        Ethernet.write(m, 0, dst.value(), src.value(), Ethernet.TYPE_IP4);
        Bytes.u8(m, IP, 0x45);
        Bytes.u16(m, IP + 2, Ip4.MIN_LENGTH + 8 + payload);
        Bytes.u16(m, IP + 4, seq);
        Bytes.u16(m, IP + 6, 0x4000); // don't fragment, as Linux ping sets it
        Bytes.u8(m, IP + 8, ttl);
        Bytes.u8(m, IP + 9, Ip4.PROTO_ICMP);
        Bytes.u32(m, IP + 12, Addresses.toInt(from));
        Bytes.u32(m, IP + 16, Addresses.toInt(to));
        Bytes.u16(m, IP + 10, Checksum.internet(m, IP, Ip4.MIN_LENGTH));
        Bytes.u8(m, ICMP, type);
        Bytes.u16(m, ICMP + 4, id);
        Bytes.u16(m, ICMP + 6, seq);
        for (int i = 0; i < payload; i++) {
            f[ICMP + 8 + i] = (byte) (0x10 + i);
        }
        Bytes.u16(m, ICMP + 2, Checksum.internet(m, ICMP, 8 + payload));
        return f;
    }

    /** An echo reply to {@code request}: addresses swapped, the same id, sequence and data. */
    static byte[] reply(byte[] request, MacAddress src, MacAddress dst, int ttl) {
        int total = Ip4.totalLength(MemorySegment.ofArray(request), IP);
        byte[] f = java.util.Arrays.copyOf(request, IP + total);
        MemorySegment m = MemorySegment.ofArray(f);
        Ethernet.write(m, 0, dst.value(), src.value(), Ethernet.TYPE_IP4);
        int from = Ip4.src(m, IP);
        Bytes.u32(m, IP + 12, Ip4.dst(m, IP));
        Bytes.u32(m, IP + 16, from);
        Bytes.u8(m, IP + 8, ttl);
        Bytes.u16(m, IP + 10, 0);
        Bytes.u16(m, IP + 10, Checksum.internet(m, IP, Ip4.MIN_LENGTH));
        Bytes.u8(m, ICMP, 0);
        Bytes.u16(m, ICMP + 2, 0);
        Bytes.u16(m, ICMP + 2, Checksum.internet(m, ICMP, total - Ip4.MIN_LENGTH));
        return f;
    }

    /** Version 4, IHL 5, lengths consistent with the frame, header checksum correct. */
    static boolean headerValid(byte[] f) {
        MemorySegment m = MemorySegment.ofArray(f);
        if (f.length < IP + Ip4.MIN_LENGTH || Bytes.u8(m, IP) != 0x45) {
            return false;
        }
        int total = Ip4.totalLength(m, IP);
        return total >= Ip4.MIN_LENGTH && IP + total <= f.length && Ip4.checksumValid(m, IP, Ip4.MIN_LENGTH);
    }

    static boolean isIcmp(byte[] f) {
        MemorySegment m = MemorySegment.ofArray(f);
        return Ip4.protocol(m, IP) == Ip4.PROTO_ICMP && Ip4.totalLength(m, IP) >= Ip4.MIN_LENGTH + 8;
    }

    static boolean isUdp(byte[] f) {
        return Ip4.protocol(MemorySegment.ofArray(f), IP) == Ip4.PROTO_UDP;
    }

    static int icmpType(byte[] f) {
        return f[ICMP] & 0xff;
    }

    static int identifier(byte[] f) {
        return Bytes.u16(MemorySegment.ofArray(f), ICMP + 4);
    }

    static int sequence(byte[] f) {
        return Bytes.u16(MemorySegment.ofArray(f), ICMP + 6);
    }

    static int ttl(byte[] f) {
        return Ip4.ttl(MemorySegment.ofArray(f), IP);
    }
}
