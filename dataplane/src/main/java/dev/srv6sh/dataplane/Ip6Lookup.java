package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ip6;

/**
 * ip6-lookup: longest-prefix match on the destination in table 0; local SIDs are /128 entries and go
 * to sr-localsid, steered prefixes and BSIDs to an SR policy. Outputs: ip6-rewrite, sr-localsid,
 * sr-policy-rewrite-encaps, error-drop.
 */
final class Ip6Lookup extends Node {
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

    Ip6Lookup(Engine e) {
        super(e, "ip6-lookup", Error.values());
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        var m = b.memory;
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            long at = b.at(buf);
            int r = fib.ip6.lookup(Ip6.dstHi(m, at), Ip6.dstLo(m, at));
            if (r < 0) {
                next[k] = drop(b, buf, Error.NO_ROUTE);
                continue;
            }
            b.target[buf] = Fib.index(r);
            next[k] = switch (Fib.kind(r)) {
                case Fib.FORWARD -> IP6_REWRITE;
                case Fib.LOCAL_SID -> SR_LOCALSID;
                case Fib.POLICY -> ENCAPS;
                default -> drop(b, buf, Error.LOCAL);
            };
        }
    }
}
