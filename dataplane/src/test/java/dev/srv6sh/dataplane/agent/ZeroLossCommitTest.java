package dev.srv6sh.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.Clock;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A commit swaps the configuration between two vectors: with one thread pushing frames through the
 * engine all the time (its poller, as the router daemon has) and another committing two
 * configurations in turn, every frame sent comes out and nothing is counted as dropped.
 */
class ZeroLossCommitTest {
    /** The poller: runs the host's tasks between its polls, and injects a burst before each poll. */
    private static final class Poller implements EngineHost, Runnable {
        final Engine engine = new Engine("r1", Clock.SYSTEM, MemoryPort.FACTORY);
        final ConcurrentLinkedQueue<FutureTask<?>> tasks = new ConcurrentLinkedQueue<>();
        final AtomicBoolean pushing = new AtomicBoolean();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong sent = new AtomicLong();
        final byte[] frame = AgentConformance.udp4("192.0.2.10", "203.0.113.5", 100);
        volatile Thread thread;

        @Override
        public <T> T call(Callable<T> task) throws Exception {
            if (Thread.currentThread() == thread || thread == null) {
                return task.call();
            }
            FutureTask<T> f = new FutureTask<>(task);
            tasks.add(f);
            try {
                return f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof Exception x ? x : new RuntimeException(e.getCause());
            }
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            while (!stop.get()) {
                FutureTask<?> t;
                while ((t = tasks.poll()) != null) {
                    t.run();
                }
                if (pushing.get()) {
                    MemoryPort in = engine.port("inside", MemoryPort.class);
                    for (int i = 0; i < 32; i++) {
                        in.inject(frame);
                    }
                    sent.addAndGet(32);
                }
                engine.poll();
            }
            FutureTask<?> t;
            while ((t = tasks.poll()) != null) {
                t.run();
            }
        }
    }

    private static DataplaneConfig via(String nextHop) {
        DataplaneConfig b = AgentConformance.BASE;
        List<DataplaneConfig.Route> routes = new ArrayList<>(b.routes());
        routes.add(new DataplaneConfig.Route(0, Prefix.parse("203.0.113.0/24"), Addresses.parse(nextHop), null));
        List<DataplaneConfig.Neighbor> neighbors = new ArrayList<>(b.neighbors());
        neighbors.add(
                new DataplaneConfig.Neighbor(Addresses.parse("198.51.100.3"), AgentConformance.PEER_MAC, "transit"));
        return new DataplaneConfig(
                b.router(), b.interfaces(), routes, neighbors, b.sids(), b.policies(), b.steering(), b.encap());
    }

    @Test
    void everyFrameSentComesOutWhileCommitsAlternate() throws Exception {
        Poller p = new Poller();
        EngineAgent agent =
                new EngineAgent("r1", p.engine, p, EngineAgent.Settings.DEFAULT.withTimer(new ManualTime()));
        agent.install("setup", via("198.51.100.2"), "base");
        Thread poller = new Thread(p, "poller");
        poller.start();
        try {
            p.pushing.set(true);
            for (int i = 0; i < 200; i++) {
                DataplaneConfig next = via(i % 2 == 0 ? "198.51.100.3" : "198.51.100.2");
                String s = agent.openSession("load");
                agent.edit(
                        s,
                        i % 4 < 2
                                ? next
                                : AgentConformance.withSid(next, AgentConformance.dx4("dx4", "2001:db8:f::10")));
                agent.commit(s, "flip " + i, null);
                agent.closeSession(s);
            }
            p.pushing.set(false);
            p.call(() -> p.engine.poll()); // whatever the last burst left
            Counters c = agent.counters();
            assertThat(agent.running().generation()).isEqualTo(201);
            assertThat(p.sent.get()).isGreaterThan(0);
            assertThat(c.port("inside").rxPackets()).isEqualTo(p.sent.get());
            assertThat(c.port("inside").rxNoBuffer()).isZero();
            assertThat(c.port("transit").txPackets()).isEqualTo(p.sent.get());
            assertThat(c.errors()).isEmpty();
            assertThat(c.balanced()).isTrue();
        } finally {
            p.stop.set(true);
            poller.join();
            agent.close();
            p.engine.close();
        }
    }
}
