package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ip4;

/**
 * ip4-lookup: longest-prefix match on the destination in table 0. A steered prefix resolves to an SR
 * policy (H.Encaps), a route to an adjacency. Outputs: ip4-rewrite, sr-policy-rewrite-encaps, error-drop.
 */
final class Ip4Lookup extends Node {
    enum Error {
        NO_ROUTE("no route to the destination"),
        LOCAL("addressed to this router (local delivery is not implemented)");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    Ip4Lookup(Engine e) {
        super(e, "ip4-lookup", Error.values());
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        var m = b.memory;
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            int r = fib.ip4.lookup((long) Ip4.dst(m, b.at(buf)) << 32, 0);
            if (r < 0) {
                next[k] = drop(b, buf, Error.NO_ROUTE);
                continue;
            }
            b.target[buf] = Fib.index(r);
            next[k] = switch (Fib.kind(r)) {
                case Fib.FORWARD -> IP4_REWRITE;
                case Fib.POLICY -> ENCAPS;
                default -> drop(b, buf, Error.LOCAL);
            };
        }
    }
}
