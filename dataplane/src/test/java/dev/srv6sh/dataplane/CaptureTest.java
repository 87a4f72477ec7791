package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.Capture.Direction;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Capture on an interface or all of them: what is received, transmitted and dropped, and why. */
class CaptureTest {
    static final long T = 1_700_000_000_000_000_123L;

    /** A captured frame, copied out of the engine. */
    record Seen(Direction direction, String iface, long time, String reason, boolean ethernet, byte[] bytes) {}

    static Capture.Sink into(List<Seen> seen) {
        return f ->
                seen.add(new Seen(f.direction(), f.iface(), f.timeNanos(), f.dropReason(), f.ethernet(), f.bytes()));
    }

    static DataplaneConfig encaps() {
        return Harness.config(
                List.of(),
                List.of(Harness.policy("p", PolicyMode.ENCAP, "a4::", "a5::", "a6::c7")),
                List.of(new DataplaneConfig.Steer(0, Prefix.parse("a7::/64"), "p")));
    }

    static void inject(Harness h, byte[] frame, long time) {
        h.engine.port("in", MemoryPort.class).inject(frame, 0, frame.length, time);
        h.engine.poll();
    }

    @Test
    void rxAndTxOfAnEncapsulatedPacketKeepTheReceiveTime() throws Exception {
        try (Harness h = new Harness(encaps())) {
            List<Seen> seen = new ArrayList<>();
            h.engine.capture(null, EnumSet.allOf(Direction.class), into(seen));
            byte[] frame = Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, Vectors.get("V5_HEncaps_in"));
            inject(h, frame, T);
            assertThat(seen).extracting(Seen::direction).containsExactly(Direction.RX, Direction.TX);
            Seen rx = seen.get(0);
            assertThat(rx.iface()).isEqualTo("in");
            assertThat(rx.bytes()).isEqualTo(frame);
            assertThat(rx.time()).isEqualTo(T);
            assertThat(rx.ethernet()).isTrue();
            Seen tx = seen.get(1);
            assertThat(tx.iface()).isEqualTo("out");
            assertThat(tx.time()).as("the time of the frame that caused it").isEqualTo(T);
            assertThat(tx.bytes()).isEqualTo(h.out.getFirst()).hasSize(14 + 152);
            assertThat(tx.reason()).isNull();
            h.assertBalanced();
        }
    }

    @Test
    void transmittedFramesCanBeTurnedOffAndOnAgain() throws Exception {
        try (Harness h = new Harness(encaps())) {
            List<Seen> seen = new ArrayList<>();
            Capture c = h.engine.capture(null, EnumSet.of(Direction.RX, Direction.TX), into(seen));
            byte[] frame = Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, Vectors.get("V5_HEncaps_in"));
            c.transmitted(false);
            inject(h, frame, T);
            assertThat(seen).extracting(Seen::direction).containsExactly(Direction.RX);
            c.transmitted(true);
            inject(h, frame, T + 1);
            assertThat(seen).extracting(Seen::direction).containsExactly(Direction.RX, Direction.RX, Direction.TX);
            assertThat(h.out).hasSize(2);
            h.assertBalanced();
        }
    }

    @Test
    void dropsCarryTheirReasonAndSayWhetherTheyAreWholeFrames() throws Exception {
        try (Harness h = new Harness(IcmpErrorTest.router())) {
            List<Seen> seen = new ArrayList<>();
            h.engine.capture("in", EnumSet.of(Direction.DROP), into(seen));
            byte[] strange =
                    Harness.frame(MacAddress.parse("02:00:00:00:00:55"), Harness.SENDER_MAC, Vectors.get("V1_End_in"));
            inject(h, strange, T);
            byte[] v7 = Vectors.get("V7_SLgtLE1_in");
            inject(h, Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, v7), T + 1);
            assertThat(seen).hasSize(2);
            Seen l2 = seen.get(0);
            assertThat(l2.direction()).isEqualTo(Direction.DROP);
            assertThat(l2.reason()).isEqualTo("ethernet-input: destination MAC is not this interface's");
            assertThat(l2.ethernet()).isTrue();
            assertThat(l2.bytes()).isEqualTo(strange);
            Seen l3 = seen.get(1);
            assertThat(l3.reason()).isEqualTo("end: SRH segments left or last entry out of range");
            assertThat(l3.ethernet())
                    .as("end drops the IPv6 packet, not the frame")
                    .isFalse();
            assertThat(l3.bytes()).isEqualTo(v7);
            assertThat(l3.time()).isEqualTo(T + 1);
            assertThat(l3.iface()).isEqualTo("in");
            h.assertBalanced();
        }
    }

    @Test
    void theRouterOwnErrorsAreCapturedOnTransmitWithTheOffendersTime() throws Exception {
        try (Harness h = new Harness(IcmpErrorTest.router())) {
            List<Seen> seen = new ArrayList<>();
            h.engine.capture(null, EnumSet.of(Direction.TX), into(seen));
            inject(h, Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, Vectors.get("V7_SLgtLE1_in")), T);
            assertThat(seen).hasSize(1);
            assertThat(seen.getFirst().bytes()[14 + 40])
                    .as("ICMPv6 Parameter Problem")
                    .isEqualTo((byte) 4);
            assertThat(seen.getFirst().time()).isEqualTo(T);
            h.assertBalanced();
        }
    }

    @Test
    void anInterfaceFilterAndStop() throws Exception {
        try (Harness h = new Harness(encaps())) {
            List<Seen> onOut = new ArrayList<>();
            List<Seen> all = new ArrayList<>();
            h.engine.capture("out", EnumSet.of(Direction.RX, Direction.TX), into(onOut));
            Capture c = h.engine.capture(null, EnumSet.of(Direction.RX), into(all));
            byte[] frame = Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, Vectors.get("V5_HEncaps_in"));
            inject(h, frame, T);
            assertThat(onOut)
                    .extracting(Seen::direction, Seen::iface)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(Direction.TX, "out"));
            assertThat(all).extracting(Seen::direction).containsExactly(Direction.RX);
            c.stop();
            c.stop();
            inject(h, frame, T + 1);
            assertThat(all).hasSize(1);
            assertThat(onOut).hasSize(2);
            assertThat(h.engine.captures()).hasSize(1);
            h.assertBalanced();
        }
    }

    @Test
    void offMeansNoCaptureState() throws Exception {
        try (Harness h = new Harness(encaps())) {
            List<Seen> seen = new ArrayList<>();
            Capture c = h.engine.capture(null, EnumSet.allOf(Direction.class), into(seen));
            c.stop();
            assertThat(h.engine.captures())
                    .as("the graph's per-vector check sees null")
                    .isNull();
            inject(h, Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, Vectors.get("V5_HEncaps_in")), T);
            assertThat(seen).isEmpty();
            assertThat(h.out).hasSize(1);
        }
    }

    @Test
    void anUnknownInterfaceIsAClearError() throws Exception {
        try (Harness h = new Harness(encaps())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> h.engine.capture("eth9", EnumSet.of(Direction.RX), f -> {}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("router test has no interface 'eth9'");
            assertThat(Arrays.asList(Direction.values())).hasSize(3);
        }
    }
}
