package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.dataplane.kernel.CommandResult;
import dev.srv6sh.dataplane.kernel.Seg6Peer;
import dev.srv6sh.dataplane.kernel.WireCapture;
import dev.srv6sh.dataplane.kernel.WireCapture.Srh;
import dev.srv6sh.dataplane.port.linux.LinuxPorts;
import dev.srv6sh.dataplane.port.linux.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Interop with the Linux kernel's SRv6 (RFC 8986 as {@code seg6} and {@code seg6local} do it): our
 * engine on AF_PACKET ports between kernel hosts on one side and a Linux SRv6 node on the other, which
 * has hosts of its own. No neighbor is static anywhere: the engine resolves with ARP and ND, and so
 * do the kernels.
 *
 * <pre>
 *  h   192.0.2.2/24 ──veth── lan  ┐                        ┌ eth0 2001:db8:1::2/64 (kernel SR node)
 *                                 │ engine        wan      │   k-ga ──veth── ga 198.51.100.2/26   MTU 1500
 *  h2  203.0.113.2/24 ─veth─ lan2 ┤ (ns r, no     ────────┤   k-gb ──veth── gb 198.51.100.66/26  MTU 1400
 *      203.0.113.3/32             ┘  kernel IPv6)  2001:db8:1::1/64
 * </pre>
 *
 * <ul>
 *   <li>Linux's H.Encaps ({@code encap seg6 mode encap}) of 192.0.2.0/24 to our End.DX4 2001:db8:e::d4
 *       (next hop h); our H.Encaps of 198.51.100.0/26 and .64/26 to Linux's End.DX4 2001:db8:f::a4 and
 *       ::b4 (next hops ga and gb). A ping either way goes out through one and comes back through the
 *       other.
 *   <li>Transit: our H.Encaps of 203.0.113.2 with [Linux's End 2001:db8:f::e, our End.DX4 2001:db8:e::d5
 *       (next hop h2)], and of 203.0.113.3 with [Linux's End.X 2001:db8:f::e1 (next hop us), the same]:
 *       out to the kernel and back.
 *   <li>tshark reads the SRH of each on the link as the RFC says it is: the segment list, and
 *       Segments Left before and after the kernel's End and End.X ({@link Seg6Peer#capture}: on the
 *       peer's side, since our port's sends bypass the router-side device's taps).
 *   <li>TCP (iperf3) from h to ga, through our encapsulation at MTU 1500 (so our router must send h
 *       Fragmentation Needed), and from gb to h through Linux's (MTU 1400 at gb: Linux does no path-MTU
 *       work for what it encapsulates).
 * </ul>
 *
 * The SR node is this machine's kernel in a namespace where it has seg6, else Debian's kernel under
 * qemu on the TAP device qemu creates in the router's namespace ({@link Seg6Peer}): booted once for
 * the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KernelSeg6InteropTest {
    static final MacAddress LAN = MacAddress.parse("02:00:00:00:5e:01");
    static final MacAddress LAN2 = MacAddress.parse("02:00:00:00:5e:02");
    static final MacAddress WAN = MacAddress.parse("02:00:00:00:5e:03");
    static final MacAddress KERNEL = MacAddress.parse("02:00:00:00:5e:04");
    static final String OUR_DX4_H = "2001:db8:e::d4";
    static final String OUR_DX4_H2 = "2001:db8:e::d5";
    static final String THEIR_DX4_GA = "2001:db8:f::a4";
    static final String THEIR_DX4_GB = "2001:db8:f::b4";
    static final String THEIR_END = "2001:db8:f::e";
    static final String THEIR_END_X = "2001:db8:f::e1";
    static final String ENCAPS_LARGER = "packet with the encapsulation larger than the MTU towards the first SID";

    private Netns r;
    private Netns h;
    private Netns h2;
    private Seg6Peer peer;
    private Engine engine;
    private AfPacketForwardingTest.Polling polling;
    private Path dir;
    private long started;

    static DataplaneConfig router() {
        return new DataplaneConfig(
                "edge",
                List.of(
                        Harness.iface("lan", LAN, "192.0.2.1/24"),
                        Harness.iface("lan2", LAN2, "203.0.113.1/24"),
                        Harness.iface("wan", WAN, "2001:db8:1::1/64")),
                List.of(new DataplaneConfig.Route(
                        0, Prefix.parse("2001:db8:f::/48"), Addresses.parse("2001:db8:1::2"), null)),
                List.of(),
                List.of(
                        Harness.sid(OUR_DX4_H, "End.DX4", "192.0.2.2"),
                        Harness.sid(OUR_DX4_H2, "End.DX4", "203.0.113.2")),
                List.of(
                        Harness.policy("to-ga", PolicyMode.ENCAP, THEIR_DX4_GA),
                        Harness.policy("to-gb", PolicyMode.ENCAP, THEIR_DX4_GB),
                        Harness.policy("via-end", PolicyMode.ENCAP, THEIR_END, OUR_DX4_H2),
                        Harness.policy("via-end-x", PolicyMode.ENCAP, THEIR_END_X, OUR_DX4_H2)),
                List.of(
                        new DataplaneConfig.Steer(0, Prefix.parse("198.51.100.0/26"), "to-ga"),
                        new DataplaneConfig.Steer(0, Prefix.parse("198.51.100.64/26"), "to-gb"),
                        new DataplaneConfig.Steer(0, Prefix.parse("203.0.113.2/32"), "via-end"),
                        new DataplaneConfig.Steer(0, Prefix.parse("203.0.113.3/32"), "via-end-x")),
                new DataplaneConfig.Encap(Addresses.parse6("2001:db8:1::1"), 64));
    }

    @BeforeAll
    void up() throws Exception {
        Seg6Peer.require("ping", "iperf3", "tshark");
        started = System.nanoTime();
        dir = Files.createTempDirectory("srv6sh-seg6");
        r = Netns.create("r", false);
        h = Netns.create("h", true);
        h2 = Netns.create("h2", true);
        peer = Seg6Peer.open(r, "wan", KERNEL, dir, Duration.ofMinutes(2));
        r.ip("link", "add", "lan", "type", "veth", "peer", "name", "h0", "netns", h.name());
        r.ip("link", "add", "lan2", "type", "veth", "peer", "name", "h0", "netns", h2.name());
        r.ip("link", "set", "lan", "address", LAN.toString(), "up");
        r.ip("link", "set", "lan2", "address", LAN2.toString(), "up");
        r.ip("link", "set", "wan", "address", WAN.toString(), "up");
        host(h, "192.0.2.2/24", "192.0.2.1");
        host(h2, "203.0.113.2/24", "203.0.113.1");
        h2.ip("addr", "add", "203.0.113.3/32", "dev", "h0");
        LinuxPorts ports = new LinuxPorts(Map.of(
                "lan", LinuxPorts.Binding.parse("af_packet:lan"),
                "lan2", LinuxPorts.Binding.parse("af_packet:lan2"),
                "wan", LinuxPorts.Binding.parse("af_packet:wan")));
        engine = r.call(() -> {
            Engine e = new Engine("edge", Clock.SYSTEM, ports);
            e.apply(router());
            return e;
        });
        polling = new AfPacketForwardingTest.Polling(engine);
        kernelNode();
    }

    private static void host(Netns ns, String address, String gateway) {
        ns.ip("addr", "add", address, "dev", "h0");
        ns.ip("link", "set", "h0", "up");
        ns.ip("route", "add", "default", "via", gateway);
    }

    /** The Linux SR node: forwarding and seg6 on, its SIDs, its H.Encaps route, hosts ga and gb. */
    private void kernelNode() {
        peer.kernel("sysctl -w net.ipv6.conf.all.forwarding=1 >/dev/null"
                + " && sysctl -w net.ipv4.ip_forward=1 >/dev/null"
                + " && sysctl -w net.ipv6.conf.all.seg6_enabled=1 >/dev/null"
                + " && sysctl -w net.ipv6.conf.eth0.seg6_enabled=1 >/dev/null");
        peer.kernel("ip link set eth0 up && ip addr add 2001:db8:1::2/64 dev eth0 nodad");
        guestHost("ga", "198.51.100.1/26", "198.51.100.2/26", 1500);
        guestHost("gb", "198.51.100.65/26", "198.51.100.66/26", 1400);
        peer.kernel("ip -6 route add 2001:db8:e::/48 via 2001:db8:1::1 dev eth0");
        peer.kernel("ip route add 192.0.2.0/24 encap seg6 mode encap segs " + OUR_DX4_H + " dev eth0");
        peer.kernel("ip -6 route add " + THEIR_DX4_GA
                + "/128 encap seg6local action End.DX4 nh4 198.51.100.2 count dev k-ga");
        peer.kernel("ip -6 route add " + THEIR_DX4_GB
                + "/128 encap seg6local action End.DX4 nh4 198.51.100.66 count dev k-gb");
        peer.kernel("ip -6 route add " + THEIR_END + "/128 encap seg6local action End count dev eth0");
        peer.kernel("ip -6 route add " + THEIR_END_X
                + "/128 encap seg6local action End.X nh6 2001:db8:1::1 count dev eth0");
    }

    private void guestHost(String name, String gateway, String address, int mtu) {
        String ns = peer.addHost(name);
        peer.kernel("ip link add k-" + name + " mtu " + mtu + " type veth peer name eth0 mtu " + mtu + " netns " + ns
                + " && ip addr add " + gateway + " dev k-" + name + " && ip link set k-" + name + " up");
        peer.host(
                name,
                "ip addr add " + address + " dev eth0 && ip link set eth0 up && ip route add default via "
                        + gateway.substring(0, gateway.indexOf('/')));
    }

    @AfterAll
    void down() {
        try {
            if (polling != null) {
                polling.close();
                Harness.assertBalanced(engine);
            }
        } finally {
            if (engine != null) {
                engine.close();
            }
            if (peer != null) {
                peer.close();
            }
            for (Netns ns : new Netns[] {h2, h, r}) {
                if (ns != null) {
                    ns.endProcesses();
                    ns.close();
                }
            }
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // a temporary directory left behind
                }
            }
            if (started != 0) {
                System.out.printf("kernel seg6 interop: %.1f s in all%n", (System.nanoTime() - started) / 1e9);
            }
        }
    }

    @Test
    void pingsGoOutThroughOneSideHEncapsAndComeBackThroughTheOthers() throws Exception {
        List<Srh> wire = captured(() -> {
            h.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "198.51.100.2");
            h.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "198.51.100.66");
            peer.host("ga", "ping -c 3 -i 0.2 -W 2 192.0.2.2");
            peer.host("gb", "ping -c 3 -i 0.2 -W 2 192.0.2.2");
            return null;
        });
        assertThat(wire)
                .as("our H.Encaps towards Linux's End.DX4")
                .contains(new Srh("2001:db8:1::1", THEIR_DX4_GA, 0, List.of(THEIR_DX4_GA), "192.0.2.2", "198.51.100.2"))
                .contains(
                        new Srh("2001:db8:1::1", THEIR_DX4_GB, 0, List.of(THEIR_DX4_GB), "192.0.2.2", "198.51.100.66"));
        assertThat(wire)
                .as("Linux's H.Encaps towards our End.DX4")
                .contains(new Srh("2001:db8:1::2", OUR_DX4_H, 0, List.of(OUR_DX4_H), "198.51.100.2", "192.0.2.2"))
                .contains(new Srh("2001:db8:1::2", OUR_DX4_H, 0, List.of(OUR_DX4_H), "198.51.100.66", "192.0.2.2"));
    }

    @Test
    void endAndEndXOfTheKernelAreTransitBetweenOurHEncapsAndOurEndDx4() throws Exception {
        List<Srh> wire = captured(() -> {
            h.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "203.0.113.2");
            h.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "203.0.113.3");
            return null;
        });
        for (String sid : List.of(THEIR_END, THEIR_END_X)) {
            String inner = sid.equals(THEIR_END) ? "203.0.113.2" : "203.0.113.3";
            assertThat(wire)
                    .as(
                            "through %s: ours with Segments Left 1, back from Linux with 0 and %s in the DA",
                            sid, OUR_DX4_H2)
                    .contains(new Srh("2001:db8:1::1", sid, 1, List.of(OUR_DX4_H2, sid), "192.0.2.2", inner))
                    .contains(new Srh("2001:db8:1::1", OUR_DX4_H2, 0, List.of(OUR_DX4_H2, sid), "192.0.2.2", inner));
            assertThat(packets(sid)).as("what Linux counted on %s", sid).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void tcpCrossesBothWaysAndOurRouterTellsTheSenderTheTunnelsMtu() throws Exception {
        peer.host("ga", "iperf3 -s -1 -D && " + listening(5201));
        String ours = h.exec("iperf3", "-c", "198.51.100.2", "-t", "4", "-f", "m", "--connect-timeout", "5000");
        long tooBig = paused(() -> engine.counters().get("sr-policy-rewrite-encaps", ENCAPS_LARGER));
        h.exec("sh", "-c", "iperf3 -s -1 -D && " + listening(5201));
        String theirs = peer.host("gb", "iperf3 -c 192.0.2.2 -t 4 -f m --connect-timeout 5000");
        System.out.printf(
                "kernel seg6 interop (%s): TCP h->ga through our H.Encaps %s Mbit/s (%s retransmits), gb->h"
                        + " through Linux's %s Mbit/s (%s retransmits)%n",
                peer.describe(), rate(ours), retransmits(ours), rate(theirs), retransmits(theirs));
        assertThat(Double.parseDouble(rate(ours))).as("h->ga: %s", ours).isPositive();
        assertThat(Double.parseDouble(rate(theirs))).as("gb->h: %s", theirs).isPositive();
        assertThat(tooBig)
                .as("h's full-size segments (MTU 1500) were answered with Fragmentation Needed")
                .isPositive();
        CommandResult big = run(h, "ping -c 1 -W 2 -M do -s 1472 198.51.100.2");
        assertThat(big.output()).as("ping -M do -s 1472").containsPattern("mtu ?= ?1436");
    }

    @Test
    void everyNeighborIsResolvedNoneIsStatic() throws Exception {
        h.exec("ping", "-c", "1", "-W", "2", "198.51.100.2");
        h.exec("ping", "-c", "1", "-W", "2", "203.0.113.3");
        List<NeighborEntry> ours = paused(engine::neighbors);
        assertThat(ours)
                .extracting(n -> Addresses.format(n.address()))
                .contains("192.0.2.2", "203.0.113.2", "2001:db8:1::2");
        assertThat(ours).noneMatch(n -> n.state() == NeighborEntry.State.PERMANENT);
        String theirs = peer.kernel("ip -6 neigh show dev eth0");
        assertThat(theirs)
                .as("the Linux node's neighbors")
                .containsPattern("2001:db8:1::1 lladdr " + WAN + " (router )?(REACHABLE|STALE|DELAY|PROBE)");
        assertThat(h.exec("ip", "neigh", "show", "dev", "h0")).contains("192.0.2.1 lladdr " + LAN);
    }

    /** What {@code ip -s} says Linux's seg6local route for {@code sid} counted. */
    private long packets(String sid) {
        String out = peer.kernel("ip -s -6 route show " + sid + "/128");
        Matcher m = Pattern.compile("packets (\\d+)").matcher(out);
        assertThat(m.find()).as("counters in %s", out).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** A shell loop that waits until something listens on TCP {@code port} here. */
    private static String listening(int port) {
        String hex = String.format("%04X", port);
        return "for i in $(seq 100); do grep -qE ':" + hex
                + " [0-9A-F]+:0000 0A' /proc/net/tcp /proc/net/tcp6 && exit 0; sleep 0.1; done; exit 1";
    }

    private static String rate(String iperf) {
        Matcher m = Pattern.compile("([\\d.]+) Mbits/sec\\s+receiver").matcher(iperf);
        assertThat(m.find()).as("iperf3's receiver line in %s", iperf).isTrue();
        return m.group(1);
    }

    private static String retransmits(String iperf) {
        Matcher m = Pattern.compile("Mbits/sec\\s+(\\d+)\\s+sender").matcher(iperf);
        return m.find() ? m.group(1) : "?";
    }

    private static CommandResult run(Netns ns, String command) {
        return CommandResult.run(
                null, Duration.ofSeconds(30), List.of("ip", "netns", "exec", ns.name(), "sh", "-c", command));
    }

    private List<Srh> captured(Callable<Void> traffic) throws Exception {
        try (WireCapture c = peer.capture(dir.resolve("wan-" + System.nanoTime() + ".pcap"))) {
            traffic.call();
            return c.stop();
        }
    }

    /** {@code read} on the engine's thread's behalf: polling stops meanwhile. */
    private <T> T paused(Callable<T> read) throws Exception {
        polling.close();
        try {
            return read.call();
        } finally {
            polling = new AfPacketForwardingTest.Polling(engine);
        }
    }
}
