package dev.srv6sh.dataplane;

/** end: RFC 8986 §4.1 End. S15: look the new destination up in the main table. See {@link Endpoint}. */
final class End extends Endpoint {
    End(Engine e) {
        super(e, "end");
    }

    @Override
    int segment(Fib fib, Buffers b, int buf, int sid) {
        return IP6_LOOKUP;
    }
}
