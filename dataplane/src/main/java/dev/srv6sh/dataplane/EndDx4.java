package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ip6;

/**
 * end-dx4: RFC 8986 §4.5 End.DX4. Takes an inner IPv4 (next header 4) packet, removes the outer IPv6 header and any
 * SRH, and forwards it to the SID's next hop (the adjacency J), which the rewrite resolves. See {@link Decap}.
 */
final class EndDx4 extends Decap {
    EndDx4(Engine e) {
        super(e, "end-dx4");
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
