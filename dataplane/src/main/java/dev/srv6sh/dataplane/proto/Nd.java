package dev.srv6sh.dataplane.proto;

import java.lang.foreign.MemorySegment;

/**
 * IPv6 Neighbor Discovery's Neighbor Solicitation and Advertisement (RFC 4861 §4.3, §4.4): an ICMPv6
 * message of type 135 or 136 whose second word holds the NA's flags, then the target address, then
 * options (type, length in 8-octet units, data); for Ethernet a link-layer address option is one
 * unit, the MAC after type and length (RFC 4861 §4.6.1, RFC 2464 §8). Offsets are of the ICMPv6
 * header unless they say otherwise.
 */
public final class Nd {
    private Nd() {}

    public static final int SOLICITATION = 135;
    public static final int ADVERTISEMENT = 136;
    /** The ICMPv6 header, the reserved/flags word and the target: the shortest NS or NA. */
    public static final int MIN_LENGTH = 24;
    /** Every NS and NA is sent with it and must arrive with it: proof it did not cross a router. */
    public static final int HOP_LIMIT = 255;

    public static final int OPTION_SOURCE_LINK_ADDRESS = 1;
    public static final int OPTION_TARGET_LINK_ADDRESS = 2;
    /** The NA flags, in the first octet after the checksum. */
    public static final int ROUTER = 0x80;

    public static final int SOLICITED = 0x40;
    public static final int OVERRIDE = 0x20;
    /** An NS or NA as this data plane sends them, with one link-layer address option: IPv6 + 32 bytes. */
    public static final int MESSAGE_LENGTH = Ip6.LENGTH + MIN_LENGTH + 8;

    /** ff02::1, all nodes on the link; ff02::1:ffXX:XXXX, a solicited-node group (RFC 4291 §2.7.1). */
    public static final long LINK_SCOPE_MULTICAST_HI = 0xff02_0000_0000_0000L;

    public static final long ALL_NODES_LO = 1;
    private static final long SOLICITED_NODE_LO = 0x0000_0001_ff00_0000L;
    /** fe80::/64, where a link-local address's interface identifier goes (RFC 4291 §2.5.6). */
    public static final long LINK_LOCAL_HI = 0xfe80_0000_0000_0000L;

    public static int flags(MemorySegment s, long icmp) {
        return Bytes.u8(s, icmp + 4);
    }

    public static long targetHi(MemorySegment s, long icmp) {
        return Bytes.u64(s, icmp + 8);
    }

    public static long targetLo(MemorySegment s, long icmp) {
        return Bytes.u64(s, icmp + 16);
    }

    /** The low half of the solicited-node group of an address whose low half is {@code lo}. */
    public static long solicitedNodeLo(long lo) {
        return SOLICITED_NODE_LO | (lo & 0xff_ffff);
    }

    public static boolean isSolicitedNode(long hi, long lo) {
        return hi == LINK_SCOPE_MULTICAST_HI && (lo & 0xffff_ffff_ff00_0000L) == SOLICITED_NODE_LO;
    }

    /** The Ethernet group an IPv6 multicast address maps to: 33:33 and its low 32 bits (RFC 2464 §7). */
    public static long multicastMac(long lo) {
        return 0x3333_0000_0000L | (lo & 0xffff_ffffL);
    }

    /** The low half of the link-local address made from a MAC by modified EUI-64 (RFC 4291 App. A). */
    public static long linkLocalLo(long mac) {
        return (((mac >>> 24) ^ 0x02_0000L) << 40) | (0xfffeL << 24) | (mac & 0xff_ffff);
    }

    /**
     * Writes, at {@code ip}, an IPv6 header and an NS or NA ({@code type}) with {@code flags}, the
     * target, and one link-layer address option carrying {@code mac} (source for an NS, target for an
     * NA), checksum included: {@link #MESSAGE_LENGTH} bytes.
     */
    public static void write(
            MemorySegment s,
            long ip,
            int type,
            int flags,
            long srcHi,
            long srcLo,
            long dstHi,
            long dstLo,
            long targetHi,
            long targetLo,
            long mac) {
        int length = MIN_LENGTH + 8;
        Ip6.versionClassFlow(s, ip, 0, 0);
        Ip6.payloadLength(s, ip, length);
        Ip6.nextHeader(s, ip, Ip6.NH_ICMP6);
        Ip6.hopLimit(s, ip, HOP_LIMIT);
        Ip6.src(s, ip, srcHi, srcLo);
        Ip6.dst(s, ip, dstHi, dstLo);
        long icmp = ip + Ip6.LENGTH;
        Bytes.u8(s, icmp, type);
        Bytes.u8(s, icmp + 1, 0);
        Bytes.u16(s, icmp + 2, 0);
        Bytes.u32(s, icmp + 4, flags << 24);
        Bytes.u64(s, icmp + 8, targetHi);
        Bytes.u64(s, icmp + 16, targetLo);
        Bytes.u8(s, icmp + 24, type == SOLICITATION ? OPTION_SOURCE_LINK_ADDRESS : OPTION_TARGET_LINK_ADDRESS);
        Bytes.u8(s, icmp + 25, 1);
        Bytes.u16(s, icmp + 26, (int) (mac >>> 32));
        Bytes.u32(s, icmp + 28, (int) mac);
        Icmp6.checksum(s, icmp, Icmp6.compute(s, ip, icmp, length));
    }
}
