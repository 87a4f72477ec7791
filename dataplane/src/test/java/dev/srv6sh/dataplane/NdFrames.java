package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
import java.nio.ByteBuffer;

/**
 * NS, NA and ARP messages built byte by byte from RFC 4861 §4.3-4.4 and RFC 826, independently of
 * the data plane's own writers, so that tests compare its output with the RFCs' layout.
 */
final class NdFrames {
    private NdFrames() {}

    /** An NS or NA: type, code, flags octet, target, then {@code options} (whole 8-byte units or not). */
    static byte[] icmp(int type, int code, int flags, String target, byte[] options) {
        ByteBuffer b = ByteBuffer.allocate(24 + options.length);
        b.put((byte) type).put((byte) code).putShort((short) 0);
        b.put((byte) flags).put(new byte[3]);
        b.put(Packets.addr(target));
        b.put(options);
        return b.array();
    }

    /** A link-layer address option (type 1 source, 2 target) of one 8-byte unit. */
    static byte[] lla(int type, MacAddress mac) {
        return Packets.concat(new byte[] {(byte) type, 1}, mac.bytes());
    }

    /** IPv6 with {@code hopLimit} carrying the ICMPv6 message, its checksum filled in. */
    static byte[] ip6(String src, String dst, int hopLimit, byte[] icmp) {
        byte[] p = Packets.ip6(src, dst, hopLimit, 58, icmp);
        int c = checksum(p);
        p[42] = (byte) (c >>> 8);
        p[43] = (byte) c;
        return p;
    }

    static byte[] ns(String src, String dst, String target, MacAddress sllao) {
        return ip6(src, dst, 255, icmp(135, 0, 0, target, sllao == null ? new byte[0] : lla(1, sllao)));
    }

    static byte[] na(String src, String dst, String target, int flags, MacAddress tllao) {
        return ip6(src, dst, 255, icmp(136, 0, flags, target, tllao == null ? new byte[0] : lla(2, tllao)));
    }

    /** The ICMPv6 checksum of an IPv6 packet (RFC 8200 §8.1 pseudo-header), computed from scratch. */
    static int checksum(byte[] p) {
        int len = p.length - 40;
        long sum = 0;
        for (int i = 8; i < 40; i += 2) {
            sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        sum += len + 58;
        for (int i = 40; i < p.length; i += 2) {
            if (i == 42) {
                continue;
            }
            int hi = p[i] & 0xff;
            int lo = i + 1 < p.length ? p[i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** An ARP message for IPv4 over Ethernet. */
    static byte[] arp(int op, MacAddress sha, String spa, MacAddress tha, String tpa) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.putShort((short) 1)
                .putShort((short) 0x0800)
                .put((byte) 6)
                .put((byte) 4)
                .putShort((short) op);
        b.put(sha.bytes()).put(Addresses.parse4(spa).getAddress());
        b.put(tha.bytes()).put(Addresses.parse4(tpa).getAddress());
        return b.array();
    }

    /** The 33:33:xx:xx:xx:xx group of an IPv6 multicast address (RFC 2464 §7). */
    static MacAddress group(String ip6) {
        byte[] a = Packets.addr(ip6);
        return new MacAddress(0x3333_0000_0000L
                | ((a[12] & 0xffL) << 24)
                | ((a[13] & 0xffL) << 16)
                | ((a[14] & 0xffL) << 8)
                | (a[15] & 0xffL));
    }

    static final MacAddress ZERO = new MacAddress(0);
}
