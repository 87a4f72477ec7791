package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ip6;
import java.lang.foreign.MemorySegment;

/** ip6-lookup: see {@link Lookup}. */
final class Ip6Lookup extends Lookup {
    Ip6Lookup(Engine e) {
        super(e, "ip6-lookup", IP6_REWRITE, IP6_LOCAL);
    }

    @Override
    int lookup(Fib fib, MemorySegment m, long at, int table) {
        return fib.ip6Tables[table].lookup(Ip6.dstHi(m, at), Ip6.dstLo(m, at));
    }
}
