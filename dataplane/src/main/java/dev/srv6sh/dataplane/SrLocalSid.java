package dev.srv6sh.dataplane;

/**
 * sr-localsid: the destination is one of this router's SIDs; hand the packet to the node of its
 * behavior, which {@link BehaviorTable} chose when the SID was compiled. The behavior nodes count
 * what they accept against the SID (RFC 8986 §6); this node only dispatches.
 * Outputs: one node per behavior (end, end-x, end-t, end-dx4, ...).
 */
final class SrLocalSid extends Node {
    enum Error {}

    SrLocalSid(Engine e) {
        super(e, "sr-localsid", Error.values());
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        for (int k = 0; k < n; k++) {
            next[k] = fib.sidNode[b.target[vector[k]]];
        }
    }
}
