package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ethernet;

/**
 * ip4-rewrite and ip6-rewrite: the adjacency must be resolved, the TTL / hop limit is checked and
 * decremented (not for packets this router built: encapsulations and End have set theirs), the MTU
 * is checked, and the Ethernet header towards the neighbor is written into the headroom.
 * Outputs: interface-output, error-drop.
 */
abstract class Rewrite extends Node {
    enum Error {
        NO_NEIGHBOR("next hop's MAC address is not known"),
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

    Rewrite(Engine e, String name, int etherType) {
        super(e, name, Error.values());
        this.etherType = etherType;
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
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            int adj = b.target[buf];
            long mac = fib.adjMac[adj];
            int ifi = fib.adjIf[adj];
            if (mac == 0) {
                next[k] = drop(b, buf, Error.NO_NEIGHBOR);
                continue;
            }
            if ((b.flags[buf] & Buffers.LOCALLY_ORIGINATED) == 0 && !decrement(m, b.at(buf))) {
                next[k] = expired(b, buf);
                continue;
            }
            if (b.length[buf] > fib.ifMtu[ifi]) {
                next[k] = drop(b, buf, Error.MTU_EXCEEDED);
                continue;
            }
            if (b.headroom(buf) < Ethernet.LENGTH) {
                next[k] = drop(b, buf, Error.NO_HEADROOM);
                continue;
            }
            b.offset[buf] -= Ethernet.LENGTH;
            b.length[buf] += Ethernet.LENGTH;
            Ethernet.write(m, b.at(buf), mac, fib.ifMac[ifi], etherType);
            b.txIf[buf] = ifi;
            next[k] = INTERFACE_OUTPUT;
        }
    }
}
