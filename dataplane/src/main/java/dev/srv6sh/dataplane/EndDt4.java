package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.BehaviorSpec.Kind;
import dev.srv6sh.dataplane.BehaviorSpec.Param;
import dev.srv6sh.dataplane.proto.Ip6;
import java.util.List;
import java.util.Set;

/**
 * end-dt4: RFC 8986 §4.7 End.DT4. Takes an inner IPv4 (next header 4) packet, removes the outer IPv6 header and any
 * SRH, and looks it up in the SID's table T. See {@link Decap}.
 */
final class EndDt4 extends Decap {
    static final BehaviorSpec SPEC = new BehaviorSpec(
            "End.DT4",
            "end-dt4",
            "RFC 8986 §4.7",
            "decapsulation and IPv4 table lookup",
            "sid dt4 End.DT4 table 10",
            List.of(Param.mayTake("table", Kind.TABLE, "the table the inner packet is looked up in (default 0)")),
            Set.of());

    EndDt4(Engine e) {
        super(e, SPEC.node());
    }

    @Override
    boolean takes(int nextHeader) {
        return nextHeader == Ip6.NH_IPV4;
    }

    @Override
    int deliver(Fib fib, Buffers b, int buf, int sid, boolean v4) {
        b.table[buf] = fib.sidTable[sid];
        return IP4_LOOKUP; // takes() admits IPv4 only
    }
}
