package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.BehaviorSpec.Kind;
import dev.srv6sh.dataplane.BehaviorSpec.Param;
import java.util.List;
import java.util.Set;

/**
 * end-b6-insert and end-b6-insert-red: End.B6.Insert and End.B6.Insert.Red. RFC 8986 defines only the
 * encapsulating binding behaviors; these follow draft-filsfils-spring-srv6-net-pgm-insertion (§4,
 * "End.B6.Insert"), whose pseudocode is End's up to S12 (SL = 0 → upper layer, hop limit ≤ 1 → Time
 * Exceeded, LE / SL out of range → Parameter Problem, HL −1) but which then neither decrements SL
 * nor updates the DA: S13 inserts a new SRH holding the bound policy right after the IPv6 header,
 * in front of the received one, S14 sets the DA to the policy's first SID, S15 looks it up. The
 * received SRH still points at this SID, so the End SID ending the policy resumes it. The .Red
 * variant leaves the policy's first SID out of the inserted SRH. The insertion itself is
 * sr-policy-rewrite-insert's. See {@link Endpoint}.
 */
final class EndB6Insert extends Endpoint {
    private static final Param POLICY =
            Param.needs("policy", Kind.POLICY, "the policy of this router the SID binds to");
    static final BehaviorSpec SPEC = new BehaviorSpec(
            "End.B6.Insert",
            List.of("End.B6"), // Linux's name for it (seg6local action End.B6)
            "end-b6-insert",
            "draft-filsfils-spring-srv6-net-pgm-insertion §4",
            "binding SID: insert a policy's SRH in front of the received one",
            "sid b6i End.B6.Insert policy to_london",
            List.of(POLICY),
            Set.of());

    static final BehaviorSpec RED = new BehaviorSpec(
            "End.B6.Insert.Red",
            "end-b6-insert-red",
            "draft-filsfils-spring-srv6-net-pgm-insertion §4",
            "binding SID: insert a policy's reduced SRH",
            "sid b6ir End.B6.Insert.Red policy to_london",
            List.of(POLICY),
            Set.of());

    private final int bound;

    EndB6Insert(Engine e, boolean reduced) {
        super(e, (reduced ? RED : SPEC).node());
        bound = reduced ? Buffers.BOUND | Buffers.BOUND_REDUCED : Buffers.BOUND;
    }

    @Override
    boolean advances() {
        return false;
    }

    @Override
    int segment(Fib fib, Buffers b, int buf, int sid) {
        b.target[buf] = fib.sidPolicy[sid];
        b.flags[buf] |= bound;
        return INSERT;
    }
}
