package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Ip6;
import dev.srv6sh.dataplane.proto.Srh;
import java.lang.foreign.MemorySegment;

/**
 * sr-policy-rewrite-insert: H.Insert and H.Insert.Red for IPv6 packets steered into an {@code insert}
 * or {@code insert.red} policy, and the insertion of End.B6.Insert[.Red]. None of them is in RFC 8986;
 * they follow draft-filsfils-spring-srv6-net-pgm-insertion. A SID list S1..Sn is chosen by flow hash
 * and weight, and an SRH is inserted between the IPv6 header (and its Hop-by-Hop header, which must
 * stay first, RFC 8200 §4.1) and whatever followed; End.B6.Insert puts it right in front of the SRH it
 * processed, wherever sr-localsid found that. A received SRH stays, behind the new one; the headers in
 * front move up into the headroom, the payload is not copied.
 *
 * <pre>
 * H.Insert           SRH (D, Sn, ..., S1; SL = n, LE = n)       D: the original destination
 * H.Insert.Red       SRH (D, Sn, ..., S2; SL = n, LE = n − 1)   S1 only in the DA
 * End.B6.Insert      SRH (Sn, ..., S1; SL = n − 1, LE = n − 1)  the received SRH resumes at Sn
 * End.B6.Insert.Red  SRH (Sn, ..., S2; SL = n − 1, LE = n − 2)  none at all for one SID
 * then DA = S1, next header 43, payload length + the SRH → ip6-lookup
 * </pre>
 *
 * At a headend the packet is in transit: its hop limit is checked here (Time Exceeded about the
 * packet as received) and decremented by ip6-rewrite. A packet that the insertion would make
 * larger than the MTU towards S1 is answered with Packet Too Big (RFC 4443 §3) reporting that MTU
 * less the SRH, so that the source's next packets fit once the SRH is added.
 * Outputs: ip6-lookup, ip6-icmp-error, error-drop.
 */
final class Insert extends Node {
    enum Error {
        NOT_IP6("only IPv6 packets can take an inserted SRH"),
        HOP_LIMIT("hop limit exceeded"),
        TOO_BIG("packet with the SRH larger than the MTU towards the first SID"),
        NO_HEADROOM("no room in front of the packet for the SRH"),
        TRUNCATED("Hop-by-Hop header runs past the packet"),
        LARGE_SEND_TOO_LARGE("large send (GSO) too large for an IPv6 packet with the SRH");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    Insert(Engine e) {
        super(e, "sr-policy-rewrite-insert", Error.values());
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        MemorySegment m = b.memory;
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            long at = b.at(buf);
            int len = b.length[buf];
            int flags = b.flags[buf];
            boolean bound = (flags & Buffers.BOUND) != 0;
            if (Ip6.version(m, at) != 6) {
                next[k] = drop(b, buf, Error.NOT_IP6);
                continue;
            }
            if (!bound && Ip6.hopLimit(m, at) <= 1) {
                next[k] = icmp(b, buf, Error.HOP_LIMIT, ICMP6_TIME_EXCEEDED, 0, 0);
                continue;
            }
            int p = b.target[buf];
            int list = Encaps.pick(fib, p, FlowHash.of(m, at, len));
            long[] segs = fib.policySegments[p][list];
            int count = segs.length / 2;
            boolean reduced = bound ? (flags & Buffers.BOUND_REDUCED) != 0 : fib.policyReduced[p];
            int fromPolicy = reduced ? count - 1 : count;
            int base = bound ? 0 : 1; // a headend keeps the original destination as Segment List[0]
            int entries = base + fromPolicy;
            int srhLength = entries == 0 ? 0 : Srh.FIXED + 16 * entries;
            int mtu = fib.policyMtu[p][list];
            if (b.wireLength(buf, len) + srhLength > mtu) {
                next[k] = icmp(b, buf, Error.TOO_BIG, ICMP6_PACKET_TOO_BIG, 0, mtu - srhLength);
                continue;
            }
            if (len + srhLength - Ip6.LENGTH > 0xffff) {
                next[k] = drop(b, buf, Error.LARGE_SEND_TOO_LARGE); // only a large send comes near
                continue;
            }
            if (b.headroom(buf) < srhLength + Ethernet.LENGTH) {
                next[k] = drop(b, buf, Error.NO_HEADROOM);
                continue;
            }
            // Where the SRH goes: in front of the received SRH that End.B6.Insert found (sr-localsid's
            // HeaderChain), or behind the IPv6 header and a Hop-by-Hop header, which must stay first
            // (RFC 8200 §4.1); namedAt is the octet that names what the SRH is inserted in front of.
            int insertAt = Ip6.LENGTH;
            int namedAt = 6;
            if (bound && b.srh[buf] >= 0) {
                insertAt = b.srh[buf];
                namedAt = b.srhNamedAt[buf];
            } else if (Ip6.nextHeader(m, at) == Ip6.NH_HOP_BY_HOP) {
                if (len < Ip6.LENGTH + 8 || Ip6.LENGTH + 8 * (Bytes.u8(m, at + Ip6.LENGTH + 1) + 1) > len) {
                    next[k] = drop(b, buf, Error.TRUNCATED);
                    continue;
                }
                namedAt = Ip6.LENGTH;
                insertAt = Ip6.LENGTH + 8 * (Bytes.u8(m, at + Ip6.LENGTH + 1) + 1);
            }
            if (srhLength > 0) {
                int nh = Bytes.u8(m, at + namedAt);
                long daHi = Ip6.dstHi(m, at);
                long daLo = Ip6.dstLo(m, at);
                MemorySegment.copy(m, at, m, at - srhLength, insertAt);
                b.offset[buf] -= srhLength;
                b.length[buf] = len + srhLength;
                at -= srhLength;
                long srh = at + insertAt;
                Bytes.u8(m, at + namedAt, Ip6.NH_ROUTING);
                Srh.write(m, srh, nh, 2 * entries, base + count - 1, entries - 1);
                if (base == 1) {
                    Bytes.u64(m, Srh.segment(srh, 0), daHi);
                    Bytes.u64(m, Srh.segment(srh, 0) + 8, daLo);
                }
                // Segment List[base] is Sn, the policy's last SID; the reduced form stops before S1.
                for (int i = 0; i < fromPolicy; i++) {
                    int s = count - 1 - i;
                    long to = Srh.segment(srh, base + i);
                    Bytes.u64(m, to, segs[2 * s]);
                    Bytes.u64(m, to + 8, segs[2 * s + 1]);
                }
                Ip6.payloadLength(m, at, Ip6.payloadLength(m, at) + srhLength);
            }
            Ip6.dst(m, at, segs[0], segs[1]);
            b.table[buf] = 0;
            next[k] = IP6_LOOKUP;
        }
    }
}
