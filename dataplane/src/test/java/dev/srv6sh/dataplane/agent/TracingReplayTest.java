package dev.srv6sh.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.Clock;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A trace with no packet coming replays the frames the router received last, kept by the agent's tap:
 * up to {@link Tracing#KEPT} of them in each millisecond, so that a busy router does not copy every
 * frame it forwards for a replay it will not need (its trace takes live packets).
 */
class TracingReplayTest {
    @Test
    void aBurstKeepsItsFirstFramesForAReplayAndTheNextMillisecondKeepsMore() throws Exception {
        try (Engine engine = new Engine("r1", Clock.SYSTEM, MemoryPort.FACTORY)) {
            EngineAgent agent = new EngineAgent(
                    "r1", engine, EngineHost.direct(), EngineAgent.Settings.DEFAULT.withTimer(new ManualTime()));
            try {
                agent.install("setup", AgentConformance.BASE, "base");
                MemoryPort in = engine.port("inside", MemoryPort.class);
                long t = 1_700_000_000_000_000_000L; // the frames' receive time, as a port stamps them
                for (int i = 0; i < 100; i++) {
                    inject(in, "192.0.2." + (i + 1), t + i * 1_000L);
                }
                engine.poll(); // 100 frames within a millisecond: the first 64 are kept
                List<PacketTrace> replayed =
                        agent.trace(Tracing.KEPT, Duration.ZERO).replayed();
                assertThat(replayed).hasSize(Tracing.KEPT);
                assertThat(source(replayed.getFirst())).isEqualTo("192.0.2.1");
                assertThat(source(replayed.getLast())).isEqualTo("192.0.2.64");

                inject(in, "192.0.2.200", t + Tracing.KEEP_WINDOW_NANOS + 1);
                engine.poll(); // the next millisecond: kept again
                replayed = agent.trace(Tracing.KEPT, Duration.ZERO).replayed();
                assertThat(replayed).hasSize(Tracing.KEPT);
                assertThat(source(replayed.getFirst())).isEqualTo("192.0.2.2");
                assertThat(source(replayed.getLast())).isEqualTo("192.0.2.200");
            } finally {
                agent.close();
            }
        }
    }

    private static void inject(MemoryPort in, String source, long time) {
        byte[] f = AgentConformance.udp4(source, "203.0.113.5", 64);
        in.inject(f, 0, f.length, time);
    }

    /** The IPv4 source ip4-input saw. */
    private static String source(PacketTrace t) {
        String text = t.steps().stream()
                .filter(s -> s.node().equals("ip4-input"))
                .findFirst()
                .orElseThrow()
                .text();
        return text.substring(0, text.indexOf(' '));
    }
}
