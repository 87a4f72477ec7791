package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Checksum;
import dev.srv6sh.dataplane.proto.Icmp4;
import dev.srv6sh.dataplane.proto.Ip4;

/**
 * ip4-local: IPv4 packets for one of this router's addresses. The router has no transport stack: it
 * answers ICMP Echo Requests (RFC 792) in place, turning the request's buffer into the reply, and
 * counts everything else. Fragments are not reassembled, so a fragmented echo is not answered.
 * Outputs: ip4-lookup (the reply), error-drop.
 */
final class Ip4Local extends Node {
    enum Error {
        NOT_SUPPORTED("local delivery not supported (only ICMP echo is answered)"),
        BAD_CHECKSUM("ICMP checksum is wrong");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** The TTL of packets this router originates (Linux's default). */
    static final int TTL = 64;

    /** Echo requests answered (each turned into its reply). */
    long answered;

    Ip4Local(Engine e) {
        super(e, "ip4-local", Error.values());
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        var m = b.memory;
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            long ip = b.at(buf);
            int ihl = Ip4.headerLength(m, ip);
            long icmp = ip + ihl;
            int icmpLength = b.length[buf] - ihl; // ip4-input trimmed the buffer to the total length
            if (Ip4.protocol(m, ip) != Ip4.PROTO_ICMP
                    || (Ip4.fragment(m, ip) & 0x3fff) != 0 // more fragments, or an offset
                    || icmpLength < Icmp4.HEADER
                    || Icmp4.type(m, icmp) != Icmp4.ECHO_REQUEST
                    || Icmp4.code(m, icmp) != 0) {
                next[k] = drop(b, buf, Error.NOT_SUPPORTED);
                continue;
            }
            if (!Icmp4.checksumValid(m, icmp, icmpLength)) {
                next[k] = drop(b, buf, Error.BAD_CHECKSUM);
                continue;
            }
            int src = Ip4.src(m, ip);
            Ip4.src(m, ip, Ip4.dst(m, ip));
            Ip4.dst(m, ip, src);
            Ip4.ttl(m, ip, TTL);
            Ip4.updateChecksum(m, ip, ihl);
            Icmp4.type(m, icmp, Icmp4.ECHO_REPLY);
            // RFC 1624: only the type/code word changed, from 8/0 to 0/0
            Icmp4.checksum(m, icmp, Checksum.update(Icmp4.checksum(m, icmp), Icmp4.ECHO_REQUEST << 8, 0));
            b.flags[buf] = Buffers.ORIGINATED;
            answered++;
            next[k] = IP4_LOOKUP;
        }
    }
}
