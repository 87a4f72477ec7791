package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.agent.EngineAgent;
import dev.srv6sh.dataplane.agent.EngineHost;
import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.port.linux.AfPacketPort;
import dev.srv6sh.dataplane.port.linux.AfXdpPort;
import dev.srv6sh.dataplane.port.linux.Fanout;
import dev.srv6sh.dataplane.port.linux.LinuxPorts;
import dev.srv6sh.dataplane.port.linux.Netns;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A router of two workers on real devices: two engines, each on a thread of its own with its own
 * AF_PACKET sockets on the same veths, driven as one router by an {@link EngineAgent}, between two
 * kernel hosts ({@link AfPacketForwardingTest}'s topology). Nothing static: the hosts resolve the
 * router, and each worker resolves host b for the flows the kernel hashed to it, whichever worker
 * the answer lands on. Many UDP flows of both families from host a all reach host b; both workers
 * carried some, each one's neighbor table knows host b, and the agent's counters are the two
 * workers' summed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AfPacketWorkersTest {
    static final int FLOWS = 32;
    static final int ROUNDS = 20;

    /**
     * Sends a datagram from each of FLOWS sockets (each its own source port: a flow) to ADDRESS:9000,
     * ROUNDS times: once, then a pause for the router to resolve host b, then the rest.
     */
    static final String SENDER =
            """
            import socket, sys, time
            address, flows, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
            family = socket.AF_INET6 if ':' in address else socket.AF_INET
            socks = [socket.socket(family, socket.SOCK_DGRAM) for _ in range(flows)]
            for r in range(rounds):
                for s in socks:
                    s.sendto(b'srv6sh-workers-' + bytes(40), (address, 9000))
                time.sleep(1.0 if r == 0 else 0.002)
            print(flows * rounds, flush=True)
            """;

    /** Counts the datagrams to port 9000 of both families until EXPECTED came or 30 s passed. */
    static final String RECEIVER =
            """
            import select, socket, sys, time
            expected = int(sys.argv[1])
            s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s4.bind(('0.0.0.0', 9000))
            s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            s6.bind(('::', 9000))
            for s in (s4, s6):
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
            print('listening', flush=True)
            counts = {s4: 0, s6: 0}
            end = time.time() + 30
            while sum(counts.values()) < expected and time.time() < end:
                ready, _, _ = select.select([s4, s6], [], [], 0.5)
                for s in ready:
                    s.recv(2048)
                    counts[s] += 1
            print(counts[s4], counts[s6], flush=True)
            """;

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = LinuxPorts.Driver.class,
            names = {"AF_PACKET", "AF_PACKET_V3", "AF_XDP"})
    void flowsSpreadOverTwoWorkersAndEveryWorkerResolvesItsNextHops(LinuxPorts.Driver driver) throws Exception {
        boolean xdp = driver == LinuxPorts.Driver.AF_XDP;
        if (xdp) {
            Netns.require("python3", "ethtool");
        } else {
            Netns.require("python3");
        }
        try (Netns a = Netns.create("a", true);
                Netns b = Netns.create("b", true);
                Netns r = Netns.create("r", false)) {
            // af_xdp: a receive queue per worker, the hosts' transmit queues spreading flows over them
            String[] q = xdp ? new String[] {"numrxqueues", "2", "numtxqueues", "2"} : new String[0];
            r.ip(concat(
                    new String[] {"link", "add", "ra"},
                    q,
                    new String[] {"type", "veth", "peer", "name", "a0"},
                    q,
                    new String[] {"netns", a.name()}));
            r.ip(concat(
                    new String[] {"link", "add", "rb"},
                    q,
                    new String[] {"type", "veth", "peer", "name", "b0"},
                    q,
                    new String[] {"netns", b.name()}));
            r.ip("link", "set", "ra", "address", AfPacketForwardingTest.A_MAC.toString(), "up");
            r.ip("link", "set", "rb", "address", AfPacketForwardingTest.B_MAC.toString(), "up");
            host(a, "a0", "192.0.2.2/24", "2001:db8:a::2/64", "192.0.2.1", "2001:db8:a::1");
            host(b, "b0", "198.51.100.2/24", "2001:db8:b::2/64", "198.51.100.1", "2001:db8:b::1");
            if (xdp) {
                // XDP gets a veth's frames with the checksum a host left to offload still blank
                a.exec("ethtool", "-K", "a0", "tx", "off");
                b.exec("ethtool", "-K", "b0", "tx", "off");
            }
            MacAddress bMac =
                    MacAddress.parse(b.exec("cat", "/sys/class/net/b0/address").strip());
            LinuxPorts ports = new LinuxPorts(Map.of(
                    "a", new LinuxPorts.Binding(driver, "ra"),
                    "b", new LinuxPorts.Binding(driver, "rb")));
            List<Engine> engines = new ArrayList<>();
            List<ThreadHost> hosts = new ArrayList<>();
            for (Fanout f : Fanout.workers(2)) {
                engines.add(new Engine("edge", Clock.SYSTEM, ports.worker(f)));
            }
            try {
                // the workers' threads start in the router's namespace: its devices are theirs to open
                hosts.addAll(r.call(() -> engines.stream().map(ThreadHost::new).toList()));
                EngineAgent agent = new EngineAgent(
                        "edge",
                        List.of(
                                new EngineAgent.Worker(engines.get(0), hosts.get(0)),
                                new EngineAgent.Worker(engines.get(1), hosts.get(1))),
                        EngineAgent.Settings.DEFAULT);
                agent.install("test", AfPacketForwardingTest.router(), "two workers");
                for (int w = 0; w < 2; w++) {
                    assertSpread(engines.get(w), "a", w);
                }
                int expected = 2 * FLOWS * ROUNDS;
                Process receiver = new ProcessBuilder(
                                "ip", "netns", "exec", b.name(), "python3", "-c", RECEIVER, Integer.toString(expected))
                        .redirectErrorStream(true)
                        .start();
                String counts;
                try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8))) {
                    assertThat(out.readLine()).as("the receiver listens").isEqualTo("listening");
                    Thread v4 = send(a, "198.51.100.2");
                    Thread v6 = send(a, "2001:db8:b::2");
                    v4.join();
                    v6.join();
                    counts = out.readLine();
                    assertThat(receiver.waitFor(40, TimeUnit.SECONDS)).isTrue();
                } finally {
                    receiver.destroyForcibly();
                }
                assertThat(counts)
                        .as("datagrams host b received over IPv4 and IPv6")
                        .isEqualTo(FLOWS * ROUNDS + " " + FLOWS * ROUNDS);

                // the counters are live (a host's neighbor discovery may still come): the sum read
                // before the workers' and the sum read after them bracket what the workers say
                Counters sumBefore = agent.counters();
                List<Counters> each = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    Counters c = agent.counters(w);
                    each.add(c);
                    assertThat(c.port("a").rxPackets())
                            .as("worker %d received flows", w)
                            .isPositive();
                    assertThat(c.node("ip4-rewrite").packets())
                            .as("worker %d forwarded IPv4", w)
                            .isPositive();
                    assertThat(c.node("ip6-rewrite").packets())
                            .as("worker %d forwarded IPv6", w)
                            .isPositive();
                    assertThat(c.balanced())
                            .as("worker %d's counters balance", w)
                            .isTrue();
                    assertSpread(engines.get(w), "b", w);
                    List<NeighborEntry> table = hosts.get(w).call(engines.get(w)::neighbors);
                    assertThat(table)
                            .as("worker %d resolved host b, both families", w)
                            .filteredOn(n -> n.iface().equals("b"))
                            .filteredOn(n -> n.mac() != null && n.mac().equals(bMac))
                            .extracting(n -> Addresses.format(n.address()))
                            .contains("198.51.100.2", "2001:db8:b::2");
                }
                Counters sum = agent.counters();
                assertThat(each.get(0).port("a").rxPackets()
                                + each.get(1).port("a").rxPackets())
                        .as("the workers' received packets, summed")
                        .isBetween(
                                sumBefore.port("a").rxPackets(), sum.port("a").rxPackets());
                assertThat(each.get(0).port("b").txPackets()
                                + each.get(1).port("b").txPackets())
                        .as("the workers' transmitted packets, summed")
                        .isBetween(
                                sumBefore.port("b").txPackets(), sum.port("b").txPackets());
                assertThat(sum.node("ip4-rewrite").packets()
                                + sum.node("ip6-rewrite").packets())
                        .as("every datagram forwarded once, by one worker")
                        .isGreaterThanOrEqualTo(2L * FLOWS * ROUNDS);
                assertThat(sum.balanced()).isTrue();
                assertThat(sum.neighbors().answers())
                        .as("host a's ARP and NS for the router answered (by worker 0)")
                        .isPositive();
                assertThat(agent.neighbors())
                        .as("the router's table: the workers' merged")
                        .filteredOn(n -> n.iface().equals("b"))
                        .extracting(n -> Addresses.format(n.address()))
                        .contains("198.51.100.2", "2001:db8:b::2");
                for (ThreadHost h : hosts) {
                    assertThat(h.failure).isNull();
                }
                agent.close();
            } finally {
                hosts.forEach(ThreadHost::close);
                engines.forEach(Engine::close);
            }
        }
    }

    private static Thread send(Netns from, String address) {
        return Thread.ofPlatform()
                .start(() ->
                        from.exec("python3", "-c", SENDER, address, Integer.toString(FLOWS), Integer.toString(ROUNDS)));
    }

    /** Worker {@code w}'s port on {@code iface} spreads: a fanout socket, or af_xdp's queue {@code w}. */
    private static void assertSpread(Engine e, String iface, int w) {
        if (e.port(iface) instanceof AfXdpPort x) {
            assertThat(x.queue()).isEqualTo(w);
            assertThat(x.fds()).as("the socket and the resolution socket").hasSize(2);
        } else {
            assertThat(e.port(iface, AfPacketPort.class).spread()).isTrue();
        }
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    private static void host(Netns ns, String dev, String v4, String v6, String gw4, String gw6) {
        ns.ip("addr", "add", v4, "dev", dev);
        ns.ip("addr", "add", v6, "dev", dev, "nodad");
        ns.ip("link", "set", dev, "up");
        ns.ip("route", "add", "default", "via", gw4);
        ns.ip("-6", "route", "add", "default", "via", gw6);
    }

    /**
     * One worker's thread: polls its engine, runs the agent's calls between two polls, and parks
     * briefly when nothing came (the router daemon's Poller, without its sleeping in poll(2)).
     */
    static final class ThreadHost implements EngineHost, AutoCloseable {
        private final Engine engine;
        private final Thread thread;
        private final ConcurrentLinkedQueue<FutureTask<?>> tasks = new ConcurrentLinkedQueue<>();
        private volatile boolean running = true;
        volatile Throwable failure;

        ThreadHost(Engine engine) {
            this.engine = engine;
            this.thread = Thread.ofPlatform().name("worker-" + engine.name()).start(this::loop);
        }

        private void loop() {
            while (running) {
                boolean worked = false;
                FutureTask<?> t;
                while ((t = tasks.poll()) != null) {
                    t.run();
                    worked = true;
                }
                try {
                    if (engine.poll() == 0 && !worked) {
                        LockSupport.parkNanos(50_000);
                    }
                } catch (RuntimeException | Error e) {
                    failure = e;
                    return;
                }
            }
        }

        @Override
        public <T> T call(Callable<T> task) throws Exception {
            FutureTask<T> f = new FutureTask<>(task);
            tasks.add(f);
            LockSupport.unpark(thread);
            try {
                return f.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof Exception x) {
                    throw x;
                }
                throw e;
            }
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
