package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Ip6;
import dev.srv6sh.dataplane.proto.Nd;

/**
 * ip6-input: version and payload-length checks (RFC 8200), multicast sources refused; trims link
 * padding. Neighbor Solicitations and Advertisements (ICMPv6 right behind the IPv6 header, types 135
 * and 136) go to ip6-nd, whatever their destination. Outputs: ip6-lookup, ip6-nd, error-drop.
 */
final class Ip6Input extends Node {
    enum Error {
        TOO_SHORT("shorter than an IPv6 header"),
        BAD_VERSION("version is not 6"),
        BAD_LENGTH("payload length runs past the frame"),
        MULTICAST_SOURCE("source address is multicast");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    Ip6Input(Engine e) {
        super(e, "ip6-input", Error.values());
    }

    private static boolean isNd(int icmpType) {
        return icmpType == Nd.SOLICITATION || icmpType == Nd.ADVERTISEMENT;
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        var m = b.memory;
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            long at = b.at(buf);
            int len = b.length[buf];
            if (len < Ip6.LENGTH) {
                next[k] = drop(b, buf, Error.TOO_SHORT);
                continue;
            }
            if (Ip6.version(m, at) != 6) {
                next[k] = drop(b, buf, Error.BAD_VERSION);
                continue;
            }
            int total = Ip6.LENGTH + Ip6.payloadLength(m, at);
            if (total > len) {
                next[k] = drop(b, buf, Error.BAD_LENGTH);
                continue;
            }
            if ((Ip6.srcHi(m, at) >>> 56) == 0xff) {
                next[k] = drop(b, buf, Error.MULTICAST_SOURCE);
                continue;
            }
            b.length[buf] = total;
            next[k] = Ip6.nextHeader(m, at) == Ip6.NH_ICMP6 && total > Ip6.LENGTH && isNd(Bytes.u8(m, at + Ip6.LENGTH))
                    ? IP6_ND
                    : IP6_LOOKUP;
        }
    }
}
