package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.BehaviorSpec.Kind;
import dev.srv6sh.dataplane.BehaviorSpec.Param;
import dev.srv6sh.dataplane.proto.Ip6;
import java.util.List;
import java.util.Set;

/**
 * end-dx4: RFC 8986 §4.5 End.DX4. Takes an inner IPv4 (next header 4) packet, removes the outer IPv6 header and any
 * SRH, and forwards it to the SID's next hop (the adjacency J), which the rewrite resolves. See {@link Decap}.
 */
final class EndDx4 extends Decap {
    static final BehaviorSpec SPEC = new BehaviorSpec(
            "End.DX4",
            "end-dx4",
            "RFC 8986 §4.5",
            "decapsulation and IPv4 cross-connect to a next hop",
            "sid dx4 End.DX4 nh pc",
            List.of(Param.needs(
                    "nh",
                    Kind.IPV4_NEXT_HOP,
                    "the IPv4 next hop (an address or a host) the inner " + "packet is sent to")),
            Set.of());

    EndDx4(Engine e) {
        super(e, SPEC.node());
    }

    @Override
    boolean takes(int nextHeader) {
        return nextHeader == Ip6.NH_IPV4;
    }

    @Override
    int deliver(Fib fib, Buffers b, int buf, int sid, boolean v4) {
        b.target[buf] = fib.sidAdj[sid];
        return IP4_REWRITE; // takes() admits IPv4 only
    }
}
