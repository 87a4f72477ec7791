package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.BehaviorSpec.Kind;
import dev.srv6sh.dataplane.BehaviorSpec.Param;
import dev.srv6sh.dataplane.config.DataplaneConfig.Flavor;
import java.util.EnumSet;
import java.util.List;

/**
 * end-t: RFC 8986 §4.3 End.T. S15: look the new destination up in the SID's table T; with USD the
 * decapsulated packet is looked up there too. See {@link Endpoint}.
 */
final class EndT extends Endpoint {
    static final BehaviorSpec SPEC = new BehaviorSpec(
            "End.T",
            "end-t",
            "RFC 8986 §4.3",
            "endpoint with a specific IPv6 table lookup",
            "sid t End.T table 10",
            List.of(Param.needs("table", Kind.TABLE, "the table the next segment is looked up in")),
            EnumSet.of(Flavor.PSP, Flavor.USP, Flavor.USD));

    EndT(Engine e) {
        super(e, SPEC.node());
    }

    @Override
    int segment(Fib fib, Buffers b, int buf, int sid) {
        b.table[buf] = fib.sidTable[sid];
        return IP6_LOOKUP;
    }

    @Override
    int decapsulated(Fib fib, Buffers b, int buf, int sid, boolean v4) {
        b.table[buf] = fib.sidTable[sid];
        return v4 ? IP4_LOOKUP : IP6_LOOKUP;
    }
}
