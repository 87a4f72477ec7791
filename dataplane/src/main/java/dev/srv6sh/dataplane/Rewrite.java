package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ethernet;

/**
 * ip4-rewrite and ip6-rewrite: the TTL / hop limit is checked and decremented (not for packets this
 * router made, whose hop limit is its own, nor for those the End family decremented already: {@link
 * Buffers#HOP_LIMIT_SET}), the MTU is checked, and the Ethernet header
 * towards the neighbor is written into the headroom. The neighbor's MAC is the adjacency's when it is
 * a static neighbor, else the neighbor table's (one probe, for the next hop or, on a connected route,
 * the packet's destination); a packet whose neighbor has no usable entry goes to ip4-glean or
 * ip6-glean, which resolves it. Outputs: interface-output, ip4-glean / ip6-glean, error-drop.
 */
abstract class Rewrite extends Node {
    enum Error {
        HOP_LIMIT("TTL or hop limit expired in transit"),
        MTU_EXCEEDED("packet larger than the interface MTU"),
        NO_HEADROOM("no room for the Ethernet header");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private final int etherType;
    private final boolean v6;
    private final int glean;

    Rewrite(Engine e, String name, int etherType) {
        super(e, name, Error.values());
        this.etherType = etherType;
        this.v6 = etherType == Ethernet.TYPE_IP6;
        this.glean = v6 ? IP6_GLEAN : IP4_GLEAN;
    }

    /** Where a packet whose TTL or hop limit expired goes: a counted drop, or an ICMP error. */
    int expired(Buffers b, int buf) {
        return drop(b, buf, Error.HOP_LIMIT);
    }

    /** Checks and decrements the TTL or hop limit at {@code at}; false when it has expired. */
    abstract boolean decrement(java.lang.foreign.MemorySegment m, long at);

    @Override
    final void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        var m = b.memory;
        Neighbors neighbors = engine.resolution();
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            int adj = b.target[buf];
            int ifi = fib.adjIf[adj];
            if ((b.flags[buf] & Buffers.HOP_LIMIT_SET) == 0 && !decrement(m, b.at(buf))) {
                next[k] = expired(b, buf);
                continue;
            }
            if (b.wireLength(buf, b.length[buf]) > fib.ifMtu[ifi]) {
                next[k] = drop(b, buf, Error.MTU_EXCEEDED);
                continue;
            }
            if (b.headroom(buf) < Ethernet.LENGTH) {
                next[k] = drop(b, buf, Error.NO_HEADROOM);
                continue;
            }
            long mac = fib.adjMac[adj];
            if (mac == 0) {
                long at = b.at(buf);
                mac = neighbors.usable(ifi, Glean.keyHi(fib, m, at, adj, v6), Glean.keyLo(fib, m, at, adj, v6));
                if (mac == 0) {
                    next[k] = glean; // held and resolved there, after the checks above
                    continue;
                }
            }
            b.offset[buf] -= Ethernet.LENGTH;
            b.length[buf] += Ethernet.LENGTH;
            Ethernet.write(m, b.at(buf), mac, fib.ifMac[ifi], etherType);
            b.txIf[buf] = ifi;
            next[k] = INTERFACE_OUTPUT;
        }
    }
}
