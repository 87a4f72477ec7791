package dev.srv6sh.dataplane;

/**
 * end-t: RFC 8986 §4.3 End.T. S15: look the new destination up in the SID's table T; with USD the
 * decapsulated packet is looked up there too. See {@link Endpoint}.
 */
final class EndT extends Endpoint {
    EndT(Engine e) {
        super(e, "end-t");
    }

    @Override
    int segment(Fib fib, Buffers b, int buf, int sid) {
        b.table[buf] = fib.sidTable[sid];
        return IP6_LOOKUP;
    }

    @Override
    int decapsulated(Fib fib, Buffers b, int buf, int sid, boolean v4) {
        b.table[buf] = fib.sidTable[sid];
        return v4 ? IP4_LOOKUP : IP6_LOOKUP;
    }
}
