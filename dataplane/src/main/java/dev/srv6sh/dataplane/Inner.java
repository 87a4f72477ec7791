package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ip4;
import dev.srv6sh.dataplane.proto.Ip6;
import java.lang.foreign.MemorySegment;

/**
 * Checks on the packet a decapsulation exposes (catalogue M22), before it is forwarded without
 * passing ip4-input or ip6-input again: the same header checks those nodes make.
 */
final class Inner {
    private Inner() {}

    /**
     * The inner packet's own length (what follows it is padding to drop), or −1 when it is malformed:
     * IPv4 with a version other than 4, IHL below 5, a total length beyond the bytes present or a
     * wrong header checksum; IPv6 with a version other than 6 or a payload beyond the bytes present.
     */
    static int length(MemorySegment m, long at, int available, boolean v4) {
        if (v4) {
            if (available < Ip4.MIN_LENGTH || Ip4.version(m, at) != 4) {
                return -1;
            }
            int ihl = Ip4.headerLength(m, at);
            int total = Ip4.totalLength(m, at);
            if (ihl < Ip4.MIN_LENGTH || total < ihl || total > available || !Ip4.checksumValid(m, at, ihl)) {
                return -1;
            }
            return total;
        }
        if (available < Ip6.LENGTH || Ip6.version(m, at) != 6) {
            return -1;
        }
        int total = Ip6.LENGTH + Ip6.payloadLength(m, at);
        return total > available ? -1 : total;
    }
}
