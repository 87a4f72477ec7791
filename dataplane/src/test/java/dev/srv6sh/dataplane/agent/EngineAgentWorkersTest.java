package dev.srv6sh.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.Clock;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.dataplane.port.PortException;
import dev.srv6sh.dataplane.port.PortFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An agent over a router of several workers, in memory (AgentConformance runs every check over two
 * workers too): a commit a later worker refuses leaves every worker on what it ran, a trace takes its
 * packets from every worker, and the neighbor tables merge into one.
 */
class EngineAgentWorkersTest {
    /** Worker 1's ports: a device named {@code flaky} cannot be opened there (it opens on worker 0). */
    static PortFactory refusing() {
        return (iface, pool) -> {
            if (iface.name().equals("flaky")) {
                throw new PortException("flaky", "no such device on worker 1");
            }
            return MemoryPort.FACTORY.open(iface, pool);
        };
    }

    static DataplaneConfig withFlaky(DataplaneConfig c) {
        List<DataplaneConfig.Interface> ifaces = new ArrayList<>(c.interfaces());
        ifaces.add(new DataplaneConfig.Interface(
                "flaky", MacAddress.parse("02:00:00:00:01:55"), List.of(Prefix.parse("203.0.113.1/24")), 1500));
        return new DataplaneConfig(
                c.router(),
                ifaces,
                c.routes(),
                c.neighbors(),
                c.sids(),
                c.policies(),
                c.steering(),
                c.encap(),
                c.srDomain());
    }

    @Test
    void aCommitALaterWorkerRefusesLeavesEveryWorkerOnWhatItRan() throws Exception {
        try (Engine w0 = new Engine("r1", Clock.SYSTEM, MemoryPort.FACTORY);
                Engine w1 = new Engine("r1", Clock.SYSTEM, refusing())) {
            EngineAgent agent = new EngineAgent(
                    "r1",
                    List.of(
                            new EngineAgent.Worker(w0, EngineHost.direct()),
                            new EngineAgent.Worker(w1, EngineHost.direct())),
                    EngineAgent.Settings.DEFAULT);
            assertThat(agent.workers()).isEqualTo(2);
            assertThatThrownBy(() -> agent.install("alice", withFlaky(AgentConformance.BASE), "first"))
                    .isInstanceOf(AgentException.class)
                    .hasMessageContaining("router r1 (worker 1 of 2) refused the configuration")
                    .hasMessageContaining("flaky")
                    .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(AgentException.INVALID));
            assertThat(w0.config().interfaces())
                    .as("worker 0 took the first commit, and gave it back")
                    .isEmpty();
            assertThat(agent.running().generation()).isZero();

            assertThat(agent.install("alice", AgentConformance.BASE, "base")).isNotNull();
            assertThat(w0.config()).isEqualTo(AgentConformance.BASE);
            assertThat(w1.config()).isEqualTo(AgentConformance.BASE);
            assertThatThrownBy(() -> agent.install("alice", withFlaky(AgentConformance.BASE), "flaky"))
                    .isInstanceOf(AgentException.class)
                    .hasMessageContaining("worker 1 of 2");
            assertThat(w0.config()).as("worker 0 back on the base").isEqualTo(AgentConformance.BASE);
            assertThat(w1.config()).isEqualTo(AgentConformance.BASE);
            assertThat(agent.running().generation()).isEqualTo(1);
            agent.close();
        }
    }

    @Test
    void aWorkerThatCannotGoBackIsSaidAndNotCalledInForce() throws Exception {
        try (Engine w0 = new Engine("r1", Clock.SYSTEM, MemoryPort.FACTORY);
                Engine w1 = new Engine("r1", Clock.SYSTEM, refusing())) {
            EngineHost direct = EngineHost.direct();
            java.util.concurrent.atomic.AtomicInteger allowed = new java.util.concurrent.atomic.AtomicInteger(1 << 30);
            // worker 0's thread answers as many calls as allowed, then has stopped
            EngineHost stopping = new EngineHost() {
                @Override
                public <T> T call(java.util.concurrent.Callable<T> task) throws Exception {
                    if (allowed.getAndDecrement() <= 0) {
                        throw new IllegalStateException("the data plane stopped");
                    }
                    return direct.call(task);
                }
            };
            EngineAgent agent = new EngineAgent(
                    "r1",
                    List.of(new EngineAgent.Worker(w0, stopping), new EngineAgent.Worker(w1, EngineHost.direct())),
                    EngineAgent.Settings.DEFAULT);
            assertThat(agent.install("alice", AgentConformance.BASE, "base")).isNotNull();
            allowed.set(1); // it takes the next commit, and stops before it can be sent back
            assertThatThrownBy(() -> agent.install("alice", withFlaky(AgentConformance.BASE), "flaky"))
                    .isInstanceOf(AgentException.class)
                    .hasMessageContaining("router r1 (worker 1 of 2) refused the configuration")
                    .hasMessageContaining("and worker 0 could not go back to the running configuration")
                    .hasMessageContaining("the workers run different configurations, restart the router")
                    .hasMessageNotContaining("stays in force")
                    .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(AgentException.INTERNAL));
            allowed.set(1 << 30);
            agent.close();
        }
    }

    @Test
    void aTraceArmsEveryWorkerAndCountersSumThem() throws Exception {
        try (EngineFixture f = new EngineFixture(null, 2)) {
            f.engineAgent().install("alice", AgentConformance.BASE, "base");
            RouterAgent a = f.agent();
            CompletableFuture<Traces> t = CompletableFuture.supplyAsync(() -> {
                try {
                    return a.trace(4, Duration.ofSeconds(30));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            int sent = 0;
            for (; sent < 3000 && !t.isDone(); sent++) {
                // one worker after the other: both are armed, and each traces what it takes
                f.send("inside", AgentConformance.udp4("192.0.2.10", "203.0.113." + (sent % 200 + 1), 64));
                Thread.sleep(5);
            }
            Traces traces = t.get(30, TimeUnit.SECONDS);
            assertThat(traces.live()).hasSize(4);
            assertThat(traces.live()).extracting(PacketTrace::number).containsExactly(1, 2, 3, 4);
            assertThat(traces.live())
                    .allSatisfy(p -> assertThat(p.rxInterface()).isEqualTo("inside"));
            Counters sum = a.counters();
            Counters w0 = f.engineAgent().counters(0);
            Counters w1 = f.engineAgent().counters(1);
            assertThat(w0.port("inside").rxPackets()).isPositive();
            assertThat(w1.port("inside").rxPackets()).isPositive();
            assertThat(sum.port("inside").rxPackets())
                    .isEqualTo(w0.port("inside").rxPackets() + w1.port("inside").rxPackets())
                    .isEqualTo(sent);
            assertThat(sum.port("transit").txPackets()).isEqualTo(sent);
            assertThat(sum.node("ip4-lookup").packets())
                    .isEqualTo(w0.node("ip4-lookup").packets()
                            + w1.node("ip4-lookup").packets());
            assertThat(sum.balanced()).isTrue();
        }
    }

    static NeighborEntry entry(
            String address, String mac, String iface, NeighborEntry.State state, int ageMs, int held) {
        return new NeighborEntry(
                Addresses.parse(address),
                mac == null ? null : MacAddress.parse(mac),
                iface,
                state,
                Duration.ofMillis(ageMs),
                held);
    }

    @Test
    void theNeighborTablesMergeIntoTheMostSettledEntries() {
        String mac = "02:00:00:00:00:0b";
        List<NeighborEntry> w0 = List.of(
                entry("198.51.100.2", null, "transit", NeighborEntry.State.INCOMPLETE, 10, 3),
                entry("2001:db8:1::2", mac, "transit", NeighborEntry.State.STALE, 900, 0),
                entry("192.0.2.10", mac, "inside", NeighborEntry.State.PERMANENT, 5000, 0));
        List<NeighborEntry> w1 = List.of(
                entry("198.51.100.2", mac, "transit", NeighborEntry.State.REACHABLE, 20, 0),
                entry("2001:db8:1::2", mac, "transit", NeighborEntry.State.STALE, 100, 2),
                entry("198.51.100.7", mac, "transit", NeighborEntry.State.FAILED, 1, 0));
        List<NeighborEntry> merged = EngineAgent.mergeNeighbors(List.of(w0, w1), List.of("inside", "transit"));
        assertThat(merged)
                .containsExactly(
                        entry("192.0.2.10", mac, "inside", NeighborEntry.State.PERMANENT, 5000, 0),
                        entry("198.51.100.2", mac, "transit", NeighborEntry.State.REACHABLE, 20, 3),
                        entry("198.51.100.7", mac, "transit", NeighborEntry.State.FAILED, 1, 0),
                        entry("2001:db8:1::2", mac, "transit", NeighborEntry.State.STALE, 100, 2));
    }
}
