package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ip4;

/**
 * ip4-input: RFC 1812 §5.2.2 header checks (version, IHL, total length, checksum); trims link padding.
 * Outputs: ip4-lookup, error-drop.
 */
final class Ip4Input extends Node {
    enum Error {
        TOO_SHORT("shorter than an IPv4 header"),
        BAD_VERSION("version is not 4"),
        BAD_HEADER_LENGTH("IHL below 5 or beyond the packet"),
        BAD_LENGTH("total length disagrees with the frame"),
        BAD_CHECKSUM("header checksum is wrong");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    Ip4Input(Engine e) {
        super(e, "ip4-input", Error.values());
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        var m = b.memory;
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            long at = b.at(buf);
            int len = b.length[buf];
            if (len < Ip4.MIN_LENGTH) {
                next[k] = drop(b, buf, Error.TOO_SHORT);
                continue;
            }
            if (Ip4.version(m, at) != 4) {
                next[k] = drop(b, buf, Error.BAD_VERSION);
                continue;
            }
            int ihl = Ip4.headerLength(m, at);
            if (ihl < Ip4.MIN_LENGTH || ihl > len) {
                next[k] = drop(b, buf, Error.BAD_HEADER_LENGTH);
                continue;
            }
            int total = Ip4.totalLength(m, at);
            if (total < ihl || total > len) {
                next[k] = drop(b, buf, Error.BAD_LENGTH);
                continue;
            }
            if (!Ip4.checksumValid(m, at, ihl)) {
                next[k] = drop(b, buf, Error.BAD_CHECKSUM);
                continue;
            }
            b.length[buf] = total;
            next[k] = IP4_LOOKUP;
        }
    }
}
