package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Ip6;
import dev.srv6sh.dataplane.proto.Srh;

/**
 * The decapsulating behaviors of RFC 8986 (End.DX6 §4.4, End.DX4 §4.5, End.DT6 §4.6, End.DT4 §4.7,
 * End.DT46 §4.8, End.DX2 §4.9), which share everything but the inner types they take ({@link #takes}) and where
 * the inner packet goes ({@link #deliver}).
 *
 * <pre>
 * SRH with SL ≠ 0 ──────────────────────────► Parameter Problem code 0, pointer → Segments Left
 * next header not one the behavior takes ───► Parameter Problem code 4, pointer → that header
 * inner Ethernet frame shorter than its header ► dropped (TRUNCATED)
 * inner IPv4/IPv6 packet malformed (catalogue M22) ► dropped (BAD_INNER)
 * otherwise: remove the outer IPv6 header and its extension headers (an offset move) ─► deliver
 * </pre>
 *
 * The inner TTL or hop limit is decremented once, by the rewrite or after the lookup (V4: 64 → 63,
 * checksum 0xf94a → 0xfa4a; V3: hop limit 63), as VPP does.
 */
abstract class Decap extends Node {
    enum Error {
        SEGMENTS_LEFT("decapsulation with segments left > 0"),
        WRONG_INNER("the inner packet's type is not one the behavior decapsulates"),
        BAD_INNER("inner packet is malformed"),
        TRUNCATED("inner Ethernet frame runs past the packet"),
        FRAME_TOO_BIG("decapsulated frame larger than the outgoing interface's MTU");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    Decap(Engine e, String name) {
        super(e, name, Error.values());
    }

    /** Whether the behavior decapsulates this upper-layer type (4, 41 or 143). */
    abstract boolean takes(int nextHeader);

    /** Where the inner packet goes: the SID's adjacency (DX) or a lookup in the SID's table (DT). */
    abstract int deliver(Fib fib, Buffers b, int buf, int sid, boolean v4);

    @Override
    final void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        var m = b.memory;
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            long ip = b.at(buf);
            int len = b.length[buf];
            // sr-localsid walked the extension headers (HeaderChain)
            int srhAt = b.srh[buf];
            if (srhAt >= 0 && Srh.segmentsLeft(m, ip + srhAt) != 0) {
                next[k] = icmp(b, buf, Error.SEGMENTS_LEFT, ICMP6_PARAMETER_PROBLEM, 0, srhAt + 3);
                continue;
            }
            int nh = b.upperProtocol[buf];
            int outer = b.upper[buf];
            if (!takes(nh)) {
                next[k] = icmp(b, buf, Error.WRONG_INNER, ICMP6_PARAMETER_PROBLEM, 4, outer);
                continue;
            }
            boolean v4 = nh == Ip6.NH_IPV4;
            if (nh == Ip6.NH_ETHERNET && outer + Ethernet.LENGTH > len) {
                next[k] = drop(b, buf, Error.TRUNCATED);
                continue;
            }
            // only an inner IPv4 or IPv6 packet has a length of its own (catalogue M22)
            int inner = v4 || nh == Ip6.NH_IPV6 ? Inner.length(m, ip + outer, len - outer, v4) : len - outer;
            if (inner < 0) {
                next[k] = drop(b, buf, Error.BAD_INNER); // catalogue M22
                continue;
            }
            int sid = b.target[buf];
            engine.countSid(sid, len);
            b.offset[buf] += outer;
            b.length[buf] = inner;
            // the inner packet is its own sender's, in transit: its hop limit is decremented on the way out
            b.flags[buf] &= ~Buffers.HOP_LIMIT_SET;
            next[k] = deliver(fib, b, buf, sid, v4);
        }
    }
}
