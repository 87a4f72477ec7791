package dev.srv6sh.cloud.local;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Checksum;
import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Ip4;
import dev.srv6sh.dataplane.proto.Udp;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;

/**
 * The emulated hosts' measurement datagrams: Ethernet, IPv4 (DF set, as Linux sets it on UDP with
 * path-MTU discovery), UDP with its checksum, then a 16-byte payload header (sequence number, flow id,
 * send time in ns of the emulation's clock) and filler up to the datagram's size.
 */
final class UdpFrames {
    static final int IP = Ethernet.LENGTH;
    static final int UDP = IP + Ip4.MIN_LENGTH;
    static final int PAYLOAD = UDP + Udp.HEADER;
    /** Sequence number (4), flow id (4), send timestamp (8). */
    static final int STAMP = 16;
    /** The smallest datagram that carries the stamp: IPv4 + UDP headers and 16 bytes. */
    static final int MIN_SIZE = Ip4.MIN_LENGTH + Udp.HEADER + STAMP;
    /** iperf3's port. */
    static final int PORT = 5201;

    private UdpFrames() {}

    /** A datagram of {@code size} bytes of IPv4 (headers included). */
    static byte[] datagram(
            MacAddress src,
            MacAddress dst,
            Inet4Address from,
            Inet4Address to,
            int srcPort,
            int dstPort,
            int size,
            int seq,
            int flow,
            long sentNanos) {
        byte[] f = new byte[IP + size];
        MemorySegment m = MemorySegment.ofArray(f);
        Ethernet.write(m, 0, dst.value(), src.value(), Ethernet.TYPE_IP4);
        Bytes.u8(m, IP, 0x45);
        Bytes.u16(m, IP + 2, size);
        Bytes.u16(m, IP + 4, seq & 0xffff);
        Bytes.u16(m, IP + 6, Ip4.DONT_FRAGMENT);
        Bytes.u8(m, IP + 8, EmulatedHost.DEFAULT_TTL);
        Bytes.u8(m, IP + 9, Ip4.PROTO_UDP);
        Bytes.u32(m, IP + 12, Addresses.toInt(from));
        Bytes.u32(m, IP + 16, Addresses.toInt(to));
        Bytes.u16(m, IP + 10, Checksum.internet(m, IP, Ip4.MIN_LENGTH));
        Udp.write(m, UDP, srcPort, dstPort, size - Ip4.MIN_LENGTH);
        Bytes.u32(m, PAYLOAD, seq);
        Bytes.u32(m, PAYLOAD + 4, flow);
        Bytes.u64(m, PAYLOAD + 8, sentNanos);
        // the filler is zeros, which add nothing to a one's-complement sum: summing the header and the
        // stamp gives the whole datagram's checksum at a fraction of the cost (the sink checks it all)
        int length = size - Ip4.MIN_LENGTH;
        int c = Checksum.withPseudo(Checksum.ip4Pseudo(m, IP, length, Ip4.PROTO_UDP), m, UDP, Udp.HEADER + STAMP);
        Udp.checksum(m, UDP, c == 0 ? 0xffff : c);
        return f;
    }

    /** A UDP datagram whose length fields agree with the frame and whose checksum is right (0: none sent). */
    static boolean valid(byte[] f) {
        MemorySegment m = MemorySegment.ofArray(f);
        if (f.length < UDP + Udp.HEADER || Ip4.protocol(m, IP) != Ip4.PROTO_UDP) {
            return false;
        }
        int length = Udp.length(m, UDP);
        if (length < Udp.HEADER || UDP + length > f.length || Ip4.totalLength(m, IP) != Ip4.MIN_LENGTH + length) {
            return false;
        }
        return Udp.checksum(m, UDP) == 0
                || Checksum.withPseudo(Checksum.ip4Pseudo(m, IP, length, Ip4.PROTO_UDP), m, UDP, length) == 0;
    }

    static boolean stamped(byte[] f) {
        return Udp.length(MemorySegment.ofArray(f), UDP) >= Udp.HEADER + STAMP;
    }

    static int ipLength(byte[] f) {
        return Ip4.totalLength(MemorySegment.ofArray(f), IP);
    }

    static int dstPort(byte[] f) {
        return Udp.dstPort(MemorySegment.ofArray(f), UDP);
    }

    static long sequence(byte[] f) {
        return Bytes.u32(MemorySegment.ofArray(f), PAYLOAD) & 0xffffffffL;
    }

    static int flow(byte[] f) {
        return Bytes.u32(MemorySegment.ofArray(f), PAYLOAD + 4);
    }

    static long sentNanos(byte[] f) {
        return Bytes.u64(MemorySegment.ofArray(f), PAYLOAD + 8);
    }
}
