package dev.srv6sh.interpreter.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void studentTQuantilesMatchTables() {
        assertThat(Stats.studentT975(1)).isCloseTo(12.7062, within(1e-3));
        assertThat(Stats.studentT975(4)).isCloseTo(2.7764, within(1e-4));
        assertThat(Stats.studentT975(9)).isCloseTo(2.2622, within(1e-4));
        assertThat(Stats.studentT975(30)).isCloseTo(2.0423, within(1e-4));
        assertThat(Stats.studentT975(1000)).isCloseTo(1.9623, within(1e-4));
    }

    @Test
    void knownSamplesGiveKnownMeanStddevAndCi() {
        double[] xs = {1, 2, 3, 4, 5};
        assertThat(Stats.mean(xs)).isEqualTo(3.0);
        assertThat(Stats.stddev(xs)).isCloseTo(Math.sqrt(2.5), within(1e-12));
        assertThat(Stats.ci95(xs)).isCloseTo(2.7764451 * Math.sqrt(2.5) / Math.sqrt(5), within(1e-6));
    }

    @Test
    void oneSampleHasNoSpread() {
        assertThat(Stats.stddev(new double[] {9.4})).isZero();
        assertThat(Stats.ci95(new double[] {9.4})).isZero();
        assertThat(Stats.mean(new double[] {})).isNaN();
    }
}
