package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.BehaviorSpec.Kind;
import dev.srv6sh.dataplane.BehaviorSpec.Param;
import dev.srv6sh.dataplane.proto.Ip6;
import java.util.List;
import java.util.Set;

/**
 * end-dt6: RFC 8986 §4.6 End.DT6. Takes an inner IPv6 (next header 41) packet, removes the outer IPv6 header and any
 * SRH, and looks it up in the SID's table T. See {@link Decap}.
 */
final class EndDt6 extends Decap {
    static final BehaviorSpec SPEC = new BehaviorSpec(
            "End.DT6",
            "end-dt6",
            "RFC 8986 §4.6",
            "decapsulation and IPv6 table lookup",
            "sid dt6 End.DT6 table 10",
            List.of(Param.mayTake("table", Kind.TABLE, "the table the inner packet is looked up in (default 0)")),
            Set.of());

    EndDt6(Engine e) {
        super(e, SPEC.node());
    }

    @Override
    boolean takes(int nextHeader) {
        return nextHeader == Ip6.NH_IPV6;
    }

    @Override
    int deliver(Fib fib, Buffers b, int buf, int sid, boolean v4) {
        b.table[buf] = fib.sidTable[sid];
        return IP6_LOOKUP; // takes() admits IPv6 only
    }
}
