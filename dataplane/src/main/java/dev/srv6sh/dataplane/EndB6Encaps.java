package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.BehaviorSpec.Kind;
import dev.srv6sh.dataplane.BehaviorSpec.Param;
import java.util.List;
import java.util.Set;

/**
 * end-b6-encaps and end-b6-encaps-red: RFC 8986 §4.13 End.B6.Encaps and §4.14 End.B6.Encaps.Red.
 * The End part (SL −1, DA update, hop limit −1) is {@link Endpoint}'s; S15 hands the packet to
 * sr-policy-rewrite-encaps with the bound policy, which pushes a full or reduced SRH around it and
 * leaves the inner hop limit alone (already decremented here).
 */
final class EndB6Encaps extends Endpoint {
    private static final Param POLICY =
            Param.needs("policy", Kind.POLICY, "the policy of this router the SID binds to");
    static final BehaviorSpec SPEC = new BehaviorSpec(
            "End.B6.Encaps",
            "end-b6-encaps",
            "RFC 8986 §4.13",
            "binding SID: encapsulate into a policy",
            "sid b6 End.B6.Encaps policy to_london",
            List.of(POLICY),
            Set.of());

    static final BehaviorSpec RED = new BehaviorSpec(
            "End.B6.Encaps.Red",
            "end-b6-encaps-red",
            "RFC 8986 §4.14",
            "binding SID: encapsulate into a policy, reduced SRH",
            "sid b6r End.B6.Encaps.Red policy to_london",
            List.of(POLICY),
            Set.of());

    private final int bound;

    EndB6Encaps(Engine e, boolean reduced) {
        super(e, (reduced ? RED : SPEC).node());
        bound = reduced ? Buffers.BOUND | Buffers.BOUND_REDUCED : Buffers.BOUND;
    }

    @Override
    int segment(Fib fib, Buffers b, int buf, int sid) {
        b.target[buf] = fib.sidPolicy[sid];
        b.flags[buf] |= bound;
        return ENCAPS;
    }
}
