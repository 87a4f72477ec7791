package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Ip4;
import dev.srv6sh.dataplane.proto.Ip6;
import dev.srv6sh.dataplane.proto.Srh;
import java.lang.foreign.MemorySegment;

/**
 * sr-policy-rewrite-encaps-l2: RFC 8986 §5.3 H.Encaps.L2 and §5.4 H.Encaps.L2.Red. Every frame
 * received on an interface steered at layer 2 (ethernet-input sends it here whole, whatever its
 * destination MAC) becomes the payload of an outer IPv6 header and SRH with next header 143: the
 * Ethernet frame from its destination MAC on, without preamble or FCS, as §5.3 says. The SID list is
 * chosen by a flow hash over the frame's IP packet when it carries one, else over its MAC addresses;
 * the outer header is {@link Encaps#push}'s (traffic class 0: a frame has none). A frame that
 * would exceed the MTU towards the first SID is a counted drop: there is no IP source at layer 2
 * to tell. Outputs: ip6-lookup, error-drop.
 */
final class EncapsL2 extends Node {
    enum Error {
        TOO_BIG("frame with the encapsulation larger than the MTU towards the first SID"),
        NO_HEADROOM("no room in front of the frame for the encapsulation"),
        LARGE_SEND_TOO_LARGE("large send (GSO) too large for an IPv6 packet with the encapsulation");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    EncapsL2(Engine e) {
        super(e, "sr-policy-rewrite-encaps-l2", Error.values());
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        MemorySegment m = b.memory;
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            long at = b.at(buf);
            int len = b.length[buf];
            int p = b.target[buf];
            int hash = hash(m, at, len);
            int list = Encaps.pick(fib, p, hash);
            long[] segs = fib.policySegments[p][list];
            int count = segs.length / 2;
            int inSrh = fib.policyReduced[p] ? count - 1 : count;
            int added = Ip6.LENGTH + (inSrh == 0 ? 0 : Srh.FIXED + 16 * inSrh);
            if (b.wireLength(buf, len) + added > fib.policyMtu[p][list]) {
                next[k] = drop(b, buf, Error.TOO_BIG);
                continue;
            }
            if (len + added - Ip6.LENGTH > 0xffff) {
                next[k] = drop(b, buf, Error.LARGE_SEND_TOO_LARGE); // only a large send comes near
                continue;
            }
            if (b.headroom(buf) < added + Ethernet.LENGTH) {
                next[k] = drop(b, buf, Error.NO_HEADROOM);
                continue;
            }
            b.offset[buf] -= added;
            b.length[buf] = len + added;
            Encaps.pushTemplate(fib, m, b.at(buf), p, list, fib.policyReduced[p], Ip6.NH_ETHERNET, len, 0, hash);
            b.flags[buf] |= Buffers.ORIGINATED;
            b.table[buf] = 0;
            next[k] = IP6_LOOKUP;
        }
    }

    /** The inner IP packet's flow hash, or one over the MAC addresses for anything else. */
    private static int hash(MemorySegment m, long at, int len) {
        int type = Ethernet.type(m, at);
        long ip = at + Ethernet.LENGTH;
        if (type == Ethernet.TYPE_IP4 && len >= Ethernet.LENGTH + Ip4.MIN_LENGTH && Ip4.version(m, ip) == 4) {
            return FlowHash.of(m, ip, len - Ethernet.LENGTH);
        }
        if (type == Ethernet.TYPE_IP6 && len >= Ethernet.LENGTH + Ip6.LENGTH && Ip6.version(m, ip) == 6) {
            return FlowHash.of(m, ip, len - Ethernet.LENGTH);
        }
        long h = (Ethernet.dst(m, at) * 0x9E3779B97F4A7C15L) ^ Ethernet.src(m, at) ^ type;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h & 0x7fff_ffff;
    }
}
