package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Ip4;
import java.lang.foreign.MemorySegment;

/** ip4-rewrite: TTL decrement with an incremental checksum update (RFC 1624); see {@link Rewrite}. */
final class Ip4Rewrite extends Rewrite {
    Ip4Rewrite(Engine e) {
        super(e, "ip4-rewrite", Ethernet.TYPE_IP4);
    }

    @Override
    boolean decrement(MemorySegment m, long at) {
        if (Ip4.ttl(m, at) <= 1) {
            return false;
        }
        Ip4.decrementTtl(m, at);
        return true;
    }
}
