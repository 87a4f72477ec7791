package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Ip6;
import dev.srv6sh.dataplane.proto.Srh;
import java.lang.foreign.MemorySegment;

/**
 * The extension-header chain of a packet addressed to a local SID, walked once by sr-localsid so that
 * every behavior node reads the result from the buffer's metadata instead of parsing again. The walk
 * follows Hop-by-Hop Options, Destination Options and Routing headers, and stops at the first other
 * protocol (the upper layer, a Fragment header included) or at the first SRH with segments left.
 *
 * <pre>
 * a header runs past the packet ..................... TRUNCATED (catalogue M4: dropped, no ICMP)
 * &gt; 8 headers, or &gt; 256 bytes of headers other than SRHs  TOO_LONG (M16, RFC 8883 limits: dropped)
 * routing type ≠ 4 with segments left &gt; 0 ........... UNKNOWN_ROUTING (M14: RFC 8200 §4.4, Parameter
 *                                                      Problem code 0 at the Routing Type field)
 * routing type ≠ 4 with segments left 0 ............. skipped (RFC 8200 §4.4)
 * several SRHs (M15) ................................ the first one with segments left &gt; 0 is
 *                                                      processed, else the first one (all SL 0)
 * a TLV of that SRH runs past it .................... BAD_TLV (M18: dropped)
 * </pre>
 *
 * Results go to {@link Buffers#srh}, {@link Buffers#srhNamedAt}, {@link Buffers#upper} and {@link
 * Buffers#upperProtocol}. The loop is bounded by {@link #MAX_HEADERS}; nothing is allocated.
 */
final class HeaderChain {
    private HeaderChain() {}

    static final int MAX_HEADERS = 8;
    static final int MAX_BYTES = 256;

    static final int OK = 0;
    static final int TRUNCATED = 1;
    static final int TOO_LONG = 2;
    /** With the Parameter Problem pointer in the bits above the low byte. */
    static final int UNKNOWN_ROUTING = 3;

    static final int BAD_TLV = 4;

    /** Walks the chain of the IPv6 packet in {@code buf}; returns a verdict (low byte) and records the offsets. */
    static int walk(MemorySegment m, Buffers b, int buf) {
        long ip = b.at(buf);
        int len = b.length[buf];
        int protocol = Ip6.nextHeader(m, ip);
        int namedAt = 6; // the octet naming the current header: the IPv6 Next Header field first
        int at = Ip6.LENGTH;
        int headers = 0;
        int bytes = 0;
        int srh = -1;
        int srhNamedAt = -1;
        b.upper[buf] = -1;
        b.upperProtocol[buf] = -1;
        while (protocol == Ip6.NH_HOP_BY_HOP || protocol == Ip6.NH_ROUTING || protocol == Ip6.NH_DEST_OPTIONS) {
            if (++headers > MAX_HEADERS) {
                return TOO_LONG;
            }
            if (at + 8 > len) {
                return TRUNCATED;
            }
            long h = ip + at;
            int size = 8 * (Bytes.u8(m, h + 1) + 1);
            if (at + size > len) {
                return TRUNCATED;
            }
            boolean isSrh = protocol == Ip6.NH_ROUTING && Srh.routingType(m, h) == Srh.ROUTING_TYPE;
            if (protocol == Ip6.NH_ROUTING && Srh.segmentsLeft(m, h) > 0) {
                if (!isSrh) {
                    return UNKNOWN_ROUTING | (at + 2) << 8;
                }
                b.srh[buf] = at;
                b.srhNamedAt[buf] = namedAt;
                return Srh.tlvsFit(m, h) ? OK : BAD_TLV;
            }
            if (isSrh) {
                if (srh < 0) {
                    srh = at;
                    srhNamedAt = namedAt;
                }
            } else if ((bytes += size) > MAX_BYTES) {
                return TOO_LONG;
            }
            namedAt = at; // an extension header's Next Header is its first octet
            protocol = Bytes.u8(m, h);
            at += size;
        }
        b.srh[buf] = srh;
        b.srhNamedAt[buf] = srhNamedAt;
        b.upper[buf] = at;
        b.upperProtocol[buf] = protocol;
        return srh < 0 || Srh.tlvsFit(m, ip + srh) ? OK : BAD_TLV;
    }
}
