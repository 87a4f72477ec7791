package dev.srv6sh.dataplane;

/**
 * sr-localsid: the destination is one of this router's SIDs; hand the packet to its behavior's node
 * and count it against the SID (RFC 8986 §6 per-SID counters count what the behavior accepts; the
 * behavior nodes count those, this node only dispatches). Outputs: end, end-decap.
 */
final class SrLocalSid extends Node {
    enum Error {}

    SrLocalSid(Engine e) {
        super(e, "sr-localsid", Error.values());
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        for (int k = 0; k < n; k++) {
            next[k] = switch (fib.sidBehavior[b.target[vector[k]]]) {
                case END, END_X, END_T, END_B6_ENCAPS, END_B6_ENCAPS_RED -> END;
                default -> END_DECAP; // FibBuilder admits only these and the decapsulating behaviors
            };
        }
    }
}
