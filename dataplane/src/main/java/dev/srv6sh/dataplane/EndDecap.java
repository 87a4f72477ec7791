package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.config.DataplaneConfig.Behavior;
import dev.srv6sh.dataplane.proto.Ip4;
import dev.srv6sh.dataplane.proto.Ip6;
import dev.srv6sh.dataplane.proto.Srh;

/**
 * end-decap: the decapsulating behaviors of RFC 8986, End.DX4 (§4.6), End.DX6 (§4.5), End.DT4
 * (§4.8), End.DT6 (§4.7) and End.DT46 (§4.9). The SRH, if any, must have SL = 0; the next header must
 * be one the behavior takes (4 for DX4/DT4, 41 for DX6/DT6, either for DT46); the outer IPv6 header
 * and the SRH are removed. DX4/DX6 then send the inner packet to the SID's adjacency, DT4/DT6/DT46
 * look it up in the SID's table; either way the rewrite decrements the inner TTL or hop limit once
 * (V4: 64 → 63, checksum 0xf94a → 0xfa4a; V3: hop limit 63).
 * Outputs: ip4-rewrite, ip6-rewrite, ip4-lookup, ip6-lookup, error-drop.
 */
final class EndDecap extends Node {
    enum Error {
        SEGMENTS_LEFT("decapsulation with segments left > 0"),
        WRONG_INNER("the inner packet's type is not one the behavior decapsulates"),
        TRUNCATED("headers run past the packet");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    EndDecap(Engine e) {
        super(e, "end-decap", Error.values());
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        var m = b.memory;
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            long ip = b.at(buf);
            int len = b.length[buf];
            int nh = Ip6.nextHeader(m, ip);
            int outer = Ip6.LENGTH;
            if (nh == Ip6.NH_ROUTING) {
                long srh = ip + Ip6.LENGTH;
                if (len < Ip6.LENGTH + Srh.FIXED || Ip6.LENGTH + Srh.length(m, srh) > len) {
                    next[k] = drop(b, buf, Error.TRUNCATED);
                    continue;
                }
                if (Srh.routingType(m, srh) == Srh.ROUTING_TYPE && Srh.segmentsLeft(m, srh) != 0) {
                    next[k] = icmp(b, buf, Error.SEGMENTS_LEFT, ICMP6_PARAMETER_PROBLEM, 0, Ip6.LENGTH + 3);
                    continue;
                }
                nh = Srh.nextHeader(m, srh);
                outer += Srh.length(m, srh);
            }
            int sid = b.target[buf];
            Behavior behavior = fib.sidBehavior[sid];
            boolean v4 = nh == Ip6.NH_IPV4;
            boolean fits =
                    switch (behavior) {
                        case END_DX4, END_DT4 -> v4;
                        case END_DX6, END_DT6 -> nh == Ip6.NH_IPV6;
                        default -> v4 || nh == Ip6.NH_IPV6; // End.DT46
                    };
            if (!fits) {
                next[k] = icmp(b, buf, Error.WRONG_INNER, ICMP6_PARAMETER_PROBLEM, 4, outer);
                continue;
            }
            if (outer + (v4 ? Ip4.MIN_LENGTH : Ip6.LENGTH) > len) {
                next[k] = drop(b, buf, Error.TRUNCATED);
                continue;
            }
            engine.countSid(sid, len);
            b.offset[buf] += outer;
            b.length[buf] = len - outer;
            b.flags[buf] &= ~Buffers.LOCALLY_ORIGINATED;
            if (behavior == Behavior.END_DX4 || behavior == Behavior.END_DX6) {
                b.target[buf] = fib.sidAdj[sid];
                next[k] = v4 ? IP4_REWRITE : IP6_REWRITE;
            } else {
                b.table[buf] = fib.sidTable[sid];
                next[k] = v4 ? IP4_LOOKUP : IP6_LOOKUP;
            }
        }
    }
}
