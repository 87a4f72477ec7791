package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ip6;

/**
 * sr-localsid: the destination is one of this router's SIDs. It refuses packets from outside the SR
 * domain (catalogue M24: they arrived on an edge interface from a source not trusted, RFC 8754 §5.1),
 * walks the extension-header chain once for every behavior ({@link HeaderChain}: bounded, truncation,
 * unknown routing types, TLV overruns), then hands the packet to the node of its behavior, which
 * {@link SidCompiler} chose by the behavior's spec in {@link Behaviors} when the SID was compiled. The behavior nodes count what they accept
 * against the SID (RFC 8986 §6).
 * Outputs: one node per behavior (end, end-x, end-t, end-dx4, ...), ip6-icmp-error, error-drop.
 */
final class SrLocalSid extends Node {
    enum Error {
        UNTRUSTED_SOURCE("to a local SID from outside the SR domain"),
        TRUNCATED("extension headers run past the packet"),
        CHAIN_TOO_LONG("more than 8 extension headers, or 256 bytes of them, before the SRH or upper layer"),
        UNKNOWN_ROUTING_TYPE("routing header of an unknown type with segments left > 0"),
        BAD_TLV("an SRH TLV runs past the header");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    SrLocalSid(Engine e) {
        super(e, "sr-localsid", Error.values());
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        var m = b.memory;
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            long ip = b.at(buf);
            if (fib.ifEdge[b.rxIf[buf]] && fib.trustedSources.lookup(Ip6.srcHi(m, ip), Ip6.srcLo(m, ip)) < 0) {
                next[k] = drop(b, buf, Error.UNTRUSTED_SOURCE);
                continue;
            }
            int verdict = HeaderChain.walk(m, b, buf);
            next[k] = switch (verdict & 0xff) {
                case HeaderChain.OK -> fib.sidNode[b.target[buf]];
                case HeaderChain.TRUNCATED -> drop(b, buf, Error.TRUNCATED);
                case HeaderChain.TOO_LONG -> drop(b, buf, Error.CHAIN_TOO_LONG);
                case HeaderChain.BAD_TLV -> drop(b, buf, Error.BAD_TLV);
                default -> icmp(b, buf, Error.UNKNOWN_ROUTING_TYPE, ICMP6_PARAMETER_PROBLEM, 0, verdict >>> 8);
            };
        }
    }
}
