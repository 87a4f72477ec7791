package dev.srv6sh.dataplane.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The benchmark cases measure what they say: every packet of every case is forwarded (a case that
 * dropped would measure error-drop), nothing leaks, and a short measurement yields sane figures
 * without allocating per packet.
 */
class WorkloadTest {
    static java.util.List<String> names() {
        return Workload.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void everyPacketOfEveryCaseIsForwarded(String name) {
        for (int size : new int[] {Workload.SMALL, Workload.LARGE}) {
            Workload w = Workload.of(name, size);
            try (PacketBench b = new PacketBench(w, 256)) {
                for (int i = 0; i < 20; i++) {
                    assertThat(b.step()).as(name + " at " + size + " bytes").isEqualTo(256);
                }
                assertThat(b.buffersInUse()).isZero();
            }
        }
    }

    @Test
    void largePacketsAreAboutFifteenHundredBytesOfIp() {
        assertThat(Workload.of("ip6-forward", Workload.LARGE).frameBytes()).isEqualTo(14 + 1500);
        assertThat(Workload.of("End", Workload.LARGE).frameBytes()).isEqualTo(14 + 1500);
        assertThat(Workload.of("ip4-forward", Workload.SMALL).frameBytes()).isEqualTo(14 + 64);
        assertThat(Workload.of("H.Encaps", Workload.SMALL).frameBytes()).isEqualTo(14 + 64);
    }

    @Test
    void aMeasurementCountsPacketsAndTime() {
        try (PacketBench b = new PacketBench(Workload.of("End.DX4", Workload.SMALL), 32)) {
            PacketBench.Result r = b.measure(50_000_000L, 50_000_000L);
            assertThat(r.packets()).isPositive().isEqualTo(r.packets() / 32 * 32);
            assertThat(r.mpps()).isPositive();
            assertThat(r.nsPerPacket()).isPositive();
            assertThat(r.vector()).isEqualTo(32);
        }
    }

    @Test
    void unknownCasesAndVectorSizesAreRefusedWithTheChoices() {
        assertThatThrownBy(() -> Workload.of("End.DX9", 64)).hasMessageContaining("End.DX4");
        assertThatThrownBy(() -> new PacketBench(Workload.of("End", 64), 300)).hasMessageContaining("1 to 256");
    }
}
