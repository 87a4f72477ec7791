package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.BehaviorSpec.Kind;
import dev.srv6sh.dataplane.BehaviorSpec.Param;
import dev.srv6sh.dataplane.config.DataplaneConfig.Flavor;
import java.util.EnumSet;
import java.util.List;

/**
 * end-x: RFC 8986 §4.2 End.X. S15: forward via the SID's adjacency J, whatever the FIB says; with USD
 * the decapsulated packet goes to J too. See {@link Endpoint}.
 */
final class EndX extends Endpoint {
    static final BehaviorSpec SPEC = new BehaviorSpec(
            "End.X",
            "end-x",
            "RFC 8986 §4.2; NEXT-CSID: RFC 9800 §4.2",
            "endpoint with layer-3 cross-connect to an IPv6 next hop",
            "sid x End.X nh 2001:db8::1",
            List.of(
                    Param.needs("nh", Kind.IPV6_NEXT_HOP, "the IPv6 next hop the packet is sent to"),
                    Param.mayTake(
                            "oif",
                            Kind.INTERFACE,
                            "the interface towards it (default: the one whose subnet holds it)")),
            EnumSet.allOf(Flavor.class));

    EndX(Engine e) {
        super(e, SPEC.node());
    }

    @Override
    int segment(Fib fib, Buffers b, int buf, int sid) {
        b.target[buf] = fib.sidAdj[sid];
        return IP6_REWRITE;
    }

    @Override
    int decapsulated(Fib fib, Buffers b, int buf, int sid, boolean v4) {
        b.target[buf] = fib.sidAdj[sid];
        return v4 ? IP4_REWRITE : IP6_REWRITE;
    }
}
