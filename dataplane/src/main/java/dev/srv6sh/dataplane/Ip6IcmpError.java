package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Icmp6;
import dev.srv6sh.dataplane.proto.Ip6;
import java.lang.foreign.MemorySegment;

/**
 * ip6-icmp-error: answers a packet another node refused with the ICMPv6 error it asked for (RFC 4443:
 * Packet Too Big with the MTU, Time Exceeded, Parameter Problem with its pointer), then lets error-drop count the packet under the
 * reason that node gave. The error is a new packet from the receiving interface's IPv6 address to
 * the offender's source, carrying as much of it as fits in the IPv6 minimum MTU, and goes to
 * ip6-lookup. As §2.4 requires, none is sent about an ICMPv6 error, from a multicast address, to a
 * multicast address unless it is a Packet Too Big (§2.4 (e.3): multicast sources learn the path MTU
 * too), or from the unspecified address, and they are rate-limited per source and overall ({@link IcmpRateLimit}).
 * Outputs: error-drop (the offender), ip6-lookup (the error).
 */
final class Ip6IcmpError extends Node {
    /** What happened to each request for an error message; not drops (error-drop counts those). */
    enum Outcome {
        SENT("sent"),
        RATE_LIMITED("rate-limited (RFC 4443 §2.4 (f))"),
        NOT_ALLOWED("not sent about this packet (RFC 4443 §2.4 (e))"),
        NO_SOURCE("not sent: the interface has no IPv6 address"),
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

    private static final int MIN_MTU = 1280;
    private static final int HEADERS = Ip6.LENGTH + 8;
    /** The burst one source gets ({@link IcmpRateLimit}). */
    static final long BURST = IcmpRateLimit.BURST;

    private final long[] outcomes = new long[Outcome.values().length];
    private final IcmpRateLimit limit;

    Ip6IcmpError(Engine e) {
        super(e, "ip6-icmp-error", new Enum<?>[0]);
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
            Outcome o = answer(fib, b, m, buf);
            outcomes[o.ordinal()]++;
        }
    }

    private Outcome answer(Fib fib, Buffers b, MemorySegment m, int buf) {
        long at = b.at(buf);
        int len = b.length[buf];
        long srcHi = Ip6.srcHi(m, at);
        long srcLo = Ip6.srcLo(m, at);
        boolean unspecified = srcHi == 0 && srcLo == 0;
        boolean multicast = (srcHi >>> 56) == 0xff
                || (Ip6.dstHi(m, at) >>> 56) == 0xff && (b.icmpTypeCode[buf] >>> 8) != ICMP6_PACKET_TOO_BIG;
        boolean aboutAnError =
                Ip6.nextHeader(m, at) == Ip6.NH_ICMP6 && len > Ip6.LENGTH && Bytes.u8(m, at + Ip6.LENGTH) < 128;
        if (unspecified || multicast || aboutAnError) {
            return Outcome.NOT_ALLOWED;
        }
        int ifi = b.rxIf[buf];
        if (!fib.ifHasSrc[ifi]) {
            return Outcome.NO_SOURCE;
        }
        if (b.free() == 0) {
            return Outcome.NO_BUFFER;
        }
        if (!limit.allow(IcmpRateLimit.hash(srcHi, srcLo))) {
            return Outcome.RATE_LIMITED;
        }
        int e = b.allocate();
        int quoted = Math.min(len, MIN_MTU - HEADERS);
        long ip = b.at(e);
        Ip6.versionClassFlow(m, ip, 0, 0);
        Ip6.payloadLength(m, ip, 8 + quoted);
        Ip6.nextHeader(m, ip, Ip6.NH_ICMP6);
        Ip6.hopLimit(m, ip, 64);
        Ip6.src(m, ip, fib.ifSrcHi[ifi], fib.ifSrcLo[ifi]);
        Ip6.dst(m, ip, srcHi, srcLo);
        long icmp = ip + Ip6.LENGTH;
        int typeCode = b.icmpTypeCode[buf];
        Bytes.u8(m, icmp, typeCode >>> 8);
        Bytes.u8(m, icmp + 1, typeCode & 0xff);
        Bytes.u16(m, icmp + 2, 0);
        Bytes.u32(m, icmp + 4, b.icmpPointer[buf]);
        MemorySegment.copy(m, at, m, icmp + 8, quoted);
        Bytes.u16(m, icmp + 2, Icmp6.compute(m, ip, icmp, 8 + quoted));
        b.length[e] = HEADERS + quoted;
        b.rxIf[e] = ifi;
        b.time[e] = b.time[buf];
        b.flags[e] = Buffers.ORIGINATED;
        b.trace[e] = b.trace[buf]; // a traced packet's error is part of its trace
        engine.enqueue(IP6_LOOKUP, e);
        return Outcome.SENT;
    }
}
