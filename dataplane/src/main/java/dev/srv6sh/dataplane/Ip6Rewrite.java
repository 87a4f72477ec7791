package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Ip6;

/**
 * ip6-rewrite: hop-limit check and decrement (not for packets this router built: encapsulations and End), MTU check, then
 * the Ethernet header towards the adjacency's neighbor. Outputs: interface-output, error-drop.
 */
final class Ip6Rewrite extends Node {
    enum Error {
        NO_NEIGHBOR("next hop's MAC address is not known"),
        HOP_LIMIT("hop limit expired in transit"),
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

    Ip6Rewrite(Engine e) {
        super(e, "ip6-rewrite", Error.values());
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        var m = b.memory;
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            int adj = b.target[buf];
            long mac = fib.adjMac[adj];
            int ifi = fib.adjIf[adj];
            long at = b.at(buf);
            if (mac == 0) {
                next[k] = drop(b, buf, Error.NO_NEIGHBOR);
                continue;
            }
            if ((b.flags[buf] & Buffers.LOCALLY_ORIGINATED) == 0) {
                int hl = Ip6.hopLimit(m, at);
                if (hl <= 1) {
                    next[k] = drop(b, buf, Error.HOP_LIMIT);
                    continue;
                }
                Ip6.hopLimit(m, at, hl - 1);
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
            Ethernet.write(m, b.at(buf), mac, fib.ifMac[ifi], Ethernet.TYPE_IP6);
            b.txIf[buf] = ifi;
            next[k] = INTERFACE_OUTPUT;
        }
    }
}
