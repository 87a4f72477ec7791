package dev.srv6sh.cloud.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The shaper in virtual time: what passes is min(offered, rate), in order, and the tail is dropped. */
class TokenBucketTest {
    private static final int FRAME = 1_250; // 10,000 bits

    /** Offers {@code offeredBps} of FRAME-byte frames for one virtual second; returns the departures. */
    private static long[] offer(TokenBucket b, long offeredBps) {
        long gap = Math.round(FRAME * 8e9 / offeredBps);
        int n = (int) (1_000_000_000L / gap);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = b.admit(i * gap, FRAME);
        }
        return out;
    }

    @Test
    void belowTheRateNothingWaitsOrIsDropped() {
        TokenBucket b = new TokenBucket(10_000_000, 20_000, 50_000);
        long[] d = offer(b, 5_000_000);
        assertThat(b.dropped()).isZero();
        long gap = Math.round(FRAME * 8e9 / 5_000_000);
        for (int i = 0; i < d.length; i++) {
            assertThat(d[i]).isEqualTo(i * gap);
        }
    }

    @Test
    void aboveTheRateWhatPassesIsTheRateAndTheTailIsDropped() {
        TokenBucket b = new TokenBucket(10_000_000, 20_000, 50_000);
        long[] d = offer(b, 20_000_000);
        long passedBits = b.passed() * FRAME * 8L;
        long last = 0;
        for (long t : d) {
            if (t >= 0) {
                assertThat(t).isGreaterThanOrEqualTo(last);
                last = t;
            }
        }
        // over the second the shaper was busy: the rate, give or take the burst and the queue
        double rate = passedBits / (last / 1e9);
        assertThat(rate).isBetween(9_700_000.0, 10_300_000.0);
        assertThat(b.dropped()).isBetween(900L, 1_000L);
        assertThat(b.passed() + b.dropped()).isEqualTo(d.length);
    }

    @Test
    void theQueueBoundsTheWait() {
        TokenBucket b = new TokenBucket(10_000_000, 2_500, 12_500); // queue: 10 ms at 10 Mbit/s
        for (int i = 0; i < 100; i++) {
            long t = b.admit(0, FRAME);
            if (t >= 0) {
                assertThat(t).isLessThanOrEqualTo(10_000_000L);
            }
        }
        assertThat(b.passed()).isBetween(11L, 13L);
    }

    @Test
    void aBucketWithoutARateShapesNothing() {
        TokenBucket b = new TokenBucket(0, 0, 0);
        assertThat(b.admit(42, 9_000)).isEqualTo(42);
        assertThat(b.dropped()).isZero();
    }
}
