package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ip6;

/**
 * end-dt6: RFC 8986 §4.6 End.DT6. Takes an inner IPv6 (next header 41) packet, removes the outer IPv6 header and any
 * SRH, and looks it up in the SID's table T. See {@link Decap}.
 */
final class EndDt6 extends Decap {
    EndDt6(Engine e) {
        super(e, "end-dt6");
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
