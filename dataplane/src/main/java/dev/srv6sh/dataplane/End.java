package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.config.DataplaneConfig.Behavior;
import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Ip4;
import dev.srv6sh.dataplane.proto.Ip6;
import dev.srv6sh.dataplane.proto.Srh;
import java.lang.foreign.MemorySegment;

/**
 * end: RFC 8986 §4.1 End, §4.2 End.X and §4.3 End.T, with the PSP, USP and USD flavors (§4.16), and
 * the End part of End.B6.Encaps and End.B6.Encaps.Red (§4.13, §4.14), whose push is the encaps node's. With SL > 0: hop-limit check (S05), SRH sanity (S08–S09), HL −1, SL −1,
 * DA = Segment List[SL], then an IPv6 lookup on the new destination (End), the SID's adjacency (End.X)
 * or a lookup in the SID's table (End.T); the rewrite does not decrement again. SL = 0 or no SRH means upper-layer processing, which this version refuses with a counter.
 * Outputs: ip6-lookup, ip6-rewrite, error-drop.
 */
final class End extends Node {
    enum Error {
        NO_SRH("no SR header (upper-layer processing at a SID is not implemented)"),
        NO_MORE_SEGMENTS("segments left is 0 (upper-layer processing at a SID is not implemented)"),
        HOP_LIMIT("hop limit exceeded"),
        BAD_SRH("SRH segments left or last entry out of range"),
        TRUNCATED("SRH runs past the packet");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    End(Engine e) {
        super(e, "end", Error.values());
    }

    /** Flavor bits (RFC 8986 §4.16). */
    static final int PSP = 1;

    static final int USP = 2;
    static final int USD = 4;

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        var m = b.memory;
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            long ip = b.at(buf);
            long srh = ip + Ip6.LENGTH;
            int len = b.length[buf];
            int sid = b.target[buf];
            int flavors = fib.sidFlavors[sid];
            boolean hasSrh = Ip6.nextHeader(m, ip) == Ip6.NH_ROUTING
                    && len >= Ip6.LENGTH + Srh.FIXED
                    && Srh.routingType(m, srh) == Srh.ROUTING_TYPE;
            int srhLength = hasSrh ? Srh.length(m, srh) : 0;
            if (Ip6.LENGTH + srhLength > len) {
                next[k] = drop(b, buf, Error.TRUNCATED);
                continue;
            }
            if (!hasSrh || Srh.segmentsLeft(m, srh) == 0) {
                next[k] = upperLayer(fib, b, m, buf, sid, flavors, hasSrh, srhLength);
                continue;
            }
            int sl = Srh.segmentsLeft(m, srh);
            int hl = Ip6.hopLimit(m, ip);
            if (hl <= 1) {
                next[k] = icmp(b, buf, Error.HOP_LIMIT, ICMP6_TIME_EXCEEDED, 0, 0);
                continue;
            }
            int le = Srh.lastEntry(m, srh);
            if (le > Srh.hdrExtLen(m, srh) / 2 - 1 || sl > le + 1) {
                next[k] = icmp(b, buf, Error.BAD_SRH, ICMP6_PARAMETER_PROBLEM, 0, Ip6.LENGTH + 3);
                continue;
            }
            Ip6.hopLimit(m, ip, hl - 1);
            sl--;
            Srh.segmentsLeft(m, srh, sl);
            long seg = Srh.segment(srh, sl);
            Ip6.dst(m, ip, Bytes.u64(m, seg), Bytes.u64(m, seg + 8));
            if (sl == 0 && (flavors & PSP) != 0) {
                popSrh(b, m, buf, srhLength); // §4.16.1: the penultimate SID removes the SRH
            }
            engine.countSid(sid, len);
            b.flags[buf] |= Buffers.LOCALLY_ORIGINATED;
            switch (fib.sidBehavior[sid]) {
                case END_X -> { // S15: forward via the adjacency J
                    b.target[buf] = fib.sidAdj[sid];
                    next[k] = IP6_REWRITE;
                }
                case END_T -> { // S15: look up in table T
                    b.table[buf] = fib.sidTable[sid];
                    next[k] = IP6_LOOKUP;
                }
                case END_B6_ENCAPS, END_B6_ENCAPS_RED -> { // §4.13-4.14: then push policy B around it
                    b.target[buf] = fib.sidPolicy[sid];
                    b.flags[buf] |= fib.sidBehavior[sid] == Behavior.END_B6_ENCAPS_RED
                            ? Buffers.BOUND | Buffers.BOUND_REDUCED
                            : Buffers.BOUND;
                    next[k] = ENCAPS;
                }
                default -> next[k] = IP6_LOOKUP;
            }
        }
    }

    /**
     * No SRH, or SL = 0: upper-layer processing (§4.1.1). With USP the SRH goes first (§4.16.2); with
     * USD an inner IPv4 or IPv6 packet is decapsulated and looked up, or sent to the adjacency for
     * End.X, or looked up in table T for End.T (§4.16.3). Anything else is a Parameter Problem, code 4,
     * pointing at the upper-layer header: no upper-layer protocol is enabled at a SID.
     */
    private int upperLayer(
            Fib fib, Buffers b, MemorySegment m, int buf, int sid, int flavors, boolean hasSrh, int srhLength) {
        long ip = b.at(buf);
        int upper = hasSrh ? Srh.nextHeader(m, ip + Ip6.LENGTH) : Ip6.nextHeader(m, ip);
        int outer = Ip6.LENGTH + srhLength;
        boolean inner = upper == Ip6.NH_IPV4 || upper == Ip6.NH_IPV6;
        if ((flavors & USD) != 0
                && inner
                && b.length[buf] >= outer + (upper == Ip6.NH_IPV4 ? Ip4.MIN_LENGTH : Ip6.LENGTH)) {
            engine.countSid(sid, b.length[buf]);
            b.offset[buf] += outer;
            b.length[buf] -= outer;
            b.flags[buf] &= ~Buffers.LOCALLY_ORIGINATED;
            boolean v4 = upper == Ip6.NH_IPV4;
            return switch (fib.sidBehavior[sid]) {
                case END_X -> {
                    b.target[buf] = fib.sidAdj[sid];
                    yield v4 ? IP4_REWRITE : IP6_REWRITE;
                }
                case END_T -> {
                    b.table[buf] = fib.sidTable[sid];
                    yield v4 ? IP4_LOOKUP : IP6_LOOKUP;
                }
                default -> v4 ? IP4_LOOKUP : IP6_LOOKUP;
            };
        }
        if (hasSrh && (flavors & USP) != 0) {
            popSrh(b, m, buf, srhLength);
            return icmp(b, buf, Error.NO_MORE_SEGMENTS, ICMP6_PARAMETER_PROBLEM, 4, Ip6.LENGTH);
        }
        return hasSrh
                ? icmp(b, buf, Error.NO_MORE_SEGMENTS, ICMP6_PARAMETER_PROBLEM, 4, outer)
                : icmp(b, buf, Error.NO_SRH, ICMP6_PARAMETER_PROBLEM, 4, Ip6.LENGTH);
    }

    /** Removes the SRH behind the IPv6 header: the header moves up over it, without touching the payload. */
    private static void popSrh(Buffers b, MemorySegment m, int buf, int srhLength) {
        long ip = b.at(buf);
        Ip6.nextHeader(m, ip, Srh.nextHeader(m, ip + Ip6.LENGTH));
        Ip6.payloadLength(m, ip, Ip6.payloadLength(m, ip) - srhLength);
        MemorySegment.copy(m, ip, m, ip + srhLength, Ip6.LENGTH);
        b.offset[buf] += srhLength;
        b.length[buf] -= srhLength;
    }
}
