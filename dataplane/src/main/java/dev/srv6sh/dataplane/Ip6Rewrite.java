package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Ip6;
import java.lang.foreign.MemorySegment;

/** ip6-rewrite: hop-limit decrement; see {@link Rewrite}. */
final class Ip6Rewrite extends Rewrite {
    Ip6Rewrite(Engine e) {
        super(e, "ip6-rewrite", Ethernet.TYPE_IP6);
    }

    /** RFC 4443 §3.3: Time Exceeded, code 0 (hop limit exceeded in transit). */
    @Override
    int expired(Buffers b, int buf) {
        return icmp(b, buf, Error.HOP_LIMIT, ICMP6_TIME_EXCEEDED, 0, 0);
    }

    @Override
    boolean decrement(MemorySegment m, long at) {
        int hl = Ip6.hopLimit(m, at);
        if (hl <= 1) {
            return false;
        }
        Ip6.hopLimit(m, at, hl - 1);
        return true;
    }
}
