package dev.srv6sh.dataplane.proto;

import java.lang.foreign.MemorySegment;

/** The internet checksum (RFC 1071) and its incremental update (RFC 1624). */
public final class Checksum {
    private Checksum() {}

    /**
     * The 16-bit one's-complement sum of {@code len} bytes, not yet complemented. Eight bytes are read
     * at a time and summed as two 32-bit words, folded at the end (RFC 1071 §2(B): the sum may be
     * computed in wider words); at most 2^32 words fit in the accumulator, far beyond any packet.
     */
    public static int sum(MemorySegment s, long off, int len) {
        long acc = 0;
        int i = 0;
        for (; i + 7 < len; i += 8) {
            long v = Bytes.u64(s, off + i);
            acc += (v >>> 32) + (v & 0xffff_ffffL);
        }
        for (; i + 1 < len; i += 2) {
            acc += Bytes.u16(s, off + i);
        }
        if (i < len) {
            acc += Bytes.u8(s, off + i) << 8;
        }
        return fold(acc);
    }

    /** The checksum to store in a header whose checksum field is zero; over a correct header it is 0. */
    public static int internet(MemorySegment s, long off, int len) {
        return ~sum(s, off, len) & 0xffff;
    }

    /** Folds carries into 16 bits. */
    public static int fold(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xffff) + (acc >>> 16);
        }
        return (int) acc;
    }

    /**
     * The sum of the IPv6 pseudo-header (RFC 8200 §8.1) for the packet whose IPv6 header is at {@code
     * ip}: source, destination, upper-layer length and next header. Add the upper-layer bytes' {@link
     * #sum} to it, {@link #fold}, and complement.
     */
    public static int ip6Pseudo(MemorySegment s, long ip, int upperLength, int nextHeader) {
        return fold((long) sum(s, ip + 8, 32) + (upperLength >>> 16) + (upperLength & 0xffff) + nextHeader);
    }

    /** The sum of the IPv4 pseudo-header (RFC 768, RFC 793): source, destination, protocol, length. */
    public static int ip4Pseudo(MemorySegment s, long ip, int upperLength, int protocol) {
        return fold((long) sum(s, ip + 12, 8) + protocol + (upperLength & 0xffff));
    }

    /**
     * The checksum of an upper-layer message of {@code length} bytes at {@code upper} under a pseudo-
     * header sum (its own checksum field zeroed first, or left in place to verify: then the result is 0).
     */
    public static int withPseudo(int pseudo, MemorySegment s, long upper, int length) {
        return ~fold((long) pseudo + sum(s, upper, length)) & 0xffff;
    }

    /** RFC 1624 eqn. 3: the new checksum after a 16-bit field changed from {@code old} to {@code now}. */
    public static int update(int checksum, int old, int now) {
        return ~fold((~checksum & 0xffff) + (~old & 0xffff) + (now & 0xffff)) & 0xffff;
    }
}
