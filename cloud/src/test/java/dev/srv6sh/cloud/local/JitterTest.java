package dev.srv6sh.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The links' jitter: centred, bounded, a function of (seed, link, frame number) and nothing else. */
class JitterTest {
    private static final long ONE_WAY = 4_717_500;

    @Test
    void theNthFrameOfAnyFlowOnALinkGetsTheSameValueUnderTheSameSeed() {
        Jitter a = new Jitter(1, 50_000);
        Jitter again = new Jitter(1, 50_000);
        long link = a.link("pv", "lv");
        assertThat(again.link("pv", "lv")).isEqualTo(link);
        for (int n = 0; n < 100; n++) {
            assertThat(again.of(link, n, ONE_WAY)).isEqualTo(a.of(link, n, ONE_WAY));
        }
    }

    @Test
    void otherLinksSeedsAndFramesGetOtherValues() {
        Jitter a = new Jitter(1, 50_000);
        long link = a.link("pv", "lv");
        assertThat(a.link("lv", "pv")).isNotEqualTo(link);
        assertThat(new Jitter(2, 50_000).link("pv", "lv")).isNotEqualTo(link);
        assertThat(a.of(link, 0, ONE_WAY)).isNotEqualTo(a.of(link, 1, ONE_WAY));
    }

    @Test
    void valuesAreUniformWithinHalfTheWidthEitherWay() {
        Jitter j = new Jitter(1, 50_000);
        long link = j.link("pv", "lv");
        int n = 100_000;
        double sum = 0;
        double squares = 0;
        int[] quarters = new int[4];
        for (int i = 0; i < n; i++) {
            long v = j.of(link, i, ONE_WAY);
            assertThat(v).isBetween(-25_000L, 25_000L);
            sum += v;
            squares += (double) v * v;
            quarters[(int) Math.min(3, (v + 25_000) / 12_500)]++;
        }
        // uniform on ±25 µs: mean 0, standard deviation 50 µs / √12 = 14.43 µs, a quarter in each quarter
        assertThat(Math.abs(sum / n)).isLessThan(300);
        assertThat(Math.sqrt(squares / n)).isBetween(14_200.0, 14_700.0);
        for (int q : quarters) {
            assertThat(q).isBetween(n / 4 - 1_000, n / 4 + 1_000);
        }
    }

    @Test
    void aDelayShorterThanHalfTheWidthNarrowsTheJitterSoNothingArrivesBeforeItLeft() {
        Jitter j = new Jitter(1, 50_000);
        long link = j.link("a", "b");
        for (int i = 0; i < 1_000; i++) {
            assertThat(j.of(link, i, 500)).isBetween(-500L, 500L);
        }
        assertThat(j.of(link, 0, 0)).isZero();
        assertThat(new Jitter(1, 0).of(link, 0, ONE_WAY)).isZero();
    }
}
