package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Icmp4;
import dev.srv6sh.dataplane.proto.Ip4;
import dev.srv6sh.dataplane.proto.Ip6;
import dev.srv6sh.dataplane.proto.Srh;
import dev.srv6sh.dataplane.proto.Tcp;
import java.lang.foreign.MemorySegment;

/**
 * sr-policy-rewrite-encaps: RFC 8986 §5.1 H.Encaps and §5.2 H.Encaps.Red for IPv4 and IPv6 packets
 * (also the push of End.B6.Encaps and End.B6.Encaps.Red, whose End part has run already)
 * steered into a policy. One SID list is chosen by flow hash and weight; the inner hop limit / TTL is
 * decremented first, as VPP does; then an outer IPv6 header and an SRH are written into the headroom
 * in front of the packet (no copy of the payload). Outer: SA = encap source, DA = first SID, hop limit
 * = the configured one, traffic class copied from the inner packet, flow label = flow hash.
 *
 * <p>A packet that the encapsulation would make larger than the MTU towards the first SID is not
 * fragmented (this data plane never fragments): an IPv6 packet is answered with Packet Too Big (RFC
 * 4443 §3), an IPv4 packet with DF set with Fragmentation Needed (RFC 792, RFC 1191), both reporting
 * that MTU less the encapsulation, as a router reports what a packet may be to get through the tunnel;
 * an IPv4 packet without DF is a counted drop.
 * Outputs: ip6-lookup, ip6-icmp-error, ip4-icmp-error, error-drop.
 */
final class Encaps extends Node {
    enum Error {
        TTL_EXPIRED("inner TTL or hop limit expired"),
        NO_HEADROOM("no room in front of the packet for the encapsulation"),
        NOT_IP("steered packet is neither IPv4 nor IPv6"),
        TOO_BIG("packet with the encapsulation larger than the MTU towards the first SID"),
        LARGE_SEND_TOO_LARGE("large send (GSO) too large for an IPv6 packet with the encapsulation"),
        TOO_BIG_FRAGMENTABLE("IPv4 packet too big for the tunnel without DF (this data plane never fragments)"),
        MSS_CLAMPED(dev.srv6sh.dataplane.agent.Counters.MSS_CLAMPED);

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    Encaps(Engine e) {
        super(e, "sr-policy-rewrite-encaps", Error.values());
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        var m = b.memory;
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            long at = b.at(buf);
            int len = b.length[buf];
            int version = Ip4.version(m, at);
            int innerNh;
            int tc;
            if (version == 4) {
                if (Ip4.ttl(m, at) <= 1 && (b.flags[buf] & Buffers.BOUND) == 0) {
                    next[k] = drop(b, buf, Error.TTL_EXPIRED);
                    continue;
                }
                innerNh = Ip6.NH_IPV4;
                tc = Ip4.tos(m, at);
            } else if (version == 6) {
                if (Ip6.hopLimit(m, at) <= 1 && (b.flags[buf] & Buffers.BOUND) == 0) {
                    next[k] = drop(b, buf, Error.TTL_EXPIRED);
                    continue;
                }
                innerNh = Ip6.NH_IPV6;
                tc = Ip6.trafficClass(m, at);
            } else {
                next[k] = drop(b, buf, Error.NOT_IP);
                continue;
            }
            int p = b.target[buf];
            int hash = FlowHash.of(m, at, len);
            int list = pick(fib, p, hash);
            long[] segs = fib.policySegments[p][list];
            int count = segs.length / 2;
            int flags = b.flags[buf];
            boolean bound = (flags & Buffers.BOUND) != 0;
            boolean reduced = bound ? (flags & Buffers.BOUND_REDUCED) != 0 : fib.policyReduced[p];
            int inSrh = reduced ? count - 1 : count;
            int srhLength = inSrh == 0 ? 0 : Srh.FIXED + 16 * inSrh;
            int added = Ip6.LENGTH + srhLength;
            int mtu = fib.policyMtu[p][list];
            if (b.wireLength(buf, len) + added > mtu) {
                next[k] = tooBig(b, m, buf, at, version, mtu - added);
                continue;
            }
            if (len + added - Ip6.LENGTH > 0xffff) {
                next[k] = drop(b, buf, Error.LARGE_SEND_TOO_LARGE); // only a large send comes near
                continue;
            }
            if (b.headroom(buf) < added + dev.srv6sh.dataplane.proto.Ethernet.LENGTH) {
                next[k] = drop(b, buf, Error.NO_HEADROOM);
                continue;
            }
            if (!bound && clampMss(m, at, len, version, mtu - added)) {
                engine.countError(errors[Error.MSS_CLAMPED.ordinal()]);
            }
            if (bound) {
                // End.B6.Encaps: the End part already decremented it
            } else if (version == 4) {
                Ip4.decrementTtl(m, at);
            } else {
                Ip6.hopLimit(m, at, Ip6.hopLimit(m, at) - 1);
            }
            b.offset[buf] -= added;
            b.length[buf] = len + added;
            pushTemplate(fib, m, b.at(buf), p, list, reduced, innerNh, len, tc, hash);
            b.flags[buf] |= Buffers.ORIGINATED;
            next[k] = IP6_LOOKUP;
        }
    }

    /**
     * Puts policy {@code p}'s SID list {@code list} in front of an inner packet of {@code
     * innerLength} bytes at {@code ip}: the precompiled outer header and SRH ({@link
     * Fib#policyTemplate}, full or reduced), then the fields that vary per packet (traffic class, flow
     * label, payload length, the inner packet's next header).
     */
    static void pushTemplate(
            Fib fib,
            MemorySegment m,
            long ip,
            int p,
            int list,
            boolean reduced,
            int innerNh,
            int innerLength,
            int tc,
            int flow) {
        MemorySegment template = fib.policyTemplate[reduced ? 1 : 0][p][list];
        int added = (int) template.byteSize();
        MemorySegment.copy(template, 0, m, ip, added);
        Ip6.versionClassFlow(m, ip, tc, flow);
        Ip6.payloadLength(m, ip, innerLength + added - Ip6.LENGTH);
        if (added == Ip6.LENGTH) {
            Ip6.nextHeader(m, ip, innerNh);
        } else {
            Bytes.u8(m, ip + Ip6.LENGTH, innerNh); // the SRH's Next Header
        }
    }

    /**
     * A TCP SYN going into the tunnel announces at most what fits through it: its MSS option lowered to
     * the tunnel's MTU less the inner IP and TCP headers (RFC 879, RFC 6691: 40 bytes for IPv4, 60 for
     * IPv6), as a tunnel head does (Linux's {@code TCPMSS --clamp-mss-to-pmtu}, VPP's
     * {@code tcp-mss-clamp}). Both ends' SYNs cross an encapsulating router on an SRv6 path, so neither
     * sends a segment the tunnel must refuse, and a connection runs at full size from its first
     * window; without it, the first window of every new path was refused with Packet Too Big /
     * Fragmentation Needed and retransmitted (15-18 retransmits per iperf3 connection on netns).
     * Only the first header after the inner IP one is looked at: a SYN behind IPv6 extension headers
     * or in a later IPv4 fragment goes as it is, and path MTU discovery still answers what does not fit.
     */
    private static boolean clampMss(MemorySegment m, long at, int len, int version, int innerMtu) {
        if (version == 4) {
            int ihl = Ip4.headerLength(m, at);
            if (Ip4.protocol(m, at) != Ip4.PROTO_TCP || (Ip4.fragment(m, at) & Ip4.OFFSET_MASK) != 0 || ihl > len) {
                return false;
            }
            return Tcp.clampMss(m, at + ihl, len - ihl, innerMtu - Ip4.MIN_LENGTH - Tcp.MIN_LENGTH) >= 0;
        }
        if (Ip6.nextHeader(m, at) != Ip6.NH_TCP || len < Ip6.LENGTH) {
            return false;
        }
        return Tcp.clampMss(m, at + Ip6.LENGTH, len - Ip6.LENGTH, innerMtu - Ip6.LENGTH - Tcp.MIN_LENGTH) >= 0;
    }

    /** Packet Too Big for IPv6, Fragmentation Needed for IPv4 with DF, else a counted drop. */
    private int tooBig(Buffers b, MemorySegment m, int buf, long at, int version, int mtu) {
        if (version == 6) {
            return icmp(b, buf, Error.TOO_BIG, ICMP6_PACKET_TOO_BIG, 0, mtu);
        }
        if ((Ip4.fragment(m, at) & Ip4.DONT_FRAGMENT) != 0) {
            return icmp4(b, buf, Error.TOO_BIG, Icmp4.DESTINATION_UNREACHABLE, Icmp4.FRAGMENTATION_NEEDED, mtu);
        }
        return drop(b, buf, Error.TOO_BIG_FRAGMENTABLE);
    }

    /**
     * Writes the outer IPv6 header at {@code ip} and, when {@code inSrh} > 0, the SRH behind it: SA the
     * encapsulation source, DA the first SID, {@code inSrh} SIDs of {@code segs} (visit order) in the
     * SRH with Segment List[0] the last one, SL = n − 1 (a reduced SRH leaves the first SID out).
     */
    static void push(
            Fib fib, MemorySegment m, long ip, long[] segs, int inSrh, int innerNh, int innerLength, int tc, int flow) {
        int count = segs.length / 2;
        int srhLength = inSrh == 0 ? 0 : Srh.FIXED + 16 * inSrh;
        Ip6.versionClassFlow(m, ip, tc, flow);
        Ip6.payloadLength(m, ip, innerLength + srhLength);
        Ip6.nextHeader(m, ip, srhLength == 0 ? innerNh : Ip6.NH_ROUTING);
        Ip6.hopLimit(m, ip, fib.encapHopLimit);
        Ip6.src(m, ip, fib.encapSrcHi, fib.encapSrcLo);
        Ip6.dst(m, ip, segs[0], segs[1]);
        if (srhLength > 0) {
            long srh = ip + Ip6.LENGTH;
            Srh.write(m, srh, innerNh, 2 * inSrh, count - 1, inSrh - 1);
            for (int i = 0; i < inSrh; i++) {
                int s = count - 1 - i;
                long at16 = Srh.segment(srh, i);
                Bytes.u64(m, at16, segs[2 * s]);
                Bytes.u64(m, at16 + 8, segs[2 * s + 1]);
            }
        }
    }

    /** The index of the SID list for this flow: weighted by the lists' weights, stable per flow. */
    static int pick(Fib fib, int policy, int hash) {
        int[] w = fib.policyWeights[policy];
        if (w.length == 1) {
            return 0;
        }
        int x = hash % fib.policyWeightTotal[policy];
        for (int i = 0; i < w.length; i++) {
            if (x < w[i]) {
                return i;
            }
            x -= w[i];
        }
        return w.length - 1;
    }
}
