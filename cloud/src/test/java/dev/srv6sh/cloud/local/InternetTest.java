package dev.srv6sh.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.cloud.Deployment.VpcInfo;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.Inet4Address;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The inter-region link model: RTT/2 plus bounded, centred jitter, in order unless told to reorder; flows. */
class InternetTest {
    private static final long ONE_WAY = 4_717_500; // Paris-London, 9.435 ms / 2

    private static Internet internet(EventLoop loop, LinkModel model) {
        Internet net = new Internet(loop, Map.of(), model);
        for (int i = 0; i < 2; i++) {
            VpcInfo info = new VpcInfo(
                    "v" + i,
                    "r" + i,
                    Prefix.parse("10." + i + ".0.0/16"),
                    Prefix.parse("2001:db8:0:" + (i + 1) + "00::/56"),
                    Prefix.parse("10." + i + ".1.0/24"),
                    Prefix.parse("2001:db8:0:" + (i + 1) + "01::/64"));
            net.add(new VpcFabric(info, "r" + i, MacAddress.local(i + 1), loop, net));
        }
        return net;
    }

    @Test
    void delayIsHalfTheRttWithinHalfTheJitterEitherWay() {
        try (EventLoop loop = new EventLoop()) {
            Internet net = internet(loop, LinkModel.AWS);
            long half = LinkModel.AWS.jitterNanos() / 2;
            long minExtra = Long.MAX_VALUE;
            long maxExtra = Long.MIN_VALUE;
            long sum = 0;
            for (int i = 0; i < 10_000; i++) {
                long departure = i * 100_000L; // further apart than the jitter: order never holds one back
                long extra = net.arrival(0, 1, departure, ONE_WAY, i) - departure - ONE_WAY;
                minExtra = Math.min(minExtra, extra);
                maxExtra = Math.max(maxExtra, extra);
                sum += extra;
            }
            assertThat(minExtra).isBetween(-half, -half + 100);
            assertThat(maxExtra).isBetween(half - 100, half);
            // centred: the link's mean delay is the RTT table's figure, an average
            assertThat(Math.abs(sum / 10_000.0)).isLessThan(500);
        }
    }

    @Test
    void framesOfOneLinkKeepTheirOrder() {
        try (EventLoop loop = new EventLoop()) {
            Internet net = internet(loop, LinkModel.AWS);
            long half = LinkModel.AWS.jitterNanos() / 2;
            long last = Long.MIN_VALUE;
            for (int i = 0; i < 10_000; i++) {
                long departure = i * 1_000L; // 1 µs apart: closer than the jitter, so order matters
                long at = net.arrival(0, 1, departure, ONE_WAY, i);
                assertThat(at).isGreaterThanOrEqualTo(last);
                // waiting behind the frame ahead keeps a frame within its own bound
                assertThat(at - departure - ONE_WAY).isBetween(-half, half);
                last = at;
            }
        }
    }

    @Test
    void withReorderingAllowedJitterCanSwapFrames() {
        try (EventLoop loop = new EventLoop()) {
            Internet net = internet(loop, LinkModel.AWS.withJitter(1_000_000, true));
            long last = Long.MIN_VALUE;
            int swapped = 0;
            for (int i = 0; i < 1_000; i++) {
                long departure = i * 10_000L;
                long at = net.arrival(0, 1, departure, ONE_WAY, i);
                assertThat(at - departure - ONE_WAY).isBetween(-500_000L, 500_000L);
                if (at < last) {
                    swapped++;
                }
                last = Math.max(last, at);
            }
            assertThat(swapped).isGreaterThan(100);
        }
    }

    @Test
    void aFlowIsItsFiveTuple() throws Exception {
        Inet4Address a = (Inet4Address) Addresses.parse("198.51.100.1");
        Inet4Address b = (Inet4Address) Addresses.parse("198.51.100.2");
        MacAddress m = MacAddress.local(1);
        byte[] one = UdpFrames.datagram(m, m, a, b, 50_000, 5201, 100, 1, 7, 0);
        byte[] sameFlow = UdpFrames.datagram(m, m, a, b, 50_000, 5201, 1400, 2, 7, 99);
        byte[] otherPort = UdpFrames.datagram(m, m, a, b, 50_001, 5201, 100, 1, 7, 0);
        assertThat(Internet.flowKey(one)).isEqualTo(Internet.flowKey(sameFlow));
        assertThat(Internet.flowKey(one)).isNotEqualTo(Internet.flowKey(otherPort));
    }
}
