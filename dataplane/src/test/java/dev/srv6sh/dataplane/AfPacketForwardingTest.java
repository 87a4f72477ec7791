package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.port.linux.AfPacketPort;
import dev.srv6sh.dataplane.port.linux.LinuxPorts;
import dev.srv6sh.dataplane.port.linux.Netns;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine routes between two kernel hosts over AF_PACKET ports on veth pairs, with the hosts'
 * offloads as Linux sets them (checksum and segmentation offload on):
 *
 * <pre>
 *  ns a (host)                       ns r (router: kernel IPv6 off)                ns b (host)
 *  a0 192.0.2.2/24      ──veth──  ra  [engine: a 192.0.2.1/24     ]  rb  ──veth──  b0 198.51.100.2/24
 *     2001:db8:a::2/64                [        2001:db8:a::1/64   ]                   2001:db8:b::2/64
 *                                     [      b 198.51.100.1/24    ]
 *                                     [        2001:db8:b::1/64   ]
 * </pre>
 *
 * The router's devices are in a namespace of their own, opened there by a thread that entered it
 * ({@link Netns#call}: an AF_PACKET socket binds in its namespace), with no addresses and the
 * kernel's forwarding off, so the engine is the only router between the hosts. Address resolution is
 * the engine's (ARP, ND) both ways. Pings and TCP transfers go both families; a TCP sender on veth
 * hands over frames with their checksum still to compute (TP_STATUS_CSUMNOTREADY) and sends of 64
 * KiB to cut, which arrive intact only because the port finishes both. Both receive modes: a V2
 * slot too small for a large send hands it over through the socket's queue, a V3 block holds it.
 */
class AfPacketForwardingTest {
    static final MacAddress A_MAC = MacAddress.parse("02:00:00:00:0a:01");
    static final MacAddress B_MAC = MacAddress.parse("02:00:00:00:0b:01");

    static DataplaneConfig router() {
        return new DataplaneConfig(
                "edge",
                List.of(
                        Harness.iface("a", A_MAC, "192.0.2.1/24", "2001:db8:a::1/64"),
                        Harness.iface("b", B_MAC, "198.51.100.1/24", "2001:db8:b::1/64")),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                new DataplaneConfig.Encap(Addresses.parse6("2001:db8:ff::1"), 64));
    }

    /** Sends {@code bytes} of seeded random data to ADDRESS:PORT, then prints their length and SHA-256. */
    static final String SENDER =
            """
            import hashlib, random, socket, sys
            data = random.Random(7).randbytes(int(sys.argv[3]))
            s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=60)
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            s.recv(1)
            s.close()
            print(len(data), hashlib.sha256(data).hexdigest())
            """;

    /** Takes one connection on ADDRESS:PORT and prints the length and SHA-256 of what came. */
    static final String RECEIVER =
            """
            import hashlib, socket, sys
            family = socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET
            s = socket.socket(family)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((sys.argv[1], int(sys.argv[2])))
            s.listen(1)
            print('listening', flush=True)
            c, _ = s.accept()
            c.settimeout(60)
            h, n = hashlib.sha256(), 0
            while True:
                d = c.recv(1 << 16)
                if not d:
                    break
                h.update(d)
                n += len(d)
            c.close()
            print(n, h.hexdigest(), flush=True)
            """;

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = LinuxPorts.Driver.class,
            names = {"AF_PACKET", "AF_PACKET_V3"})
    void kernelHostsPingAndTransferThroughTheEngineWithTheirOffloadsOn(LinuxPorts.Driver driver) throws Exception {
        Netns.require("ping", "python3");
        try (Netns a = Netns.create("a", true);
                Netns b = Netns.create("b", true);
                Netns r = Netns.create("r", false)) {
            r.ip("link", "add", "ra", "type", "veth", "peer", "name", "a0", "netns", a.name());
            r.ip("link", "add", "rb", "type", "veth", "peer", "name", "b0", "netns", b.name());
            r.ip("link", "set", "ra", "address", A_MAC.toString(), "up");
            r.ip("link", "set", "rb", "address", B_MAC.toString(), "up");
            host(a, "a0", "192.0.2.2/24", "2001:db8:a::2/64", "192.0.2.1", "2001:db8:a::1");
            host(b, "b0", "198.51.100.2/24", "2001:db8:b::2/64", "198.51.100.1", "2001:db8:b::1");
            LinuxPorts ports = new LinuxPorts(Map.of(
                    "a", new LinuxPorts.Binding(driver, "ra"),
                    "b", new LinuxPorts.Binding(driver, "rb")));
            Engine e = r.call(() -> {
                Engine x = new Engine("edge", Clock.SYSTEM, ports);
                x.apply(router());
                return x;
            });
            try {
                try (Polling _ = new Polling(e)) {
                    a.exec("ping", "-c", "3", "-W", "2", "198.51.100.2");
                    a.exec("ping", "-6", "-c", "3", "-W", "2", "2001:db8:b::2");
                    b.exec("ping", "-c", "2", "-W", "2", "192.0.2.2");
                    transfer(a, b, "198.51.100.2", 4 << 20);
                    transfer(a, b, "2001:db8:b::2", 4 << 20);
                    transfer(b, a, "192.0.2.2", 1 << 20);
                }
                AfPacketPort pa = e.port("a", AfPacketPort.class);
                AfPacketPort pb = e.port("b", AfPacketPort.class);
                assertThat(pa.toString()).isEqualTo(driver.text() + ":ra");
                assertThat(pa.checksumsCompleted() + pa.sendsWhole())
                        .as("frames from host a with offloads left to the port")
                        .isPositive();
                assertThat(pa.sendsWhole())
                        .as("host a's large sends taken whole by the port")
                        .isPositive();
                assertThat(pb.largeSent())
                        .as("host a's large sends handed whole to the kernel towards host b, for it to cut")
                        .isPositive();
                assertThat(pb.checksumsCompleted() + pb.sendsWhole()).isPositive();
                assertThat(pa.largeSent())
                        .as("host b's large sends, towards host a")
                        .isPositive();
                assertThat(e.counters().port("a").txErrors()
                                + e.counters().port("b").txErrors())
                        .isZero();
                Harness.assertBalanced(e);
            } finally {
                e.close();
            }
        }
    }

    static void host(Netns ns, String dev, String v4, String v6, String gw4, String gw6) {
        ns.ip("addr", "add", v4, "dev", dev);
        ns.ip("addr", "add", v6, "dev", dev, "nodad");
        ns.ip("link", "set", dev, "up");
        ns.ip("route", "add", "default", "via", gw4);
        ns.ip("-6", "route", "add", "default", "via", gw6);
    }

    /** A TCP transfer from {@code from} to a receiver in {@code to} at {@code address}: the same bytes arrive. */
    static void transfer(Netns from, Netns to, String address, int bytes) throws Exception {
        String port = "5001";
        Process receiver = new ProcessBuilder(
                        "ip", "netns", "exec", to.name(), "python3", "-c", RECEIVER, address, port)
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).as("the receiver listens").isEqualTo("listening");
            String sent = from.exec("python3", "-c", SENDER, address, port, Integer.toString(bytes))
                    .strip();
            String received = out.readLine();
            assertThat(receiver.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(received)
                    .as("what arrived at %s (length, SHA-256)", address)
                    .isEqualTo(sent);
            assertThat(sent).startsWith(bytes + " ");
        } finally {
            receiver.destroyForcibly();
        }
    }

    /** The engine's thread for the test: polls, and parks briefly when nothing came. */
    static final class Polling implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;

        Polling(Engine e) {
            thread = Thread.ofPlatform().name("engine-edge").start(() -> {
                while (running) {
                    if (e.poll() == 0) {
                        LockSupport.parkNanos(20_000);
                    }
                }
            });
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join();
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
