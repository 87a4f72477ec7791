package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Icmp6;
import dev.srv6sh.dataplane.proto.Ip6;

/**
 * ip6-local: IPv6 packets for this router, one of its addresses (from ip6-lookup) or an End SID
 * whose upper layer is ICMPv6 (from the endpoint nodes, SRH already removed). The router has no
 * transport stack: it answers ICMPv6 Echo Requests (RFC 4443 §4.2) in place, turning the request's
 * buffer into the reply, from the address that was pinged, and counts everything else.
 * Outputs: ip6-lookup (the reply), error-drop.
 */
final class Ip6Local extends Node {
    enum Error {
        NOT_SUPPORTED("local delivery not supported (only ICMPv6 echo is answered)"),
        BAD_CHECKSUM("ICMPv6 checksum is wrong");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** The hop limit of packets this router originates (RFC 4861's default, as Linux uses). */
    static final int HOP_LIMIT = 64;

    /** Echo requests answered (each turned into its reply). */
    long answered;

    Ip6Local(Engine e) {
        super(e, "ip6-local", Error.values());
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        var m = b.memory;
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            long ip = b.at(buf);
            int icmpLength = b.length[buf] - Ip6.LENGTH;
            long icmp = ip + Ip6.LENGTH;
            if (Ip6.nextHeader(m, ip) != Ip6.NH_ICMP6
                    || icmpLength < Icmp6.HEADER
                    || Icmp6.type(m, icmp) != Icmp6.ECHO_REQUEST
                    || Icmp6.code(m, icmp) != 0
                    || (Ip6.dstHi(m, ip) >>> 56) == 0xff) {
                next[k] = drop(b, buf, Error.NOT_SUPPORTED);
                continue;
            }
            if (!Icmp6.checksumValid(m, ip, icmp, icmpLength)) {
                next[k] = drop(b, buf, Error.BAD_CHECKSUM);
                continue;
            }
            long srcHi = Ip6.srcHi(m, ip);
            long srcLo = Ip6.srcLo(m, ip);
            Ip6.src(m, ip, Ip6.dstHi(m, ip), Ip6.dstLo(m, ip));
            Ip6.dst(m, ip, srcHi, srcLo);
            Ip6.hopLimit(m, ip, HOP_LIMIT);
            Icmp6.type(m, icmp, Icmp6.ECHO_REPLY);
            Icmp6.checksum(m, icmp, Icmp6.compute(m, ip, icmp, icmpLength));
            b.flags[buf] = Buffers.ORIGINATED;
            answered++;
            next[k] = IP6_LOOKUP;
        }
    }
}
