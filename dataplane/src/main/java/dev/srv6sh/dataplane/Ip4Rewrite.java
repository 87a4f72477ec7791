package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Ip4;

/**
 * ip4-rewrite: TTL check and decrement with an incremental checksum update (RFC 1624), MTU check, then
 * the Ethernet header towards the adjacency's neighbor. Outputs: interface-output, error-drop.
 */
final class Ip4Rewrite extends Node {
    enum Error {
        NO_NEIGHBOR("next hop's MAC address is not known"),
        TTL_EXPIRED("TTL expired in transit"),
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

    Ip4Rewrite(Engine e) {
        super(e, "ip4-rewrite", Error.values());
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
                if (Ip4.ttl(m, at) <= 1) {
                    next[k] = drop(b, buf, Error.TTL_EXPIRED);
                    continue;
                }
                Ip4.decrementTtl(m, at);
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
            Ethernet.write(m, b.at(buf), mac, fib.ifMac[ifi], Ethernet.TYPE_IP4);
            b.txIf[buf] = ifi;
            next[k] = INTERFACE_OUTPUT;
        }
    }
}
