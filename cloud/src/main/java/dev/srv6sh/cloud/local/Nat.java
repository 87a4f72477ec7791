package dev.srv6sh.cloud.local;

import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Checksum;
import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Ip4;
import java.lang.foreign.MemorySegment;

/**
 * The internet gateway's 1:1 NAT between an instance's private IPv4 address and its public one
 * (AWS: "performs network address translation for instances that have been assigned public IPv4
 * addresses"). Rewrites an address in place and updates the checksums that cover it incrementally
 * (RFC 1624): the IPv4 header's, and UDP's and TCP's through their pseudo-header. ICMP's checksum
 * covers the message alone, so it stays as it is.
 */
final class Nat {
    private static final int IP = Ethernet.LENGTH;
    private static final int SRC = IP + 12;
    private static final int DST = IP + 16;

    private Nat() {}

    /** True when the frame holds a whole IPv4 header with no options that this NAT can rewrite. */
    static boolean translatable(byte[] f) {
        return Frames.etherType(f) == Ethernet.TYPE_IP4
                && f.length >= IP + Ip4.MIN_LENGTH
                && Bytes.u8(MemorySegment.ofArray(f), IP) == 0x45;
    }

    static int source(byte[] f) {
        return Ip4.src(MemorySegment.ofArray(f), IP);
    }

    static int destination(byte[] f) {
        return Ip4.dst(MemorySegment.ofArray(f), IP);
    }

    static void rewriteSource(byte[] f, int address) {
        rewrite(f, SRC, address);
    }

    static void rewriteDestination(byte[] f, int address) {
        rewrite(f, DST, address);
    }

    private static void rewrite(byte[] f, int at, int address) {
        MemorySegment m = MemorySegment.ofArray(f);
        int old = Bytes.u32(m, at);
        Bytes.u32(m, at, address);
        fix(m, IP + 10, old, address);
        boolean firstFragment = (Ip4.fragment(m, IP) & Ip4.OFFSET_MASK) == 0;
        int l4 = IP + Ip4.MIN_LENGTH;
        int checksumAt =
                switch (Ip4.protocol(m, IP)) {
                    case Ip4.PROTO_UDP -> l4 + 6;
                    case Ip4.PROTO_TCP -> l4 + 16;
                    default -> -1;
                };
        if (!firstFragment || checksumAt < 0 || checksumAt + 2 > f.length) {
            return;
        }
        int stored = Bytes.u16(m, checksumAt);
        if (stored == 0 && Ip4.protocol(m, IP) == Ip4.PROTO_UDP) {
            return; // a UDP datagram sent without a checksum keeps none
        }
        fix(m, checksumAt, old, address);
        if (Ip4.protocol(m, IP) == Ip4.PROTO_UDP && Bytes.u16(m, checksumAt) == 0) {
            Bytes.u16(m, checksumAt, 0xffff);
        }
    }

    private static void fix(MemorySegment m, int checksumAt, int old, int now) {
        int c = Bytes.u16(m, checksumAt);
        c = Checksum.update(c, old >>> 16, now >>> 16);
        c = Checksum.update(c, old & 0xffff, now & 0xffff);
        Bytes.u16(m, checksumAt, c);
    }
}
