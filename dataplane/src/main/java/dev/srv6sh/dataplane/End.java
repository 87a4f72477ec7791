package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.config.DataplaneConfig.Flavor;
import java.util.EnumSet;
import java.util.List;

/** end: RFC 8986 §4.1 End. S15: look the new destination up in the main table. See {@link Endpoint}. */
final class End extends Endpoint {
    static final BehaviorSpec SPEC = new BehaviorSpec(
            "End",
            "end",
            "RFC 8986 §4.1; NEXT-CSID: RFC 9800 §4.1",
            "the endpoint: next segment",
            "sid e End flavors psp",
            List.of(),
            EnumSet.allOf(Flavor.class));

    End(Engine e) {
        super(e, SPEC.node());
    }

    @Override
    int segment(Fib fib, Buffers b, int buf, int sid) {
        return IP6_LOOKUP;
    }
}
