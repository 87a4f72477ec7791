package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ip6;

/**
 * end-dt46: RFC 8986 §4.8 End.DT46. Takes an inner IPv4 or IPv6 packet, removes the outer IPv6 header and any
 * SRH, and looks it up in the SID's table T. See {@link Decap}.
 */
final class EndDt46 extends Decap {
    EndDt46(Engine e) {
        super(e, "end-dt46");
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
