package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LpmTest {
    private static long v4(int a, int b, int c, int d) {
        return (long) ((a << 24) | (b << 16) | (c << 8) | d) << 32;
    }

    @Test
    void longestPrefixWinsAndTheDefaultCatchesTheRest() {
        Lpm t = new Lpm(32);
        assertThat(t.lookup(v4(10, 0, 0, 1), 0)).isEqualTo(-1);
        t.insert(0, 0, 0, 1);
        t.insert(v4(10, 0, 0, 0), 0, 8, 2);
        t.insert(v4(10, 11, 0, 0), 0, 16, 3);
        t.insert(v4(10, 11, 1, 10), 0, 32, 4);
        assertThat(t.lookup(v4(192, 0, 2, 1), 0)).isEqualTo(1);
        assertThat(t.lookup(v4(10, 12, 0, 1), 0)).isEqualTo(2);
        assertThat(t.lookup(v4(10, 11, 1, 11), 0)).isEqualTo(3);
        assertThat(t.lookup(v4(10, 11, 1, 10), 0)).isEqualTo(4);
    }

    @Test
    void ipv6UsesAll128Bits() {
        Lpm t = new Lpm(128);
        t.insert(0x2001_0db8_0000_0101L, 0x0001_0000_0000_0000L, 80, 7);
        t.insert(0x2001_0db8_0000_0101L, 0x0001_1234_0000_0000L, 128, 8);
        assertThat(t.lookup(0x2001_0db8_0000_0101L, 0x0001_9999_0000_0001L)).isEqualTo(7);
        assertThat(t.lookup(0x2001_0db8_0000_0101L, 0x0001_1234_0000_0000L)).isEqualTo(8);
        assertThat(t.lookup(0x2001_0db8_0000_0101L, 0x0001_1234_0000_0001L)).isEqualTo(7);
        assertThat(t.lookup(0x2001_0db8_0000_0101L, 0x0002_0000_0000_0000L)).isEqualTo(-1);
    }

    @Test
    void agreesWithALinearScanOnRandomPrefixes() {
        Random r = new Random(42);
        int n = 400;
        long[] keys = new long[n];
        int[] lens = new int[n];
        Lpm t = new Lpm(32);
        for (int i = 0; i < n; i++) {
            lens[i] = r.nextInt(33);
            long mask = lens[i] == 0 ? 0 : (-1L << (64 - lens[i]));
            keys[i] = ((long) r.nextInt() << 32) & mask;
            t.insert(keys[i], 0, lens[i], i);
        }
        for (int q = 0; q < 5000; q++) {
            long key = (long) r.nextInt() << 32;
            int best = -1;
            int bestLen = -1;
            for (int i = 0; i < n; i++) {
                long mask = lens[i] == 0 ? 0 : (-1L << (64 - lens[i]));
                if ((key & mask) == keys[i] && lens[i] >= bestLen) {
                    best = i; // later inserts of the same prefix replace earlier ones
                    bestLen = lens[i];
                }
            }
            assertThat(t.lookup(key, 0)).isEqualTo(best);
        }
    }

    @Test
    void ipv6AgreesWithALinearScanWhateverTheInsertionOrder() {
        Random r = new Random(7);
        int n = 300;
        long[] his = new long[n];
        long[] los = new long[n];
        int[] lens = new int[n];
        Lpm t = new Lpm(128);
        long base = 0x2001_0db8_0000_0000L;
        for (int i = 0; i < n; i++) {
            lens[i] = switch (r.nextInt(5)) {
                case 0 -> 128;
                case 1 -> 64;
                case 2 -> 48 + r.nextInt(40);
                case 3 -> r.nextInt(129);
                default -> 80;
            };
            long hi = base | (r.nextLong() & 0xffff_ffffL);
            long lo = r.nextBoolean() ? 0 : r.nextLong();
            his[i] = hi & mask(lens[i], 0);
            los[i] = lo & mask(lens[i], 64);
            t.insert(his[i], los[i], lens[i], i);
        }
        for (int q = 0; q < 20_000; q++) {
            int near = r.nextInt(n);
            long hi = r.nextInt(4) == 0 ? base | (r.nextLong() & 0xffff_ffffL) : his[near];
            long lo = r.nextBoolean() ? los[near] : los[near] ^ (1L << r.nextInt(64));
            int best = -1;
            int bestLen = -1;
            for (int i = 0; i < n; i++) {
                if ((hi & mask(lens[i], 0)) == his[i] && (lo & mask(lens[i], 64)) == los[i] && lens[i] >= bestLen) {
                    best = i;
                    bestLen = lens[i];
                }
            }
            assertThat(t.lookup(hi, lo)).isEqualTo(best);
        }
    }

    /** The mask of a prefix of {@code len} bits over the 64-bit word that starts at bit {@code from}. */
    private static long mask(int len, int from) {
        int bits = Math.max(0, Math.min(64, len - from));
        return bits == 0 ? 0 : -1L << (64 - bits);
    }
}
