package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ip6;

/**
 * end-dt4: RFC 8986 §4.7 End.DT4. Takes an inner IPv4 (next header 4) packet, removes the outer IPv6 header and any
 * SRH, and looks it up in the SID's table T. See {@link Decap}.
 */
final class EndDt4 extends Decap {
    EndDt4(Engine e) {
        super(e, "end-dt4");
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
