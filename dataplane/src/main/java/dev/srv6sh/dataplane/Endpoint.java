package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Ip6;
import dev.srv6sh.dataplane.proto.Srh;
import java.lang.foreign.MemorySegment;

/**
 * The End family (RFC 8986 §4.1 End, §4.2 End.X, §4.3 End.T, the End part of §4.13-4.14
 * End.B6.Encaps[.Red] and of the insertion draft's End.B6.Insert[.Red]) with the PSP, USP and USD
 * flavors (§4.16) and NEXT-CSID (RFC 9800 §4.1-4.2). They differ only in S15, where the packet goes
 * once SL and the DA are updated, which each subclass supplies as {@link #segment}.
 *
 * <pre>
 * NEXT-CSID, DA.Argument ≠ 0 (RFC 9800 §4.1 S02-S09, with or without an SRH): hop limit ≤ 1 → Time
 *              Exceeded │ shift the argument left over the C-SID, zero-fill, HL −1 │ S15 {@link #segment}
 * SRH, SL &gt; 0: S05 hop limit ≤ 1 → Time Exceeded │ S08-S09 LE / SL out of range → Parameter Problem
 *              next segment multicast, ::, ::1 or link-local → dropped (catalogue M23)
 *              S12-S14 HL −1, SL −1, DA = Segment List[SL] │ PSP at SL = 0 │ S15 {@link #segment}
 * no SRH or SL = 0 (§4.1.1 upper layer): USD + IPv4/IPv6 inside → validate, decapsulate, {@link #decapsulated}
 *              ICMPv6 → ip6-local (echo) │ anything else → Parameter Problem code 4
 * </pre>
 *
 * The SRH need not follow the IPv6 header: sr-localsid found it ({@link HeaderChain}) and pointers
 * count from the IPv6 header. The rewrite does not decrement again: the packet is marked {@link
 * Buffers#DECREMENTED}, not as the router's own, so its source is still told what becomes of it (an
 * ICMPv6 error if its next hop cannot be resolved).
 */
abstract class Endpoint extends Node {
    enum Error {
        NO_SRH("no SR header and an upper layer this router does not take"),
        NO_MORE_SEGMENTS("segments left is 0 and an upper layer this router does not take"),
        HOP_LIMIT("hop limit exceeded"),
        BAD_SRH("SRH segments left or last entry out of range"),
        BAD_SEGMENT("next segment is multicast, unspecified, loopback or link-local"),
        BAD_INNER("inner packet is malformed");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Flavor bits (RFC 8986 §4.16). */
    static final int PSP = 1;

    static final int USP = 2;
    static final int USD = 4;
    static final int NEXT_CSID = 8;

    Endpoint(Engine e, String name) {
        super(e, name, Error.values());
    }

    /**
     * Whether S12-S14 take the next segment from the SRH (SL −1, DA update). End.B6.Insert does not:
     * the inserted SRH leads the packet away and back, and the received one is processed on return.
     */
    boolean advances() {
        return true;
    }

    /** S15: where the packet goes once SL and the DA are updated. */
    abstract int segment(Fib fib, Buffers b, int buf, int sid);

    /** USD (§4.16.3): where the decapsulated inner packet goes; a lookup in the main table by default. */
    int decapsulated(Fib fib, Buffers b, int buf, int sid, boolean v4) {
        return v4 ? IP4_LOOKUP : IP6_LOOKUP;
    }

    @Override
    final void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        var m = b.memory;
        boolean advances = advances();
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            long ip = b.at(buf);
            int len = b.length[buf];
            int sid = b.target[buf];
            int flavors = fib.sidFlavors[sid];
            // sr-localsid walked the extension headers (HeaderChain): the SRH to process, if any
            int srhAt = b.srh[buf];
            long srh = ip + srhAt;
            int srhLength = srhAt < 0 ? 0 : Srh.length(m, srh);
            if ((flavors & NEXT_CSID) != 0) {
                long dHi = Ip6.dstHi(m, ip);
                long dLo = Ip6.dstLo(m, ip);
                if ((dHi & fib.sidArgHi[sid]) != 0 || (dLo & fib.sidArgLo[sid]) != 0) {
                    next[k] = nextCsid(fib, b, m, buf, sid, dHi, dLo);
                    continue;
                }
            }
            if (srhAt < 0 || Srh.segmentsLeft(m, srh) == 0) {
                next[k] = upperLayer(fib, b, m, buf, sid, flavors, srhAt, srhLength);
                continue;
            }
            int sl = Srh.segmentsLeft(m, srh);
            int hl = Ip6.hopLimit(m, ip);
            if (hl <= 1) {
                next[k] = icmp(b, buf, Error.HOP_LIMIT, ICMP6_TIME_EXCEEDED, 0, 0);
                continue;
            }
            int le = Srh.lastEntry(m, srh);
            if (le > Srh.maxLastEntry(m, srh) || sl > le + 1) {
                next[k] = icmp(b, buf, Error.BAD_SRH, ICMP6_PARAMETER_PROBLEM, 0, srhAt + 3);
                continue;
            }
            if (advances) {
                long seg = Srh.segment(srh, sl - 1);
                long segHi = Bytes.u64(m, seg);
                long segLo = Bytes.u64(m, seg + 8);
                if (!Ip6.isSegmentDestination(segHi, segLo)) {
                    next[k] = drop(b, buf, Error.BAD_SEGMENT); // catalogue M23
                    continue;
                }
                Ip6.hopLimit(m, ip, hl - 1);
                sl--;
                Srh.segmentsLeft(m, srh, sl);
                Ip6.dst(m, ip, segHi, segLo);
                if (sl == 0 && (flavors & PSP) != 0) {
                    popSrh(b, m, buf, srhAt, b.srhNamedAt[buf], srhLength); // §4.16.1: the penultimate SID pops it
                }
            } else {
                Ip6.hopLimit(m, ip, hl - 1);
            }
            engine.countSid(sid, len);
            b.flags[buf] |= Buffers.DECREMENTED; // still the sender's packet
            next[k] = segment(fib, b, buf, sid);
        }
    }

    /**
     * RFC 9800 §4.1 S02-S09 (End) and §4.2 (End.X): the DA's argument holds the next C-SIDs. Shift it
     * left by the C-SID length into bits [LBL, 128 − LNFL) and zero the rest (bits below the block
     * come from the shifted value, the block from the DA); SL is not touched, so the SRH, if any,
     * takes over once the container is spent (argument 0: the End processing below, SL −1).
     */
    private int nextCsid(Fib fib, Buffers b, MemorySegment m, int buf, int sid, long dHi, long dLo) {
        long ip = b.at(buf);
        int hl = Ip6.hopLimit(m, ip);
        if (hl <= 1) {
            return icmp(b, buf, Error.HOP_LIMIT, ICMP6_TIME_EXCEEDED, 0, 0);
        }
        int s = fib.sidCsidBits[sid]; // 8..120
        long sHi = s < 64 ? (dHi << s) | (dLo >>> (64 - s)) : dLo << (s - 64);
        long sLo = s < 64 ? dLo << s : 0;
        long bHi = fib.sidBlockHi[sid];
        long bLo = fib.sidBlockLo[sid];
        Ip6.dst(m, ip, (dHi & bHi) | (sHi & ~bHi), (dLo & bLo) | (sLo & ~bLo));
        Ip6.hopLimit(m, ip, hl - 1);
        engine.countSid(sid, b.length[buf]);
        b.flags[buf] |= Buffers.DECREMENTED; // still the sender's packet
        return segment(fib, b, buf, sid);
    }

    /**
     * No SRH, or SL = 0: upper-layer processing (§4.1.1). With USP the SRH goes first (§4.16.2); with
     * USD an inner IPv4 or IPv6 packet is decapsulated (§4.16.3). ICMPv6 is the one upper layer local
     * configuration allows (ping to a SID): ip6-local answers echo requests, without the SRH. Anything
     * else is a Parameter Problem, code 4, pointing at the upper-layer header.
     */
    private int upperLayer(
            Fib fib, Buffers b, MemorySegment m, int buf, int sid, int flavors, int srhAt, int srhLength) {
        int upper = b.upperProtocol[buf];
        int outer = b.upper[buf];
        boolean inner = upper == Ip6.NH_IPV4 || upper == Ip6.NH_IPV6;
        if ((flavors & USD) != 0 && inner) {
            int innerLength = Inner.length(m, b.at(buf) + outer, b.length[buf] - outer, upper == Ip6.NH_IPV4);
            if (innerLength < 0) {
                return drop(b, buf, Error.BAD_INNER); // catalogue M22
            }
            engine.countSid(sid, b.length[buf]);
            b.offset[buf] += outer;
            b.length[buf] = innerLength;
            b.flags[buf] &= ~Buffers.HOP_LIMIT_SET; // the inner packet, in transit
            return decapsulated(fib, b, buf, sid, upper == Ip6.NH_IPV4);
        }
        if (upper == Ip6.NH_ICMP6) {
            engine.countSid(sid, b.length[buf]);
            if (srhAt >= 0) {
                popSrh(b, m, buf, srhAt, b.srhNamedAt[buf], srhLength);
            }
            return IP6_LOCAL;
        }
        if (srhAt >= 0 && (flavors & USP) != 0) {
            popSrh(b, m, buf, srhAt, b.srhNamedAt[buf], srhLength);
            return icmp(b, buf, Error.NO_MORE_SEGMENTS, ICMP6_PARAMETER_PROBLEM, 4, outer - srhLength);
        }
        return srhAt >= 0
                ? icmp(b, buf, Error.NO_MORE_SEGMENTS, ICMP6_PARAMETER_PROBLEM, 4, outer)
                : icmp(b, buf, Error.NO_SRH, ICMP6_PARAMETER_PROBLEM, 4, outer);
    }

    /** Removes the SRH right behind the IPv6 header. */
    static void popSrh(Buffers b, MemorySegment m, int buf, int srhLength) {
        popSrh(b, m, buf, Ip6.LENGTH, 6, srhLength);
    }

    /**
     * Removes the SRH at {@code srhAt} (from the IPv6 header), which the octet at {@code namedAt}
     * names: that octet takes the SRH's Next Header, and the headers before the SRH move up over it,
     * without touching the payload.
     */
    static void popSrh(Buffers b, MemorySegment m, int buf, int srhAt, int namedAt, int srhLength) {
        long ip = b.at(buf);
        Bytes.u8(m, ip + namedAt, Srh.nextHeader(m, ip + srhAt));
        Ip6.payloadLength(m, ip, Ip6.payloadLength(m, ip) - srhLength);
        MemorySegment.copy(m, ip, m, ip + srhLength, srhAt);
        b.offset[buf] += srhLength;
        b.length[buf] -= srhLength;
    }
}
