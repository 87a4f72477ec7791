package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ip4;
import java.lang.foreign.MemorySegment;

/** ip4-lookup: see {@link Lookup}; IPv4 keys sit in the top 32 bits of the trie's key. */
final class Ip4Lookup extends Lookup {
    Ip4Lookup(Engine e) {
        super(e, "ip4-lookup", IP4_REWRITE, IP4_LOCAL);
    }

    @Override
    int lookup(Fib fib, MemorySegment m, long at, int table) {
        return fib.ip4Tables[table].lookup((long) Ip4.dst(m, at) << 32, 0);
    }
}
