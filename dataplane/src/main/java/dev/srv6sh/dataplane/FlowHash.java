package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Ip4;
import dev.srv6sh.dataplane.proto.Ip6;
import java.lang.foreign.MemorySegment;

/**
 * A flow hash over the inner packet's addresses, protocol and ports: it picks among weighted SID
 * lists and fills the outer flow label (RFC 6437), so that one flow stays on one path.
 */
final class FlowHash {
    private FlowHash() {}

    static int of(MemorySegment m, long at, int len) {
        long h;
        if (Ip4.version(m, at) == 4) {
            int proto = Ip4.protocol(m, at);
            h = ((long) Ip4.src(m, at) << 32 | (Ip4.dst(m, at) & 0xffff_ffffL)) * 0x9E3779B97F4A7C15L + proto;
            int ihl = Ip4.headerLength(m, at);
            if ((proto == Ip4.PROTO_TCP || proto == Ip4.PROTO_UDP)
                    && (Ip4.fragment(m, at) & 0x1fff) == 0
                    && ihl + 4 <= len) {
                h ^= Bytes.u32(m, at + ihl) * 0xC2B2AE3D27D4EB4FL;
            }
        } else {
            h = Ip6.srcHi(m, at) * 0x9E3779B97F4A7C15L
                    ^ Ip6.srcLo(m, at)
                    ^ Ip6.dstHi(m, at) * 0xC2B2AE3D27D4EB4FL
                    ^ Ip6.dstLo(m, at)
                    ^ Ip6.flowLabel(m, at)
                    ^ ((long) Ip6.nextHeader(m, at) << 40);
            int nh = Ip6.nextHeader(m, at);
            if ((nh == Ip4.PROTO_TCP || nh == Ip4.PROTO_UDP) && Ip6.LENGTH + 4 <= len) {
                h ^= Bytes.u32(m, at + Ip6.LENGTH) * 0x165667B19E3779F9L;
            }
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h & 0x7fff_ffff;
    }
}
