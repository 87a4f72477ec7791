package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.BehaviorSpec.Kind;
import dev.srv6sh.dataplane.BehaviorSpec.Param;
import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Ip6;
import java.util.List;
import java.util.Set;

/**
 * end-dx2: RFC 8986 §4.9 End.DX2. Takes an inner Ethernet frame (next header 143), removes the outer
 * IPv6 header and any SRH, and sends the frame out of the SID's interface I exactly as it came
 * (S01-S03): no MAC rewrite, no TTL, no lookup. Any other upper layer is §4.1.1's (Parameter Problem
 * code 4; catalogue M21), and a frame bigger than I's MTU allows is a counted drop. See {@link Decap}.
 * Outputs: interface-output, ip6-icmp-error, error-drop.
 */
final class EndDx2 extends Decap {
    static final BehaviorSpec SPEC = new BehaviorSpec(
            "End.DX2",
            "end-dx2",
            "RFC 8986 §4.9",
            "decapsulation and L2 cross-connect to an interface",
            "sid dx2 End.DX2 oif inside",
            List.of(Param.needs("oif", Kind.INTERFACE, "the interface the inner frame leaves by, as it came")),
            Set.of());

    EndDx2(Engine e) {
        super(e, SPEC.node());
    }

    @Override
    boolean takes(int nextHeader) {
        return nextHeader == Ip6.NH_ETHERNET;
    }

    @Override
    int deliver(Fib fib, Buffers b, int buf, int sid, boolean v4) {
        int ifi = fib.adjIf[fib.sidAdj[sid]];
        if (b.wireLength(buf, b.length[buf]) - Ethernet.LENGTH > fib.ifMtu[ifi]) {
            return drop(b, buf, Error.FRAME_TOO_BIG);
        }
        b.txIf[buf] = ifi;
        return INTERFACE_OUTPUT;
    }
}
