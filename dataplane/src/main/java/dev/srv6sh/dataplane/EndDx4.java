package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ip4;
import dev.srv6sh.dataplane.proto.Ip6;
import dev.srv6sh.dataplane.proto.Srh;

/**
 * end-dx4: RFC 8986 §4.6 End.DX4. The SRH, if any, must have SL = 0; the next header must be IPv4;
 * the outer IPv6 header and the SRH are removed and the inner packet goes to the SID's adjacency,
 * where ip4-rewrite decrements its TTL (V4: 64 → 63, checksum 0xf94a → 0xfa4a).
 * Outputs: ip4-rewrite, error-drop.
 */
final class EndDx4 extends Node {
    enum Error {
        SEGMENTS_LEFT("decapsulation with segments left > 0"),
        NOT_IPV4("the inner packet is not IPv4"),
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

    EndDx4(Engine e) {
        super(e, "end-dx4", Error.values());
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
                    next[k] = drop(b, buf, Error.SEGMENTS_LEFT);
                    continue;
                }
                nh = Srh.nextHeader(m, srh);
                outer += Srh.length(m, srh);
            }
            if (nh != Ip6.NH_IPV4) {
                next[k] = drop(b, buf, Error.NOT_IPV4);
                continue;
            }
            if (outer + Ip4.MIN_LENGTH > len) {
                next[k] = drop(b, buf, Error.TRUNCATED);
                continue;
            }
            int sid = b.target[buf];
            engine.countSid(sid, len);
            b.offset[buf] += outer;
            b.length[buf] = len - outer;
            b.target[buf] = fib.sidAdj[sid];
            b.flags[buf] &= ~Buffers.LOCALLY_ORIGINATED;
            next[k] = IP4_REWRITE;
        }
    }
}
