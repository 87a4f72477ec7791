package dev.srv6sh.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.Clock;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
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

    @Test
    void aReplayedPacketToANeighborTheRouterResolvedGoesOutAsOnTheRouter() throws Exception {
        MacAddress host = MacAddress.parse("02:00:00:00:00:77");
        try (Engine engine = new Engine("r1", Clock.SYSTEM, MemoryPort.FACTORY)) {
            EngineAgent agent = new EngineAgent(
                    "r1", engine, EngineHost.direct(), EngineAgent.Settings.DEFAULT.withTimer(new ManualTime()));
            try {
                agent.install("setup", AgentConformance.BASE, "base");
                MemoryPort transit = engine.port("transit", MemoryPort.class);
                MemoryPort inside = engine.port("inside", MemoryPort.class);
                List<byte[]> sent = new java.util.ArrayList<>();
                inside.onTransmit((i, seg, off, len) ->
                        sent.add(seg.asSlice(off, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
                // 192.0.2.77 is no static neighbor: the router asks for it, and it answers
                byte[] first = AgentConformance.udp4("198.51.100.2", "192.0.2.77", 64);
                transit.inject(first, 0, first.length);
                engine.poll();
                assertThat(sent).as("the ARP request").hasSize(1);
                sent.clear();
                byte[] reply = arpReply(host, "192.0.2.77", AgentConformance.INSIDE_MAC, "192.0.2.1");
                inside.inject(reply, 0, reply.length);
                engine.poll();
                assertThat(agent.neighbors())
                        .anyMatch(n -> n.address().getHostAddress().equals("192.0.2.77") && host.equals(n.mac()));
                byte[] second = AgentConformance.udp4("198.51.100.2", "192.0.2.77", 80);
                transit.inject(second, 0, second.length);
                engine.poll();
                assertThat(sent).as("both packets, once resolved").hasSize(2);
                sent.clear();

                List<PacketTrace> replayed = agent.trace(1, Duration.ZERO).replayed();
                assertThat(replayed).hasSize(1);
                List<String> nodes = replayed.getFirst().steps().stream()
                        .map(PacketTrace.Step::node)
                        .toList();
                assertThat(nodes)
                        .as("the replayed packet's path: " + replayed.getFirst())
                        .contains("ip4-rewrite", "interface-output")
                        .doesNotContain("ip4-glean");
            } finally {
                agent.close();
            }
        }
    }

    /** An ARP reply from {@code spa} at {@code sha} to {@code tpa} at {@code tha}. */
    private static byte[] arpReply(MacAddress sha, String spa, MacAddress tha, String tpa) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(60);
        b.putLong(tha.value() << 16).position(6);
        b.putLong(sha.value() << 16).position(12);
        b.putShort((short) 0x0806).putShort((short) 1).putShort((short) 0x0800);
        b.put((byte) 6).put((byte) 4).putShort((short) 2);
        b.putLong(sha.value() << 16).position(28);
        b.put(Addresses.parse(spa).getAddress());
        b.putLong(tha.value() << 16).position(38);
        b.put(Addresses.parse(tpa).getAddress());
        return b.array();
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
