package dev.srv6sh.dataplane.proto;

import java.lang.foreign.MemorySegment;

/** TCP header fields (RFC 9293) the data plane reads or rewrites: flags and the MSS option. */
public final class Tcp {
    private Tcp() {}

    public static final int MIN_LENGTH = 20;
    public static final int SYN = 0x02;
    private static final int OPTION_END = 0;
    private static final int OPTION_NOP = 1;
    private static final int OPTION_MSS = 2;

    public static int flags(MemorySegment s, long off) {
        return Bytes.u8(s, off + 13);
    }

    /** The header's length in bytes (data offset × 4). */
    public static int headerLength(MemorySegment s, long off) {
        return (Bytes.u8(s, off + 12) >>> 4) * 4;
    }

    public static int checksum(MemorySegment s, long off) {
        return Bytes.u16(s, off + 16);
    }

    /**
     * Lowers the MSS option of the segment at {@code off} ({@code length} bytes of it in the buffer)
     * to {@code mss} when it announces more, patching the checksum incrementally (RFC 1624; an option
     * at an odd offset is summed byte-swapped, as the one's complement sum allows). Returns the MSS it
     * replaced, or -1 when there was nothing to lower: not a SYN, no MSS option, one of {@code mss} or
     * less, or options that do not parse (left as they are: the receiver judges them).
     */
    public static int clampMss(MemorySegment s, long off, int length, int mss) {
        if (length < MIN_LENGTH || (flags(s, off) & SYN) == 0) {
            return -1;
        }
        int header = headerLength(s, off);
        if (header < MIN_LENGTH || header > length) {
            return -1;
        }
        int o = MIN_LENGTH;
        while (o < header) {
            int kind = Bytes.u8(s, off + o);
            if (kind == OPTION_END) {
                return -1;
            }
            if (kind == OPTION_NOP) {
                o++;
                continue;
            }
            if (o + 1 >= header) {
                return -1;
            }
            int len = Bytes.u8(s, off + o + 1);
            if (len < 2 || o + len > header) {
                return -1;
            }
            if (kind == OPTION_MSS) {
                if (len != 4) {
                    return -1;
                }
                int old = Bytes.u16(s, off + o + 2);
                if (old <= mss) {
                    return -1;
                }
                Bytes.u16(s, off + o + 2, mss);
                int sum = checksum(s, off);
                boolean odd = ((o + 2) & 1) != 0;
                int patched = odd ? Checksum.update(sum, swap(old), swap(mss)) : Checksum.update(sum, old, mss);
                Bytes.u16(s, off + 16, patched);
                return old;
            }
            o += len;
        }
        return -1;
    }

    private static int swap(int v) {
        return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
    }
}
