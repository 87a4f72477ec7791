package dev.srv6sh.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.srv6sh.cloud.HostHandle.UdpReport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The UDP sink's accounting: loss, reordering, duplicates, RFC 3550 jitter, the TTL of arrivals. */
class UdpSinkTest {

    @Test
    void inOrderWithoutLoss() {
        UdpSink s = new UdpSink(1);
        for (int i = 0; i < 10; i++) {
            s.accept(i, i * 1_000L, i * 1_000L + 500, 1_000, 62);
        }
        UdpReport r = s.report(10, Duration.ofSeconds(1));
        assertThat(r.received()).isEqualTo(10);
        assertThat(r.lost()).isZero();
        assertThat(r.reordered()).isZero();
        assertThat(r.bytes()).isEqualTo(10_000);
        assertThat(r.jitterNanos()).isZero();
        assertThat(r.hopLimit()).isEqualTo(62);
    }

    @Test
    void aSwappedPairIsOneReorderedAndALostOneIsLost() {
        UdpSink s = new UdpSink(1);
        long[] arrivalOrder = {0, 1, 3, 2, 4, 6, 7, 7, 9}; // 3 before 2; 5 and 8 never come; 7 twice
        for (long seq : arrivalOrder) {
            s.accept(seq, seq * 1_000, seq * 1_000 + 100, 100, 64);
        }
        UdpReport r = s.report(10, Duration.ofSeconds(1));
        assertThat(r.received()).isEqualTo(8);
        assertThat(r.duplicates()).isEqualTo(1);
        assertThat(r.reordered()).isEqualTo(1);
        assertThat(r.lost()).isEqualTo(2);
        assertThat(r.bytes()).isEqualTo(800);
    }

    @Test
    void jitterFollowsRfc3550() {
        // transit times 100, 300, 200, 200 ns: |D| = 200, 100, 0
        // J1 = 200/16 = 12.5; J2 = 12.5 + (100 - 12.5)/16 = 17.96875; J3 = 17.96875 - 17.96875/16 = 16.845703125
        UdpSink s = new UdpSink(1);
        long[] transit = {100, 300, 200, 200};
        for (int i = 0; i < transit.length; i++) {
            long sent = i * 10_000L;
            s.accept(i, sent, sent + transit[i], 100, 64);
        }
        assertThat(s.report(4, Duration.ofSeconds(1)).jitterNanos()).isCloseTo(16.845703125, within(1e-9));
        assertThat(s.maxTransit()).isEqualTo(300);
    }

    @Test
    void nothingReceivedIsAllLostAndNoHopLimit() {
        UdpReport r = new UdpSink(1).report(5, Duration.ofSeconds(1));
        assertThat(r.lost()).isEqualTo(5);
        assertThat(r.hopLimit()).isEqualTo(-1);
        assertThat(r.jitterNanos()).isZero();
    }
}
