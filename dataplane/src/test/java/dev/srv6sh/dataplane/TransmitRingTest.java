package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A port that holds what it transmits (as a NIC's TX ring): the sink sees nothing during the poll,
 * every frame at the drain, in order, and the buffers stay in use until then.
 */
class TransmitRingTest {
    @Test
    void aHoldingPortHandsItsFramesOverOnlyWhenDrainedInTheOrderTransmitted() throws Exception {
        try (Harness h = new Harness(Harness.config(List.of(), List.of(), List.of()))) {
            MemoryPort out = h.engine.port("out", MemoryPort.class);
            out.holdTransmitted(true);
            for (int ttl = 10; ttl < 13; ttl++) {
                h.engine
                        .port("in", MemoryPort.class)
                        .inject(Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, EngineTest.udp4("100.64.0.9", ttl)));
            }
            h.engine.poll();
            assertThat(h.out).isEmpty();
            assertThat(h.engine.buffersInUse()).isEqualTo(3);
            assertThat(h.engine.counters().port("out").txPackets()).isEqualTo(3); // sent, as far as the graph knows
            assertThat(out.drainTransmitted()).isEqualTo(3);
            assertThat(h.out).extracting(f -> f[14 + 8] & 0xff).containsExactly(9, 10, 11); // TTL - 1, in order
            assertThat(h.engine.buffersInUse()).isZero();
            assertThat(out.drainTransmitted()).isZero();
            // off again: frames leave during the poll, as before
            out.holdTransmitted(false);
            h.send(EngineTest.udp4("100.64.0.9", 20));
            assertThat(h.out).hasSize(4);
        }
    }

    @Test
    void turningTheRingOffSendsWhatItHeld() throws Exception {
        try (Harness h = new Harness(Harness.config(List.of(), List.of(), List.of()))) {
            MemoryPort out = h.engine.port("out", MemoryPort.class);
            out.holdTransmitted(true);
            h.send(EngineTest.udp4("100.64.0.9", 10));
            assertThat(h.out).isEmpty();
            out.holdTransmitted(false);
            assertThat(h.out).hasSize(1);
        }
    }
}
