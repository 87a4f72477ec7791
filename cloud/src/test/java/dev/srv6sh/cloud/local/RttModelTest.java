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
    void everyPairOfTheSixteenMeasuredRegionsIsMeasured() {
        assertThat(RttModel.measuredRegions()).hasSize(16).contains("sa-east-1", "ap-southeast-2", "eu-north-1");
        // Tokyo–Sydney was 120-140 ms under the old great-circle model; measured, it is 106.454 ms
        assertThat(RttModel.rtt("ap-northeast-1", "ap-southeast-2")).isEqualTo(Duration.ofNanos(106_454_000));
        assertThat(RttModel.rtt("sa-east-1", "ap-southeast-1")).isEqualTo(Duration.ofNanos(340_949_000));
    }

    @Test
    void aRegionOutsideTheTableIsAnchoredToItsNearestMeasuredOne() {
        double km = RttModel.greatCircleKm(new double[] {35.68, 139.69}, new double[] {-33.87, 151.21});
        assertThat(km).isCloseTo(7820, within(80.0)); // Tokyo–Sydney
        assertThat(RttModel.anchor("ap-northeast-3")).isEqualTo("ap-northeast-1"); // Osaka → Tokyo
        assertThat(RttModel.anchor("eu-south-1")).isEqualTo("eu-central-1"); // Milan → Frankfurt
        // Osaka–Sydney: Tokyo–Sydney plus Osaka–Tokyo's ~400 km
        double ms = RttModel.rtt("ap-northeast-3", "ap-southeast-2").toNanos() / 1e6;
        assertThat(ms).isCloseTo(106.454 + 0.015 * 400, within(1.5));
        // Osaka–Tokyo share the anchor: the floor plus the distance, about 8 ms
        assertThat(RttModel.rtt("ap-northeast-3", "ap-northeast-1").toNanos() / 1e6)
                .isBetween(6.0, 10.0);
        assertThat(RttModel.rtt("ap-northeast-3", "eu-south-1"))
                .isEqualTo(RttModel.rtt("eu-south-1", "ap-northeast-3"));
        assertThat(RttModel.rtt("xx-nowhere-1", "eu-west-3")).isEqualTo(RttModel.UNKNOWN);
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
