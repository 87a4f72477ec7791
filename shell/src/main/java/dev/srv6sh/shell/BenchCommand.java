package dev.srv6sh.shell;

import dev.srv6sh.dataplane.bench.PacketBench;
import dev.srv6sh.dataplane.bench.Workload;
import dev.srv6sh.shell.wire.WireBench;
import dev.srv6sh.shell.wire.WireException;
import dev.srv6sh.shell.wire.WirePlan;
import dev.srv6sh.shell.wire.WireReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code srv6sh bench}: packet rates of the data plane, measured on this machine's CPU through a real
 * engine (the same cases as the JMH benchmark DataplaneBench).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure the data plane's packet rate per behavior and headend on one core.",
            "Each case sends vectors of packets through a real engine (receive copy, every graph node,"
                    + " transmit) and reports Mpps, ns per packet, cycles per packet (from the CPU clock in"
                    + " /proc/cpuinfo) and bytes allocated per packet, then checks them against the performance goals (docs/performance.md)."
        },
        footer = {
            "",
            "Examples:",
            "  srv6sh bench                                  every case, vectors of 1 and 256, 64-byte packets",
            "  srv6sh bench --behavior End.DX4 --vector 256 --size 64,1500",
            "  sudo srv6sh bench --wire                       kernel against srv6sh on veths, 3 rounds of 3 s, TCP 5 s",
            "  sudo srv6sh bench --wire --driver af_xdp --time 10000 --tcp 10 --output json",
            "  sudo srv6sh bench --wire --idle-only --idle 30    the idle router alone: its CPU over 30 s",
            "",
            "--wire builds namespaces gen -> router -> sink twice (the Linux kernel forwarding, then srv6sh"
                    + " router on the veths), sends the same trafgen frames through each (ip4-forward, End.DX4,"
                    + " H.Encaps), counts what the sink's veth receives, and measures TCP with iperf3 through"
                    + " two routers of each; then it measures srv6sh's router with no traffic (--idle: its"
                    + " process's CPU and which of its threads woke); it needs root, trafgen (Debian's netsniff-ng) and iperf3, and"
                    + " removes everything it made when it ends (docs/performance.md, Wire speed).",
            "",
            "Exit codes: 0 measured, 2 bad arguments, 3 a case did not forward every packet"
                    + " (--wire: the benchmark could not run)."
        })
final class BenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-b", "--behavior"},
            split = ",",
            paramLabel = "B",
            description = "cases to run (default: all): ip6-forward, ip4-forward, H.Encaps, End, End.DX4, ...")
    List<String> behaviors = new ArrayList<>();

    @Option(
            names = {"-v", "--vector"},
            split = ",",
            paramLabel = "N",
            description = "vector sizes, 1 to 256 (default: 1,256)")
    List<Integer> vectors = new ArrayList<>(List.of(1, 256));

    @Option(
            names = {"-s", "--size"},
            split = ",",
            paramLabel = "BYTES",
            description = "IP packet sizes (default: 64); a case's SRv6 headers raise the smallest it can send")
    List<Integer> sizes = new ArrayList<>(List.of(Workload.SMALL));

    @Option(
            names = "--time",
            paramLabel = "MS",
            description = "measurement per case in ms (default: 500; with --wire 3000, per round and router)")
    Integer millis;

    @Option(
            names = "--wire",
            description = "kernel against srv6sh router on veths, with trafgen and iperf3 (root; see below)")
    boolean wire;

    @Option(
            names = "--driver",
            paramLabel = "D",
            description = "--wire: the drivers of srv6sh's ports, each a router of its own in the same run, comma"
                    + " separated: af_packet, af_packet_v3, af_xdp (default: af_packet,af_xdp)")
    String driver = "af_packet,af_xdp";

    @Option(
            names = "--tcp",
            paramLabel = "S",
            description = "--wire: seconds of iperf3 through two routers each way of forwarding (default: 5; 0: none)")
    int tcpSeconds = 5;

    @Option(
            names = "--rounds",
            paramLabel = "N",
            description =
                    "--wire: rounds of every case, kernel and srv6sh taking turns; the median is reported (default: 3)")
    int rounds = 3;

    @Option(
            names = "--idle",
            paramLabel = "S",
            description = "--wire: seconds of srv6sh's router with no traffic, after the cases, once it settled"
                    + " (default: 10; 0: none)")
    int idleSeconds = 10;

    @Option(
            names = "--idle-only",
            description = "--wire: start srv6sh's router and measure it idle, no traffic and no TCP")
    boolean idleOnly;

    @Option(names = "--output", paramLabel = "FORMAT", description = "--wire: text (default) or json")
    String output = "text";

    @Option(names = "--warmup", paramLabel = "MS", description = "warm-up per case in ms (default: 500)")
    int warmupMillis = 500;

    @Option(names = "--runtime", description = "after each case, print its per-node runtime (as show runtime)")
    boolean runtime;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (wire) {
            return wire(out, err);
        }
        if (millis == null) {
            millis = 500;
        }
        List<String> cases = behaviors.isEmpty() ? Workload.names() : behaviors;
        for (int v : vectors) {
            if (v < 1 || v > 256) {
                err.println("srv6sh bench: vector size must be 1 to 256, not " + v);
                return 2;
            }
        }
        for (int s : sizes) {
            if (s < 20 || s > 1800) {
                err.println("srv6sh bench: packet size must be 20 to 1800 bytes, not " + s);
                return 2;
            }
        }
        if (millis < 1 || warmupMillis < 0) {
            err.println("srv6sh bench: --time must be positive and --warmup not negative");
            return 2;
        }
        List<Workload> workloads = new ArrayList<>();
        try {
            for (String c : cases) {
                for (int s : sizes) {
                    workloads.add(Workload.of(c, s));
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("srv6sh bench: " + e.getMessage());
            return 2;
        }
        double ghz = PacketBench.cpuGhz();
        out.printf(
                "CPU %s, %s, Java %s, one core%n",
                PacketBench.cpuModel(),
                Double.isNaN(ghz) ? "clock unknown" : String.format(Locale.ROOT, "%.2f GHz", ghz),
                Runtime.version());
        out.printf(
                Locale.ROOT,
                "%-18s %6s %7s %9s %9s %11s %9s %9s%n",
                "case",
                "vector",
                "frame B",
                "Mpps",
                "ns/pkt",
                "cycles/pkt",
                "alloc B",
                "× ip6-fwd");
        out.flush();
        Map<String, PacketBench.Result> results = new LinkedHashMap<>();
        for (Workload w : workloads) {
            for (int v : vectors) {
                PacketBench.Result r;
                String table;
                try (PacketBench b = new PacketBench(w, v)) {
                    r = b.measure(warmupMillis * 1_000_000L, millis * 1_000_000L);
                    table = runtime ? b.counters().runtimeTable() : null;
                } catch (IllegalStateException e) {
                    err.println("srv6sh bench: " + e.getMessage());
                    return 3;
                }
                String ipKey = key("ip6-forward", v, w.frameBytes());
                results.put(key(w.name(), v, w.frameBytes()), r);
                PacketBench.Result base = baseline(results, v, w);
                out.printf(
                        Locale.ROOT,
                        "%-18s %6d %7d %9.2f %9.1f %11s %9.2f %9s%n",
                        w.name(),
                        v,
                        w.frameBytes(),
                        r.mpps(),
                        r.nsPerPacket(),
                        Double.isNaN(ghz) ? "?" : String.format(Locale.ROOT, "%.0f", r.cyclesPerPacket()),
                        r.bytesPerPacket(),
                        base == null || ipKey.equals(key(w.name(), v, w.frameBytes()))
                                ? ""
                                : String.format(Locale.ROOT, "%.2f", r.mpps() / base.mpps()));
                if (table != null) {
                    out.println(table.indent(4));
                }
                out.flush();
            }
        }
        goals(out, results, ghz);
        return 0;
    }

    /** {@code --wire}: the kernel against srv6sh on veths ({@link WireBench}). */
    private int wire(PrintWriter out, PrintWriter err) {
        long ms = millis == null ? 3_000 : millis;
        if (ms < 100 || tcpSeconds < 0 || rounds < 1 || idleSeconds < 0) {
            err.println("srv6sh bench: --wire needs --time of at least 100 ms, --rounds of at least 1, and --tcp and"
                    + " --idle not negative");
            return 2;
        }
        if (idleOnly && idleSeconds == 0) {
            err.println("srv6sh bench: --idle-only measures the idle router: --idle must be at least 1 second");
            return 2;
        }
        if (!output.equals("text") && !output.equals("json")) {
            err.println("srv6sh bench: --output is text or json, not '" + output + "'");
            return 2;
        }
        List<String> cases = new ArrayList<>();
        for (String b : behaviors.isEmpty() ? WirePlan.CASES : behaviors) {
            String c = WirePlan.CASES.stream()
                    .filter(k -> k.equalsIgnoreCase(b))
                    .findFirst()
                    .orElse(null);
            if (c == null) {
                err.println("srv6sh bench: --wire has no case '" + b + "'; its cases are "
                        + String.join(", ", WirePlan.CASES));
                return 2;
            }
            cases.add(c);
        }
        List<String> drivers = new ArrayList<>();
        for (String d : driver.split(",")) {
            String t = d.strip();
            if (!List.of("af_packet", "af_packet_v3", "af_xdp").contains(t) || drivers.contains(t)) {
                err.println("srv6sh bench: --wire --driver takes af_packet, af_packet_v3 and af_xdp, each once,"
                        + " comma separated; not '" + driver + "'");
                return 2;
            }
            drivers.add(t);
        }
        if (!isRoot()) {
            err.println("srv6sh bench: --wire needs root (it makes network namespaces and veths): run it with sudo");
            return 3;
        }
        List<String> missing = WireBench.missingTools(drivers);
        if (!missing.isEmpty()) {
            err.println("srv6sh bench: --wire needs " + String.join(" and ", missing) + ", not installed"
                    + " (Debian: apt-get install netsniff-ng iperf3 iproute2 nftables)");
            return 3;
        }
        WireReport report;
        try {
            report = new WireBench(
                            new WireBench.Settings(drivers, ms, rounds, tcpSeconds, cases, idleSeconds, idleOnly),
                            output.equals("json") ? err : out)
                    .run();
        } catch (WireException e) {
            err.println("srv6sh bench: --wire: " + e.getMessage());
            return 3;
        }
        if (output.equals("json")) {
            out.println(dev.srv6sh.dataplane.agent.AgentJson.write(report));
            out.flush();
        } else {
            out.println();
            report.print(out);
        }
        return 0;
    }

    /** Effective uid 0, from /proc/self/status (the property says who logged in, not who we run as). */
    private static boolean isRoot() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (java.io.IOException e) {
            return false;
        }
        return false;
    }

    private static String key(String name, int vector, int frame) {
        return name.toLowerCase(Locale.ROOT) + "/" + vector + "/" + frame;
    }

    /** The plain IPv6 forwarding result of the same vector size and the nearest packet size. */
    private PacketBench.Result baseline(Map<String, PacketBench.Result> results, int vector, Workload w) {
        PacketBench.Result best = null;
        for (PacketBench.Result r : results.values()) {
            if (r.name().equals("ip6-forward") && r.vector() == vector) {
                if (best == null
                        || Math.abs(r.frameBytes() - w.frameBytes()) < Math.abs(best.frameBytes() - w.frameBytes())) {
                    best = r;
                }
            }
        }
        return best;
    }

    /** The performance goals of docs/performance.md, for whatever of them this run measured. */
    private void goals(PrintWriter out, Map<String, PacketBench.Result> results, double ghz) {
        List<String> lines = new ArrayList<>();
        for (PacketBench.Result r : results.values()) {
            if (r.vector() == 256 && List.of("H.Encaps", "End", "End.DX4").contains(r.name()) && !Double.isNaN(ghz)) {
                double c = r.cyclesPerPacket();
                lines.add(String.format(
                        Locale.ROOT,
                        "%-40s %s (%.0f cycles/packet)",
                        r.name() + " " + r.frameBytes() + " B at 256: ≤ 200 cycles",
                        c <= 200 ? "met" : "missed by " + String.format(Locale.ROOT, "%.0f%%", (c / 200 - 1) * 100),
                        c));
            }
            if (r.allocatedBytes() > 0) {
                lines.add(String.format(
                        Locale.ROOT,
                        "%-40s missed (%.3f B/packet)",
                        r.name() + " allocates nothing",
                        r.bytesPerPacket()));
            }
        }
        double worst = Double.MAX_VALUE;
        String worstName = null;
        for (PacketBench.Result r : results.values()) {
            PacketBench.Result base = results.get(key("ip6-forward", r.vector(), r.frameBytes()));
            if (!r.name().endsWith("-forward")) {
                base = null;
                for (PacketBench.Result b : results.values()) {
                    if (b.name().equals("ip6-forward")
                            && b.vector() == r.vector()
                            && b.frameBytes() <= r.frameBytes()) {
                        base = b;
                    }
                }
            }
            if (base != null && base != r && !r.name().endsWith("-forward")) {
                double ratio = r.mpps() / base.mpps();
                if (ratio < worst) {
                    worst = ratio;
                    worstName = r.name() + " at " + r.vector();
                }
            }
        }
        if (worstName != null) {
            lines.add(String.format(
                    Locale.ROOT,
                    "%-40s %s (lowest: %s, %.2f×)",
                    "every behavior ≥ 0.85× ip6-forward",
                    worst >= 0.85 ? "met" : "missed",
                    worstName,
                    worst));
        }
        double worstScale = Double.MAX_VALUE;
        String scaleName = null;
        for (PacketBench.Result r : results.values()) {
            PacketBench.Result one = results.get(key(r.name(), 1, r.frameBytes()));
            if (r.vector() == 256 && one != null) {
                double s = r.mpps() / one.mpps();
                if (s < worstScale) {
                    worstScale = s;
                    scaleName = r.name();
                }
            }
        }
        if (scaleName != null) {
            lines.add(String.format(
                    Locale.ROOT,
                    "%-40s %s (lowest: %s, %.1f×)",
                    "256-vectors ≥ 3× the rate of 1-vectors",
                    worstScale >= 3 ? "met" : "missed",
                    scaleName,
                    worstScale));
        }
        if (!lines.isEmpty()) {
            out.println();
            out.println("Goals:");
            lines.forEach(l -> out.println("  " + l));
        }
        out.flush();
    }
}
