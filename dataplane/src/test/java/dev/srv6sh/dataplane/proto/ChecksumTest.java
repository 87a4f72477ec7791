package dev.srv6sh.dataplane.proto;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumTest {
    /** RFC 1071's definition, 16 bits at a time. */
    private static int naive(byte[] b, int off, int len) {
        long acc = 0;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xff;
            int lo = i + 1 < len ? b[off + i + 1] & 0xff : 0;
            acc += (hi << 8) | lo;
        }
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xffff) + (acc >>> 16);
        }
        return (int) acc;
    }

    @Test
    void theWideSumEqualsTheSixteenBitSumAtEveryLengthAndAlignment() {
        Random r = new Random(1);
        byte[] b = new byte[2100];
        for (int round = 0; round < 20; round++) {
            r.nextBytes(b);
            if (round % 5 == 0) {
                java.util.Arrays.fill(b, (byte) 0xff); // the carries' worst case
            }
            MemorySegment s = MemorySegment.ofArray(b);
            for (int len = 0; len < 70; len++) {
                for (int off = 0; off < 9; off++) {
                    assertThat(Checksum.sum(s, off, len)).isEqualTo(naive(b, off, len));
                }
            }
            assertThat(Checksum.sum(s, 3, 2048)).isEqualTo(naive(b, 3, 2048));
        }
    }
}
