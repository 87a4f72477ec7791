package dev.srv6sh.dataplane;

/**
 * end-x: RFC 8986 §4.2 End.X. S15: forward via the SID's adjacency J, whatever the FIB says; with USD
 * the decapsulated packet goes to J too. See {@link Endpoint}.
 */
final class EndX extends Endpoint {
    EndX(Engine e) {
        super(e, "end-x");
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
