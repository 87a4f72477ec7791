package dev.srv6sh.dataplane;

/**
 * end-b6-encaps and end-b6-encaps-red: RFC 8986 §4.13 End.B6.Encaps and §4.14 End.B6.Encaps.Red.
 * The End part (SL −1, DA update, hop limit −1) is {@link Endpoint}'s; S15 hands the packet to
 * sr-policy-rewrite-encaps with the bound policy, which pushes a full or reduced SRH around it and
 * leaves the inner hop limit alone (already decremented here).
 */
final class EndB6Encaps extends Endpoint {
    private final int bound;

    EndB6Encaps(Engine e, boolean reduced) {
        super(e, reduced ? "end-b6-encaps-red" : "end-b6-encaps");
        bound = reduced ? Buffers.BOUND | Buffers.BOUND_REDUCED : Buffers.BOUND;
    }

    @Override
    int segment(Fib fib, Buffers b, int buf, int sid) {
        b.target[buf] = fib.sidPolicy[sid];
        b.flags[buf] |= bound;
        return ENCAPS;
    }
}
