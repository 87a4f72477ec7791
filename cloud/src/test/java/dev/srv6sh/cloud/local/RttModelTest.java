package dev.srv6sh.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RttModelTest {
    @Test
    void measuredPairsComeFromTheTableInEitherOrder() {
        assertThat(RttModel.rtt("eu-west-3", "eu-west-2")).isEqualTo(Duration.ofNanos(9_435_000));
        assertThat(RttModel.rtt("eu-west-2", "eu-west-3")).isEqualTo(Duration.ofNanos(9_435_000));
        assertThat(RttModel.rtt("eu-west-3", "ap-southeast-2")).isEqualTo(Duration.ofNanos(275_802_000));
    }

    @Test
    void otherPairsFollowTheGreatCircleModel() {
        double km = RttModel.greatCircleKm(new double[] {35.68, 139.69}, new double[] {-33.87, 151.21});
        assertThat(km).isCloseTo(7820, within(80.0)); // Tokyo–Sydney
        long ms = RttModel.rtt("ap-northeast-1", "ap-southeast-2").toMillis();
        assertThat(ms).isBetween(120L, 140L);
    }

    @Test
    void unknownSitesAndOverridesAreHonoured() {
        assertThat(RttModel.rtt(null, "eu-west-3")).isEqualTo(RttModel.UNKNOWN);
        Internet net = new Internet(null, Map.of("a", "eu-west-3", "b", "eu-west-2"), LinkModel.AWS);
        assertThat(net.rtt("a", "b")).isEqualTo(Duration.ofNanos(9_435_000));
        net.override("b", "a", Duration.ofMillis(42));
        assertThat(net.rtt("a", "b")).isEqualTo(Duration.ofMillis(42));
        assertThat(net.rtt("a", "a")).isEqualTo(RttModel.SAME_REGION);
    }
}
