package dev.srv6sh.shell.wire;

import dev.srv6sh.dataplane.config.MacAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * The frames the wire benchmark's generator sends, byte by byte, and the trafgen configuration that
 * sends them. Written here rather than taken from a capture so that the frame is exactly what the
 * table says: a 64-byte-class UDP packet (IPv4, 46 bytes: a 60-byte Ethernet frame, 64 with the FCS),
 * and the same packet inside an outer IPv6 header and an SRH with one SID (segments left 0) for
 * End.DX4. Checksums are computed, so a receiver that checks them (the kernel does for the IPv4
 * header) forwards the frame rather than dropping it.
 */
public final class WireFrames {
    /** The inner IPv4 packet's size: 20 bytes of IPv4, 8 of UDP, 18 of payload. */
    public static final int IP4_BYTES = 46;

    /** The UDP ports: from 1024 to discard (9), which nobody on the sink listens to. */
    static final int SPORT = 1024;

    static final int DPORT = 9;

    private static final int ETHERTYPE_IP4 = 0x0800;
    private static final int ETHERTYPE_IP6 = 0x86dd;

    private WireFrames() {}

    /** An Ethernet frame holding the 46-byte UDP packet from {@code src} to {@code dst}, TTL 64. */
    public static byte[] plain(MacAddress to, MacAddress from, Inet4Address src, Inet4Address dst) {
        ByteBuffer b = ByteBuffer.allocate(14 + IP4_BYTES);
        ethernet(b, to, from, ETHERTYPE_IP4);
        b.put(ip4(src, dst));
        return b.array();
    }

    /**
     * An Ethernet frame holding an IPv6 packet from {@code outerSrc} to {@code sid}, hop limit 64, with
     * a segment routing header (RFC 8754: routing type 4, segments left 0, last entry 0, the one SID)
     * whose next header is IPv4 (4), around the same UDP packet as {@link #plain}.
     */
    public static byte[] srv6(
            MacAddress to,
            MacAddress from,
            Inet6Address outerSrc,
            Inet6Address sid,
            Inet4Address src,
            Inet4Address dst) {
        byte[] inner = ip4(src, dst);
        int srh = 8 + 16;
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + srh + inner.length);
        ethernet(b, to, from, ETHERTYPE_IP6);
        b.putInt(0x6000_0000); // version 6, traffic class 0, flow label 0
        b.putShort((short) (srh + inner.length)); // payload length
        b.put((byte) 43); // next header: routing
        b.put((byte) 64); // hop limit
        b.put(outerSrc.getAddress());
        b.put(sid.getAddress());
        b.put((byte) 4); // SRH next header: IPv4
        b.put((byte) 2); // header extension length, in 8-octet units past the first 8
        b.put((byte) 4); // routing type: segment routing
        b.put((byte) 0); // segments left
        b.put((byte) 0); // last entry
        b.put((byte) 0); // flags
        b.putShort((short) 0); // tag
        b.put(sid.getAddress()); // segment list[0]
        b.put(inner);
        return b.array();
    }

    private static void ethernet(ByteBuffer b, MacAddress to, MacAddress from, int type) {
        b.put(to.bytes());
        b.put(from.bytes());
        b.putShort((short) type);
    }

    /** IPv4 (no options, ID 0, DF) + UDP with its checksum + an 18-byte payload. */
    static byte[] ip4(Inet4Address src, Inet4Address dst) {
        ByteBuffer b = ByteBuffer.allocate(IP4_BYTES);
        b.put((byte) 0x45); // version 4, IHL 5
        b.put((byte) 0); // DSCP/ECN
        b.putShort((short) IP4_BYTES);
        b.putShort((short) 0); // identification
        b.putShort((short) 0x4000); // don't fragment
        b.put((byte) 64); // TTL
        b.put((byte) 17); // UDP
        b.putShort((short) 0); // header checksum, below
        b.put(src.getAddress());
        b.put(dst.getAddress());
        int udpLength = IP4_BYTES - 20;
        b.putShort((short) SPORT);
        b.putShort((short) DPORT);
        b.putShort((short) udpLength);
        b.putShort((short) 0); // UDP checksum, below
        for (int i = 0; i < udpLength - 8; i++) {
            b.put((byte) ('a' + i)); // "abcdefghijklmnopqr"
        }
        byte[] p = b.array();
        int h = checksum(p, 0, 20, 0);
        p[10] = (byte) (h >>> 8);
        p[11] = (byte) h;
        // the UDP pseudo-header: source, destination, zero, protocol, UDP length
        long pseudo = sum(p, 12, 8) + 17 + udpLength;
        int u = checksum(p, 20, udpLength, pseudo);
        if (u == 0) {
            u = 0xffff; // RFC 768: a computed zero is sent as all ones
        }
        p[26] = (byte) (u >>> 8);
        p[27] = (byte) u;
        return p;
    }

    private static long sum(byte[] p, int from, int length) {
        long s = 0;
        for (int i = 0; i < length; i += 2) {
            int hi = p[from + i] & 0xff;
            int lo = i + 1 < length ? p[from + i + 1] & 0xff : 0;
            s += (hi << 8) | lo;
        }
        return s;
    }

    /** The internet checksum (RFC 1071) of {@code length} bytes from {@code from}, plus {@code initial}. */
    static int checksum(byte[] p, int from, int length, long initial) {
        long s = initial + sum(p, from, length);
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (~s & 0xffff);
    }

    /**
     * A trafgen configuration ({@code trafgen --conf FILE}) sending {@code frame} over and over: one
     * packet block of hexadecimal bytes, sixteen to a line, with a comment saying what it is.
     */
    public static String trafgen(String comment, byte[] frame) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(comment).append(", ").append(frame.length).append(" bytes (srv6sh bench --wire)\n");
        sb.append("{\n");
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < frame.length; i++) {
            sb.append(i % 16 == 0 ? "  " : " ");
            sb.append("0x").append(hex.toHexDigits(frame[i]));
            if (i + 1 < frame.length) {
                sb.append(',');
            }
            if (i % 16 == 15 || i + 1 == frame.length) {
                sb.append('\n');
            }
        }
        sb.append("}\n");
        return sb.toString();
    }
}
