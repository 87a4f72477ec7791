package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Icmp4;
import dev.srv6sh.dataplane.proto.Ip4;
import java.lang.foreign.MemorySegment;

/**
 * ip4-icmp-error: the IPv4 sibling of {@link Ip6IcmpError}. It answers a packet another node refused
 * with the ICMP error it asked for (so far Destination Unreachable, Fragmentation Needed with the
 * next-hop MTU, RFC 792 and RFC 1191), then lets error-drop count the packet under that node's reason.
 * The error goes from the receiving interface's IPv4 address to the offender's source with
 * precedence 6 (RFC 1812 §4.3.2.5) and quotes as much of the packet as keeps it within 576 bytes
 * (§4.3.2.3). As §4.3.2.7 requires, none is sent about an ICMP error, a non-initial fragment, a
 * packet to a multicast or broadcast address, or from an address that is not a host's (0.0.0.0,
 * loopback, multicast, class E); errors are rate-limited per source and overall with ip6-icmp-error's figures ({@link IcmpRateLimit}).
 * Outputs: error-drop (the offender), ip4-lookup (the error).
 */
final class Ip4IcmpError extends Node {
    private static final int MAX = 576;
    private static final int HEADERS = Ip4.MIN_LENGTH + Icmp4.HEADER;
    private static final int PRECEDENCE_INTERNETWORK_CONTROL = 0xc0;

    /** What happened to each request for an error message; not drops (error-drop counts those). */
    enum Outcome {
        SENT("sent"),
        RATE_LIMITED("rate-limited"),
        NOT_ALLOWED("not sent about this packet (RFC 1812 §4.3.2.7)"),
        NO_SOURCE("not sent: the interface has no IPv4 address"),
        NO_BUFFER("not sent: no buffer");

        private final String text;

        Outcome(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private final long[] outcomes = new long[Outcome.values().length];
    private final IcmpRateLimit limit;

    Ip4IcmpError(Engine e) {
        super(e, "ip4-icmp-error", new Enum<?>[0]);
        limit = new IcmpRateLimit(e.clock());
    }

    long outcome(Outcome o) {
        return outcomes[o.ordinal()];
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        MemorySegment m = b.memory;
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            next[k] = ERROR_DROP;
            outcomes[answer(fib, b, m, buf).ordinal()]++;
        }
    }

    private static boolean hostAddress(int a) {
        int first = a >>> 24;
        return a != 0 && first != 127 && first < 224;
    }

    private Outcome answer(Fib fib, Buffers b, MemorySegment m, int buf) {
        long at = b.at(buf);
        int len = b.length[buf];
        int src = Ip4.src(m, at);
        int dst = Ip4.dst(m, at);
        int ihl = Ip4.headerLength(m, at);
        boolean aboutAnError =
                Ip4.protocol(m, at) == Ip4.PROTO_ICMP && len > ihl && Icmp4.isError(Icmp4.type(m, at + ihl));
        boolean laterFragment = (Ip4.fragment(m, at) & Ip4.OFFSET_MASK) != 0;
        if (aboutAnError || laterFragment || !hostAddress(src) || (dst >>> 24) >= 224) {
            return Outcome.NOT_ALLOWED;
        }
        int ifi = b.rxIf[buf];
        if (!fib.ifHasSrc4[ifi]) {
            return Outcome.NO_SOURCE;
        }
        if (b.free() == 0) {
            return Outcome.NO_BUFFER;
        }
        if (!limit.allow(src)) {
            return Outcome.RATE_LIMITED;
        }
        int e = b.allocate();
        int quoted = Math.min(len, MAX - HEADERS);
        long ip = b.at(e);
        long icmp = ip + Ip4.MIN_LENGTH;
        Icmp4.type(m, icmp, b.icmpTypeCode[buf] >>> 8);
        Icmp4.code(m, icmp, b.icmpTypeCode[buf] & 0xff);
        Icmp4.rest(m, icmp, b.icmpPointer[buf] & 0xffff);
        MemorySegment.copy(m, at, m, icmp + Icmp4.HEADER, quoted);
        Icmp4.checksum(m, icmp, Icmp4.compute(m, icmp, Icmp4.HEADER + quoted));
        Ip4.write(m, ip, PRECEDENCE_INTERNETWORK_CONTROL, HEADERS + quoted, 64, Ip4.PROTO_ICMP, fib.ifSrc4[ifi], src);
        b.length[e] = HEADERS + quoted;
        b.rxIf[e] = ifi;
        b.flags[e] = Buffers.ORIGINATED;
        b.time[e] = b.time[buf];
        b.trace[e] = b.trace[buf]; // a traced packet's error is part of its trace
        engine.enqueue(IP4_LOOKUP, e);
        return Outcome.SENT;
    }
}
