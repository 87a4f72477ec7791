package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ip6;
import dev.srv6sh.dataplane.proto.Srh;

/**
 * end: RFC 8986 §4.1 End, §4.2 End.X and §4.3 End.T. With SL > 0: hop-limit check (S05), SRH sanity (S08–S09), HL −1, SL −1,
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

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        var m = b.memory;
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            long ip = b.at(buf);
            long srh = ip + Ip6.LENGTH;
            int len = b.length[buf];
            if (Ip6.nextHeader(m, ip) != Ip6.NH_ROUTING
                    || len < Ip6.LENGTH + Srh.FIXED
                    || Srh.routingType(m, srh) != Srh.ROUTING_TYPE) {
                // §4.1.1: upper-layer header processing is not enabled for any type at a SID
                next[k] = icmp(b, buf, Error.NO_SRH, ICMP6_PARAMETER_PROBLEM, 4, Ip6.LENGTH);
                continue;
            }
            int srhLength = Srh.length(m, srh);
            if (Ip6.LENGTH + srhLength > len) {
                next[k] = drop(b, buf, Error.TRUNCATED);
                continue;
            }
            int sl = Srh.segmentsLeft(m, srh);
            if (sl == 0) {
                next[k] = icmp(b, buf, Error.NO_MORE_SEGMENTS, ICMP6_PARAMETER_PROBLEM, 4, Ip6.LENGTH + srhLength);
                continue;
            }
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
            Ip6.dst(
                    m,
                    ip,
                    dev.srv6sh.dataplane.proto.Bytes.u64(m, seg),
                    dev.srv6sh.dataplane.proto.Bytes.u64(m, seg + 8));
            int sid = b.target[buf];
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
                default -> next[k] = IP6_LOOKUP;
            }
        }
    }
}
