package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.BehaviorSpec.Kind;
import dev.srv6sh.dataplane.BehaviorSpec.Param;
import dev.srv6sh.dataplane.proto.Ip6;
import java.util.List;
import java.util.Set;

/**
 * end-dt46: RFC 8986 §4.8 End.DT46. Takes an inner IPv4 or IPv6 packet, removes the outer IPv6 header and any
 * SRH, and looks it up in the SID's table T. See {@link Decap}.
 */
final class EndDt46 extends Decap {
    static final BehaviorSpec SPEC = new BehaviorSpec(
            "End.DT46",
            "end-dt46",
            "RFC 8986 §4.8",
            "decapsulation and IPv4 or IPv6 table lookup",
            "sid dt46 End.DT46 table 10",
            List.of(Param.mayTake("table", Kind.TABLE, "the table the inner packet is looked up in (default 0)")),
            Set.of());

    EndDt46(Engine e) {
        super(e, SPEC.node());
    }

    @Override
    boolean takes(int nextHeader) {
        return nextHeader == Ip6.NH_IPV4 || nextHeader == Ip6.NH_IPV6;
    }

    @Override
    int deliver(Fib fib, Buffers b, int buf, int sid, boolean v4) {
        b.table[buf] = fib.sidTable[sid];
        return v4 ? IP4_LOOKUP : IP6_LOOKUP;
    }
}
