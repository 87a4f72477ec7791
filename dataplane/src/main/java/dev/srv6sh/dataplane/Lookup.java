package dev.srv6sh.dataplane;

import java.lang.foreign.MemorySegment;

/**
 * ip4-lookup and ip6-lookup: longest-prefix match on the destination in the buffer's table (the main
 * table unless End.T or End.DT* chose another). A route resolves to
 * an adjacency (rewrite), a steered prefix or BSID to an SR policy (sr-policy-rewrite-encaps or
 * -insert, by the policy's mode), a
 * local SID (a /128) to sr-localsid, an address of the router to ip4-local or ip6-local. The tables
 * are binary tries ({@link Lpm}), one per FIB table and family. Outputs: ip4-rewrite or ip6-rewrite,
 * sr-policy-rewrite-encaps, sr-policy-rewrite-insert, sr-localsid, ip4-local or ip6-local, error-drop.
 */
abstract class Lookup extends Node {
    enum Error {
        NO_ROUTE("no route to the destination");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private final int rewrite;
    private final int local;

    Lookup(Engine e, String name, int rewrite, int local) {
        super(e, name, Error.values());
        this.rewrite = rewrite;
        this.local = local;
    }

    /** The FIB result for the destination of the packet at {@code at} in table slot {@code table}, or -1. */
    abstract int lookup(Fib fib, MemorySegment m, long at, int table);

    @Override
    final void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            int r = lookup(fib, b.memory, b.at(buf), b.table[buf]);
            if (r < 0) {
                next[k] = drop(b, buf, Error.NO_ROUTE);
                continue;
            }
            b.target[buf] = Fib.index(r);
            next[k] = switch (Fib.kind(r)) {
                case Fib.FORWARD -> rewrite;
                case Fib.LOCAL_SID -> SR_LOCALSID;
                case Fib.POLICY -> fib.policyNode[Fib.index(r)]; // encaps or insert, by mode
                default -> local; // Fib.LOCAL: an address of this router
            };
        }
    }
}
