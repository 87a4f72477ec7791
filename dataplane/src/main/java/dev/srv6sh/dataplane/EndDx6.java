package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ip6;

/**
 * end-dx6: RFC 8986 §4.4 End.DX6. Takes an inner IPv6 (next header 41) packet, removes the outer IPv6 header and any
 * SRH, and forwards it to the SID's next hop (the adjacency J), which the rewrite resolves. See {@link Decap}.
 */
final class EndDx6 extends Decap {
    EndDx6(Engine e) {
        super(e, "end-dx6");
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
