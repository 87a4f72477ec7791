package dev.srv6sh.shell.wire;

import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.netns.RouterLauncher;
import dev.srv6sh.dataplane.agent.AgentJson;
import dev.srv6sh.dataplane.agent.RouterBoot;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code srv6sh bench --wire}: the same veth topology built twice in one run, once forwarding with
 * the Linux kernel and once with {@code srv6sh router}, driven by the same trafgen frames for the same
 * time; packets delivered at the sink's veth, the router's CPU time per packet, TCP goodput
 * through two routers (iperf3), and srv6sh's router with no traffic ({@link IdleMeter}). Everything is named under a fresh prefix ({@code wbXXXX-}) and
 * removed after, also when a step fails or the run is interrupted ({@link Namespaces}).
 *
 * <p>Rates are counted on the veths, not reported by the generator: delivered is the sink veth's
 * {@code rx_packets} over the measured window, offered the generator veth's {@code tx_packets} and
 * {@code tx_dropped}.
 * The window starts half a second after trafgen, so that the generator runs at its pace and the
 * router's queues are in their steady state.
 */
public final class WireBench {
    /**
     * What to run: the driver of srv6sh's ports, the time per case and router, the rounds, the TCP
     * time (0: none), the cases, the idle router's window (0: none), and whether to measure the idle
     * router only (no traffic, no TCP).
     */
    public record Settings(
            List<String> drivers,
            long millis,
            int rounds,
            int tcpSeconds,
            List<String> cases,
            int idleSeconds,
            boolean idleOnly) {
        public Settings {
            drivers = List.copyOf(drivers);
            if (drivers.isEmpty() || drivers.size() > TAGS.size()) {
                throw new IllegalArgumentException("one to " + TAGS.size() + " drivers, not " + drivers.size());
            }
        }

        /** The drivers as the report names them: {@code af_packet,af_xdp}. */
        public String driver() {
            return String.join(",", drivers);
        }
    }

    /** The namespaces' tag of each driver's srv6sh topology, in order ({@code wbXXXX-sgen}, {@code -xgen}, ...). */
    private static final List<String> TAGS = List.of("s", "x", "y");

    /**
     * The name of a row's or a TCP result's router: {@code kernel}, or {@code srv6sh/DRIVER}
     * ({@code srv6sh/af_xdp}), so that one run compares drivers.
     */
    public static String srv6sh(String driver) {
        return "srv6sh/" + driver;
    }

    private static final long SETTLE_MS = 500;
    private static final String AF_XDP = "af_xdp";
    private static final long START_TIMEOUT_MS = 60_000;

    private final Settings settings;
    private final PrintWriter progress;

    public WireBench(Settings settings, PrintWriter progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** The tools the benchmark needs that this machine lacks (by Debian package), empty if none. */
    public static List<String> missingTools() {
        return missingTools(List.of("af_packet"));
    }

    /**
     * As {@link #missingTools()}, for routers on {@code drivers}: nftables only where an af_packet
     * router's veths get the chain that drops the kernel's copies ({@link #srv6shVeths}).
     */
    public static List<String> missingTools(List<String> drivers) {
        List<String> out = new ArrayList<>();
        if (!onPath("trafgen")) {
            out.add("trafgen (Debian's netsniff-ng)");
        }
        if (!onPath("iperf3")) {
            out.add("iperf3");
        }
        if (!onPath("ip")) {
            out.add("ip (iproute2)");
        }
        if (drivers.stream().anyMatch(d -> !d.equals(AF_XDP)) && !onPath("nft")) {
            out.add("nft (nftables)");
        }
        return out;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** Runs the benchmark; the namespaces are gone when it returns, whatever happened. */
    public WireReport run() throws WireException {
        String prefix = "wb"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        String load = Machine.loadAverage();
        long t0 = System.nanoTime();
        Path dir;
        try {
            dir = Files.createTempDirectory("srv6sh-wire-");
        } catch (IOException e) {
            throw new WireException("cannot make a working directory: " + e.getMessage());
        }
        List<WireReport.Row> rows = new ArrayList<>();
        List<WireReport.Tcp> tcp = new ArrayList<>();
        WireReport.Idle idle;
        try (Namespaces ns = new Namespaces(prefix, dir)) {
            // the routers' SSH server listens, as the netns backend's do; nobody may log in
            Files.writeString(dir.resolve("authorized_keys"), "");
            if (settings.idleOnly()) {
                idle = idleOnly(ns, dir);
            } else {
                for (String c : WirePlan.CASES) {
                    Files.writeString(dir.resolve(c + ".cfg"), WireFrames.trafgen(c, WirePlan.frame(c)));
                }
                idle = forwarding(ns, dir, rows);
            }
            if (settings.tcpSeconds() > 0 && !settings.idleOnly()) {
                tcp.add(tcp(ns, dir, null, "kt"));
                for (int d = 0; d < settings.drivers().size(); d++) {
                    tcp.add(tcp(ns, dir, settings.drivers().get(d), TAGS.get(d) + "t"));
                }
            }
        } catch (IOException e) {
            throw new WireException("cannot write in " + dir + ": " + e.getMessage());
        } finally {
            deleteTree(dir);
        }
        return new WireReport(
                Machine.cpu(),
                Machine.kernel(),
                load + " before, " + Machine.loadAverage() + " after " + (System.nanoTime() - t0) / 1_000_000_000
                        + " s",
                settings.driver(),
                settings.millis() / 1000.0,
                rows,
                tcp,
                idle,
                WireReport.goals(rows, tcp, idle, settings.drivers()));
    }

    /** gen, rtr, sink: three namespaces under {@code prefix-tag}, two veth pairs, the sink not forwarding. */
    private String[] topology(Namespaces ns, String tag) throws WireException {
        String gen = ns.add(tag + "gen");
        String rtr = ns.add(tag + "rtr");
        String sink = ns.add(tag + "sink");
        ns.veth(gen, "eth0", WirePlan.GEN_MAC.toString(), rtr, "in", WirePlan.IN_MAC.toString(), 1500);
        ns.veth(rtr, "out", WirePlan.OUT_MAC.toString(), sink, "eth0", WirePlan.SINK_MAC.toString(), 1500);
        ns.in(gen, "ip", "addr", "add", "198.51.100.1/26", "dev", "eth0");
        ns.in(sink, "ip", "addr", "add", "203.0.113.2/26", "dev", "eth0");
        ns.in(sink, "ip", "-6", "addr", "add", "2001:db8:2::2/64", "dev", "eth0", "nodad");
        return new String[] {gen, rtr, sink};
    }

    /**
     * Both topologies, then the cases in rounds, the kernel and srv6sh taking turns at each case (the
     * kernel first in odd rounds, srv6sh in even ones), so that a change in the machine's load over
     * the run (other work on a shared machine) falls on both alike; a row is the median round. Then
     * srv6sh's router idle, the traffic over ({@link IdleMeter}); null when no idle window was asked.
     */
    private WireReport.Idle forwarding(Namespaces ns, Path dir, List<WireReport.Row> rows)
            throws WireException, IOException {
        say("kernel: building " + ns.prefix() + "-k*");
        String[] k = topology(ns, "k");
        for (List<String> c : WirePlan.kernelRouter()) {
            ns.in(k[1], c.toArray(String[]::new));
        }
        boolean seg6 = true;
        try {
            for (List<String> c : WirePlan.kernelDx4()) {
                ns.in(k[1], c.toArray(String[]::new));
            }
            ns.in(k[1], WirePlan.kernelEncaps().toArray(String[]::new));
        } catch (WireException e) {
            seg6 = false;
        }
        List<String> drivers = settings.drivers();
        String[][] topo = new String[drivers.size()][];
        long[] pid = new long[drivers.size()];
        for (int d = 0; d < drivers.size(); d++) {
            String tag = TAGS.get(d);
            say("srv6sh: building " + ns.prefix() + "-" + tag + "* and starting the router (driver " + drivers.get(d)
                    + ")");
            topo[d] = topology(ns, tag);
            srv6shVeths(ns, topo[d][1], drivers.get(d), "in", "out");
            pid[d] = startRouter(ns, dir, topo[d][1], "rtr", WirePlan.router(drivers.get(d)), WirePlan.LOCATOR)
                    .pid();
        }
        // plain forwarding is every ratio's base: measured whatever the cases asked for
        List<String> cases = new ArrayList<>(settings.cases());
        if (!cases.contains(WirePlan.PLAIN)) {
            cases.addFirst(WirePlan.PLAIN);
        }
        List<String> routers = new ArrayList<>(List.of("kernel"));
        drivers.forEach(d -> routers.add(srv6sh(d)));
        java.util.Map<String, List<WireReport.Row>> samples = new java.util.LinkedHashMap<>();
        for (int round = 1; round <= settings.rounds(); round++) {
            for (String c : cases) {
                List<String> order = new ArrayList<>(routers);
                if (round % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (String who : order) {
                    List<WireReport.Row> list = samples.computeIfAbsent(who + "/" + c, x -> new ArrayList<>());
                    if (who.equals("kernel")) {
                        if (!seg6 && !c.equals(WirePlan.PLAIN)) {
                            if (list.isEmpty()) {
                                list.add(new WireReport.Row(
                                        "kernel", c, "kernel has no seg6: skipped", 0, 0, 0, 0, 0, 0, 0, 0));
                            }
                        } else {
                            list.add(measure("kernel", c, k, dir, -1, round));
                        }
                    } else if (settings.cases().contains(c)) {
                        int d = routers.indexOf(who) - 1;
                        list.add(measure(who, c, topo[d], dir, pid[d], round));
                    }
                }
            }
        }
        for (String who : routers) {
            for (String c : cases) {
                List<WireReport.Row> list = samples.get(who + "/" + c);
                if (list != null && !list.isEmpty()) {
                    rows.add(median(list));
                }
            }
        }
        // the first driver's router, idle after the traffic
        WireReport.Idle idle = idle(pid[0]);
        ns.removePhase("k");
        for (int d = 0; d < drivers.size(); d++) {
            ns.removePhase(TAGS.get(d));
        }
        return idle;
    }

    /** The first driver's srv6sh topology and its router alone, measured idle from its start on. */
    private WireReport.Idle idleOnly(Namespaces ns, Path dir) throws WireException, IOException {
        String driver = settings.drivers().getFirst();
        say("srv6sh: building " + ns.prefix() + "-s* and starting the router (driver " + driver + ")");
        String[] s = topology(ns, "s");
        srv6shVeths(ns, s[1], driver, "in", "out");
        Process router = startRouter(ns, dir, s[1], "rtr", WirePlan.router(driver), WirePlan.LOCATOR);
        WireReport.Idle idle = idle(router.pid());
        ns.removePhase("s");
        return idle;
    }

    /**
     * The router {@code pid} with no traffic for the idle window, after it settled; null when no window
     * was asked.
     */
    private WireReport.Idle idle(long pid) throws WireException {
        if (settings.idleSeconds() <= 0) {
            return null;
        }
        say("srv6sh: the router idle for " + settings.idleSeconds() + " s, once its JIT and collector are quiet"
                + " (at most " + IdleMeter.SETTLE_MAX_MS / 1000 + " s)");
        // ip netns exec execs the JVM: the process started is the router's
        return IdleMeter.measure(Path.of("/proc"), pid, "rtr", settings.idleSeconds() * 1000L, WireBench::sleep);
    }

    /** The median round by delivered rate, with the lowest and highest delivered rates of all. */
    static WireReport.Row median(List<WireReport.Row> rounds) {
        List<WireReport.Row> sorted = new ArrayList<>(rounds);
        sorted.sort(java.util.Comparator.comparingDouble(WireReport.Row::deliveredPps));
        WireReport.Row m = sorted.get(sorted.size() / 2);
        return new WireReport.Row(
                m.router(),
                m.behavior(),
                m.skipped(),
                m.offered(),
                m.delivered(),
                m.seconds(),
                m.routerCpuNs(),
                m.softirqNs(),
                sorted.getFirst().deliveredPps(),
                sorted.getLast().deliveredPps(),
                m.skipped() == null ? sorted.size() : 0);
    }

    /**
     * The veths srv6sh's router binds are the router's alone: its kernel should not work on what they
     * carry. IPv6 off on them, as the netns backend does, so its kernel drops its copy of each IPv6
     * frame at once instead of routing it to find no route. With {@code af_packet} the kernel also
     * receives every IPv4 frame the packet socket does (the socket only taps the device), and routed
     * each to find forwarding off: an nftables netdev ingress chain dropping everything, which runs
     * after the packet taps, ends that (ip4-forward went from 0.63–0.65× the kernel to 0.75–0.99×, the
     * softirq time per packet from 2.2–2.3 µs to 1.6–1.8 µs, three runs each interleaved). With {@code
     * af_xdp} the XDP program takes every frame before the kernel sees it.
     */
    private static void srv6shVeths(Namespaces ns, String rns, String driver, String... devices) throws WireException {
        for (String d : devices) {
            ns.in(rns, "sysctl", "-qw", "net.ipv6.conf." + d + ".disable_ipv6=1");
            if (!AF_XDP.equals(driver)) {
                ns.in(rns, "nft", "add", "table", "netdev", "srv6sh_" + d);
                ns.in(
                        rns,
                        "nft",
                        "add",
                        "chain",
                        "netdev",
                        "srv6sh_" + d,
                        "in",
                        "{ type filter hook ingress device \"" + d + "\" priority 0; policy drop; }");
            }
        }
    }

    /** Starts {@code srv6sh router} on {@code config} in {@code rns} and waits until it serves. */
    private Process startRouter(
            Namespaces ns, Path dir, String rns, String name, DataplaneConfig config, Prefix locator)
            throws WireException, IOException {
        // files named by the namespace: each driver's router of a name has its own state and log
        Path boot = dir.resolve(rns + ".json");
        Files.writeString(boot, AgentJson.write(new RouterBoot(config, locator)), StandardCharsets.UTF_8);
        List<String> cmd;
        try {
            cmd = new ArrayList<>(RouterLauncher.srv6sh(rns));
        } catch (ProviderException e) {
            throw new WireException(e.getMessage());
        }
        cmd.addAll(List.of(
                "router",
                "--config",
                boot.toString(),
                "--name",
                name,
                "--state",
                dir.resolve(rns + "-state").toString(),
                "--ssh",
                "127.0.0.1:0",
                "--authorized-keys",
                dir.resolve("authorized_keys").toString(),
                "--host-key",
                dir.resolve(rns + "-host-key").toString()));
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus > 1 && name.equals("rtr")) {
            // the cases' router: its data plane on the last CPU, trafgen's worker on CPU 0 (trafgen pins
            // it there): a real-time thread woken by a frame otherwise runs on the CPU of the soft
            // interrupt that woke it, the generator's, while another CPU idles (ThreadAffinity). Not the
            // two TCP routers, which would share that CPU while the hosts' is the other: measured, TCP
            // through them fell from 1.1-1.9 to 0.8-1.1 Gbit/s pinned.
            cmd.addAll(List.of("--cpus", Integer.toString(cpus - 1)));
        }
        Path log = dir.resolve(rns + ".log");
        Process p = ns.start(cmd, log);
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (true) {
            String text = read(log);
            if (text.contains("running (pid")) {
                return p;
            }
            if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                throw new WireException("srv6sh router " + name + (p.isAlive() ? " did not start in time" : " stopped")
                        + "; its log:\n" + text.strip().indent(2));
            }
            sleep(100);
        }
    }

    /** One case: trafgen for the settle time and the window, counters read at the window's ends. */
    private WireReport.Row measure(String router, String c, String[] t, Path dir, long pid, int round)
            throws WireException {
        say("round " + round + ", " + router + ": " + c + " for " + settings.millis() + " ms");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", t[0]));
        cmd.addAll(priority());
        cmd.addAll(List.of(
                "trafgen",
                "--dev",
                "eth0",
                "--conf",
                dir.resolve(c + ".cfg").toString(),
                "--cpus",
                "1",
                "--no-cpu-stats",
                "--notouch-irq"));
        Path log = dir.resolve("trafgen-" + router.replace('/', '-') + "-" + c + ".log");
        Process gen;
        try {
            gen = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new WireException("cannot start trafgen: " + e.getMessage());
        }
        try {
            sleep(SETTLE_MS);
            if (!gen.isAlive()) {
                throw new WireException("trafgen stopped (exit " + gen.exitValue() + "): "
                        + read(log).strip());
            }
            long offered0 = offered(t[0]);
            // the window is the time between the two readings of the sink's counter, each taken as the
            // middle of its read (a process in the namespace: tens of ms on a loaded machine)
            long r0 = System.nanoTime();
            long delivered0 = counter(t[2], "eth0", "rx_packets");
            long n0 = (r0 + System.nanoTime()) / 2;
            long cpu0 = pid > 0 ? Machine.processTicks(pid) : 0;
            long soft0 = Machine.softirqTicks();
            sleep(settings.millis());
            long offered1 = offered(t[0]);
            long r1 = System.nanoTime();
            long delivered1 = counter(t[2], "eth0", "rx_packets");
            long n1 = (r1 + System.nanoTime()) / 2;
            long cpu1 = pid > 0 ? Machine.processTicks(pid) : 0;
            long soft1 = Machine.softirqTicks();
            double seconds = (n1 - n0) / 1e9;
            long delivered = delivered1 - delivered0;
            double perTick = 1e9 / Machine.TICKS_PER_SECOND;
            double soft = delivered > 0 ? (soft1 - soft0) * perTick / delivered : 0;
            double cpu = pid > 0 ? (delivered > 0 ? (cpu1 - cpu0) * perTick / delivered : 0) : soft;
            double pps = delivered / seconds;
            return new WireReport.Row(router, c, null, offered1 - offered0, delivered, seconds, cpu, soft, pps, pps, 1);
        } finally {
            Namespaces.stop(gen, 3_000);
            String left = Namespaces.quiet("ip", "netns", "pids", t[0]).out().strip();
            if (!left.isEmpty()) { // nothing else runs in the generator's namespace: a case's traffic ends with it
                throw new WireException("trafgen did not stop (pids " + left.replace('\n', ' ') + " in " + t[0] + ")");
            }
        }
    }

    /** {@code ip netns exec ns} and the command, at the generator's priority ({@link #priority}). */
    private List<String> inNs(String ns, String... cmd) {
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        out.addAll(priority());
        out.addAll(List.of(cmd));
        return out;
    }

    /**
     * What trafgen and iperf3 run under: {@code nice -n -20}, the fair class's heaviest weight. The
     * kernel forwards in the generator's own context (the veth hands each frame to the router's stack
     * inside trafgen's transmit), so a generator at nice 0 while srv6sh's data plane thread is
     * real-time ({@code ThreadNice}) lost the kernel its CPU to the machine's other work: at load
     * average 18, the kernel's median round fell to 14,000-28,500 packets per second while srv6sh
     * forwarded 172,000. The real-time class for trafgen too ({@code chrt -f 1}) stalled it in the
     * srv6sh runs (it spins on its ring at the router thread's priority): not used.
     */
    private List<String> priority() {
        return List.of("nice", "-n", "-20");
    }

    /**
     * iperf3 from h1 to h2 through two routers: the kernel's ({@code driver} null) or srv6sh's on
     * {@code driver}, in namespaces tagged {@code tag}.
     */
    private WireReport.Tcp tcp(Namespaces ns, Path dir, String driver, String tag) throws WireException, IOException {
        boolean srv6sh = driver != null;
        String router = srv6sh ? srv6sh(driver) : "kernel";
        String path = srv6sh ? "H.Encaps then End.DX4" : "plain IPv4 forwarding";
        if (srv6sh && AF_XDP.equals(driver) && !onPath("ethtool")) {
            return new WireReport.Tcp(
                    router,
                    path,
                    "ethtool not installed: af_xdp on veth needs the hosts' checksum offload off (ethtool -K eth0 tx off)",
                    0,
                    0);
        }
        say(router + ": TCP for " + settings.tcpSeconds() + " s (" + ns.prefix() + "-" + tag + "*)");
        String h1 = ns.add(tag + "h1");
        String r1 = ns.add(tag + "r1");
        String r2 = ns.add(tag + "r2");
        String h2 = ns.add(tag + "h2");
        ns.veth(h1, "eth0", WirePlan.H1_MAC.toString(), r1, "host", WirePlan.R1A_MAC.toString(), 1500);
        ns.veth(
                r1,
                "core",
                WirePlan.R1B_MAC.toString(),
                r2,
                "core",
                WirePlan.R2B_MAC.toString(),
                WirePlan.coreMtu(srv6sh ? driver : ""));
        ns.veth(r2, "host", WirePlan.R2A_MAC.toString(), h2, "eth0", WirePlan.H2_MAC.toString(), 1500);
        host(ns, h1, WirePlan.H1 + "/26", "198.51.100.2", WirePlan.R1A_MAC);
        host(ns, h2, WirePlan.H2 + "/26", "203.0.113.1", WirePlan.R2A_MAC);
        if (srv6sh && AF_XDP.equals(driver)) {
            // a veth hands its peer's frames to XDP as they are, with the TCP checksum a host left to
            // offload still blank (AF_PACKET's virtio_net_hdr says so; XDP has no such field): the
            // hosts compute theirs, as behind a real NIC every frame on the wire has one
            ns.in(h1, "ethtool", "-K", "eth0", "tx", "off");
            ns.in(h2, "ethtool", "-K", "eth0", "tx", "off");
        }
        if (srv6sh) {
            srv6shVeths(ns, r1, driver, "host", "core");
            srv6shVeths(ns, r2, driver, "host", "core");
            startRouter(ns, dir, r1, "r1", WirePlan.tcpRouter(1, driver), WirePlan.tcpLocator(1));
            startRouter(ns, dir, r2, "r2", WirePlan.tcpRouter(2, driver), WirePlan.tcpLocator(2));
        } else {
            kernelTcpRouter(ns, r1, "198.51.100.2/26", "198.51.100.65/26", "203.0.113.0/26", "198.51.100.66");
            kernelTcpRouter(ns, r2, "203.0.113.1/26", "198.51.100.66/26", "198.51.100.0/26", "198.51.100.65");
        }
        Process server = ns.start(
                inNs(h2, "iperf3", "-s", "-1", "-B", WirePlan.H2), dir.resolve("iperf3-server-" + tag + ".log"));
        try {
            String json = null;
            String last = "";
            for (int attempt = 0; attempt < 20 && json == null; attempt++) {
                sleep(250);
                Namespaces.Result r = Namespaces.quiet(
                        inNs(h1, "iperf3", "-c", WirePlan.H2, "-t", Integer.toString(settings.tcpSeconds()), "-J")
                                .toArray(String[]::new));
                last = r.out();
                if (r.exit() == 0) {
                    json = r.out();
                } else if (!r.out().contains("Connection refused") && !r.out().contains("unable to connect")) {
                    break;
                }
            }
            if (json == null) {
                return new WireReport.Tcp(router, path, "iperf3 failed: " + error(last), 0, 0);
            }
            return new WireReport.Tcp(router, path, null, number(json, "sum_received", "bits_per_second"), (long)
                    number(json, "sum_sent", "retransmits"));
        } finally {
            Namespaces.stop(server, 2_000);
            ns.removePhase(tag);
        }
    }

    private static void host(Namespaces ns, String h, String address, String gateway, MacAddress gwMac)
            throws WireException {
        ns.in(h, "ip", "addr", "add", address, "dev", "eth0");
        ns.in(h, "ip", "route", "add", "default", "via", gateway);
        ns.in(h, "ip", "neigh", "replace", gateway, "lladdr", gwMac.toString(), "dev", "eth0", "nud", "permanent");
    }

    private static void kernelTcpRouter(Namespaces ns, String r, String a, String b, String far, String via)
            throws WireException {
        ns.in(r, "ip", "addr", "add", a, "dev", "host");
        ns.in(r, "ip", "addr", "add", b, "dev", "core");
        ns.in(r, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        ns.in(r, "ip", "route", "add", far, "via", via, "dev", "core");
    }

    /** A number inside iperf3's JSON: the first {@code key} after {@code section}; 0 if absent. */
    static double number(String json, String section, String key) {
        int at = json.lastIndexOf("\"" + section + "\"");
        if (at < 0) {
            return 0;
        }
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([-0-9.eE+]+)").matcher(json);
        return m.find(at) ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String error(String iperfOutput) {
        Matcher m = Pattern.compile("\"error\"\\s*:\\s*\"([^\"]*)\"").matcher(iperfOutput);
        return m.find() ? m.group(1) : iperfOutput.strip();
    }

    /**
     * What the generator's veth sent and what it dropped: a veth counts a frame its peer's backlog
     * refused as {@code tx_dropped}, not {@code tx_packets}, and it was offered all the same.
     */
    private static long offered(String gen) throws WireException {
        return counter(gen, "eth0", "tx_packets") + counter(gen, "eth0", "tx_dropped");
    }

    private static long counter(String ns, String dev, String name) throws WireException {
        String out = Namespaces.run("ip", "netns", "exec", ns, "cat", "/sys/class/net/" + dev + "/statistics/" + name);
        return Long.parseLong(out.strip());
    }

    private void say(String line) {
        if (progress != null) {
            progress.println(line);
            progress.flush();
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long ms) throws WireException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WireException("interrupted");
        }
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: left to the system
        }
    }
}
