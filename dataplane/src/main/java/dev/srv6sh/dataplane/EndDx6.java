package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.BehaviorSpec.Kind;
import dev.srv6sh.dataplane.BehaviorSpec.Param;
import dev.srv6sh.dataplane.proto.Ip6;
import java.util.List;
import java.util.Set;

/**
 * end-dx6: RFC 8986 §4.4 End.DX6. Takes an inner IPv6 (next header 41) packet, removes the outer IPv6 header and any
 * SRH, and forwards it to the SID's next hop (the adjacency J), which the rewrite resolves. See {@link Decap}.
 */
final class EndDx6 extends Decap {
    static final BehaviorSpec SPEC = new BehaviorSpec(
            "End.DX6",
            "end-dx6",
            "RFC 8986 §4.4",
            "decapsulation and IPv6 cross-connect to a next hop",
            "sid dx6 End.DX6 nh 2001:db8::10",
            List.of(Param.needs("nh", Kind.IPV6_NEXT_HOP, "the IPv6 next hop the inner packet is sent to")),
            Set.of());

    EndDx6(Engine e) {
        super(e, SPEC.node());
    }

    @Override
    boolean takes(int nextHeader) {
        return nextHeader == Ip6.NH_IPV6;
    }

    @Override
    int deliver(Fib fib, Buffers b, int buf, int sid, boolean v4) {
        b.target[buf] = fib.sidAdj[sid];
        return IP6_REWRITE; // takes() admits IPv6 only
    }
}
