package dev.srv6sh.shell.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.agent.AgentConformance;
import dev.srv6sh.dataplane.agent.AgentException;
import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router daemon with several workers ({@code srv6sh router --workers N}): N engines, each on a
 * polling thread of its own, one router to its agent; a device only one worker can serve is refused
 * with a clear reason. AfPacketWorkersTest runs two workers on real devices.
 */
class RouterDaemonWorkersTest {
    @TempDir
    Path dir;

    @Test
    void twoWorkersAreOneRouterToTheAgent() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (RouterDaemon d = new RouterDaemon(
                "r1",
                AgentConformance.BASE,
                dir.resolve("history"),
                "a test",
                new PrintStream(log, true, StandardCharsets.UTF_8),
                () -> {},
                2,
                List.of(Runtime.getRuntime().availableProcessors() - 1))) {
            assertThat(d.workers()).isEqualTo(2);
            assertThat(d.agent().workers()).isEqualTo(2);
            assertThat(Thread.getAllStackTraces().keySet())
                    .extracting(Thread::getName)
                    .contains("router-r1-0", "router-r1-1");
            String s = d.agent().openSession("alice");
            d.agent()
                    .edit(
                            s,
                            AgentConformance.withSid(
                                    AgentConformance.BASE, AgentConformance.dx4("dx4", "2001:db8:9::4")));
            d.agent().commit(s, "a SID on both workers", null);
            assertThat(d.agent().fib()).anySatisfy(e -> assertThat(e.result()).contains("End.DX4"));
            Counters sum = d.agent().counters();
            assertThat(sum.sids()).hasSize(1);
            assertThat(sum.ports()).extracting(Counters.PortStats::iface).containsExactly("inside", "transit");
            assertThat(d.failure()).isNull();
        }
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("2 data plane threads")
                .contains("on CPU " + (Runtime.getRuntime().availableProcessors() - 1)) // --cpus: both on the last
                .contains("commit 2 by alice");
    }

    @Test
    void oneWorkerIsTheRouterAsItWas() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (RouterDaemon d = new RouterDaemon(
                "r2",
                AgentConformance.BASE,
                dir.resolve("history"),
                "a test",
                new PrintStream(log, true, StandardCharsets.UTF_8),
                () -> {})) {
            assertThat(d.workers()).isEqualTo(1);
            assertThat(Thread.getAllStackTraces().keySet())
                    .extracting(Thread::getName)
                    .contains("router-r2")
                    .doesNotContain("router-r2-0");
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("data plane thread at ");
    }

    @Test
    void aDeviceOnlyOneWorkerCanServeIsRefusedSayingWhy() {
        DataplaneConfig udp = new DataplaneConfig(
                "r3",
                List.of(new DataplaneConfig.Interface(
                        "transit",
                        MacAddress.parse("02:00:00:00:01:02"),
                        List.of(Prefix.parse("203.0.113.1/24")),
                        1400,
                        "udp",
                        "127.0.0.1:40001->127.0.0.1:40002")),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                null);
        assertThatThrownBy(() -> new RouterDaemon(
                                "r3",
                                udp,
                                dir.resolve("history3"),
                                "a test",
                                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                                () -> {},
                                2,
                                List.of())
                        .close())
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("interface transit")
                .hasMessageContaining("a udp device serves one (--workers 1)");
    }
}
