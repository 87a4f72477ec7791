package dev.srv6sh.cloud.model;

import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Ip4;
import dev.srv6sh.dataplane.proto.Ip6;
import java.lang.foreign.MemorySegment;

/**
 * A frame's flow as AWS counts flows between regions, hashed to 64 bits: the 5-tuple for IPv4
 * TCP/UDP, else source, destination and protocol; for IPv6, addresses, next header and flow label (an
 * encapsulating router derives the label from the inner 5-tuple, RFC 6437, so one inner flow stays
 * one outer flow). The outer header is the one read: the wire between regions sees the encapsulated
 * packet, as AWS's network does. Both backends key their per-flow shapers on it, so a flow is the
 * same flow on both. Allocates nothing.
 */
public final class FlowKey {
    private FlowKey() {}

    /** The flow of the Ethernet frame of {@code length} bytes at {@code off} in {@code m}. */
    public static long of(MemorySegment m, long off, int length) {
        long ip = off + Ethernet.LENGTH;
        long h = 0xcbf29ce484222325L;
        int type = length < Ethernet.LENGTH ? -1 : Ethernet.type(m, off);
        if (type == Ethernet.TYPE_IP6 && length >= Ethernet.LENGTH + Ip6.LENGTH) {
            h = mix(h, Ip6.srcHi(m, ip));
            h = mix(h, Ip6.srcLo(m, ip));
            h = mix(h, Ip6.dstHi(m, ip));
            h = mix(h, Ip6.dstLo(m, ip));
            return mix(h, ((long) Ip6.nextHeader(m, ip) << 20) | Ip6.flowLabel(m, ip));
        }
        if (type == Ethernet.TYPE_IP4 && length >= Ethernet.LENGTH + Ip4.MIN_LENGTH) {
            int proto = Ip4.protocol(m, ip);
            h = mix(h, ((long) Ip4.src(m, ip) << 32) | (Ip4.dst(m, ip) & 0xffffffffL));
            h = mix(h, proto);
            long l4 = ip + Ip4.headerLength(m, ip);
            if ((proto == Ip4.PROTO_UDP || proto == Ip4.PROTO_TCP) && off + length >= l4 + 4) {
                h = mix(h, Bytes.u32(m, l4) & 0xffffffffL);
            }
        }
        return h;
    }

    private static long mix(long h, long v) {
        return (h ^ v) * 0x100000001b3L;
    }
}
