package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ip4;
import dev.srv6sh.dataplane.proto.Ip6;

/**
 * ip4-glean and ip6-glean (VPP's names): packets ip4-rewrite or ip6-rewrite could not send because
 * their neighbor has no usable MAC. The neighbor is the adjacency's next hop, or, for a connected or
 * on-link route, the packet's own destination. Its entry is created and solicited if need be and the
 * packet is held until the answer ({@link Neighbors}); held packets leave through interface-output
 * when it comes, or through the ICMP error nodes when it does not.
 * Inputs: ip4-rewrite, ip6-rewrite (TTL / hop limit and MTU already done). Outputs: interface-output
 * (resolved meanwhile), error-drop; held packets wait outside the graph.
 */
final class Glean extends Node {
    enum Error {
        QUEUE_OVERFLOW("queue of a neighbor being resolved overflowed: its oldest packet dropped"),
        HELD_LIMIT("packets awaiting address resolution reached the engine's bound"),
        TABLE_FULL("neighbor table full"),
        RESOLUTION_FAILED("address resolution failed: no answer to the solicitations"),
        INTERFACE_GONE("held for an interface the new configuration removed");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private final boolean v6;

    Glean(Engine e, String name, boolean v6) {
        super(e, name, Error.values());
        this.v6 = v6;
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        var m = b.memory;
        Neighbors nb = engine.resolution();
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            int adj = b.target[buf];
            long at = b.at(buf);
            next[k] =
                    nb.glean(this, fib, b, buf, fib.adjIf[adj], keyHi(fib, m, at, adj, v6), keyLo(fib, m, at, adj, v6));
        }
    }

    /** The neighbor a packet at {@code at} needs through adjacency {@code adj}: its next hop or its destination. */
    static long keyHi(Fib f, java.lang.foreign.MemorySegment m, long at, int adj, boolean v6) {
        return f.adjGlean[adj] ? (v6 ? Ip6.dstHi(m, at) : 0) : f.adjNextHi[adj];
    }

    static long keyLo(Fib f, java.lang.foreign.MemorySegment m, long at, int adj, boolean v6) {
        return f.adjGlean[adj] ? (v6 ? Ip6.dstLo(m, at) : NeighborTable.key4(Ip4.dst(m, at))) : f.adjNextLo[adj];
    }
}
