package dev.srv6sh.shell.wire;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * What one wire benchmark run measured: a row per router and case, a line per TCP path, the idle
 * router (null when not measured), and the goals of issue 14 with what this run says about them. Rendered as a text table, or written as JSON
 * ({@code --output json}, through the agent's JSON encoding).
 */
public record WireReport(
        String cpu,
        String kernel,
        String loadAverage,
        String driver,
        double seconds,
        List<Row> rows,
        List<Tcp> tcp,
        Idle idle,
        List<String> goals) {

    /** Issue 14's goal for an idle router daemon: under this share of one core, in percent. */
    public static final double IDLE_GOAL_PERCENT = 1.0;

    /**
     * One case through one router. {@code skipped} says why nothing was measured (null when it was).
     * {@code routerCpuNs} is the router's CPU time per delivered packet: for srv6sh its process's
     * user + system time ({@code /proc/PID/stat}), for the kernel the machine's softirq time
     * ({@code /proc/stat}), where the kernel forwards; {@code softirqNs} is the softirq time per
     * packet in both runs (for srv6sh, the veths' own work on either side of the router). Of
     * {@code rounds} rounds, the median by delivered rate; {@code lowPps} and {@code highPps} are
     * the lowest and highest delivered rates of all.
     */
    public record Row(
            String router,
            String behavior,
            String skipped,
            long offered,
            long delivered,
            double seconds,
            double routerCpuNs,
            double softirqNs,
            double lowPps,
            double highPps,
            int rounds) {
        public double offeredPps() {
            return seconds > 0 ? offered / seconds : 0;
        }

        public double deliveredPps() {
            return seconds > 0 ? delivered / seconds : 0;
        }
    }

    /** TCP goodput (iperf3, receiver's side) between the two hosts through two routers. */
    public record Tcp(String router, String path, String skipped, double bitsPerSecond, long retransmits) {}

    /**
     * The srv6sh router with no traffic ({@link IdleMeter}): {@code skipped} says why nothing was
     * measured (null when it was). Over a window of {@code seconds}, which opened after {@code
     * settleSeconds} ({@code settled} false: the JIT or the collector still worked when the most the
     * bench waits ran out): {@code ticks} of the process's utime + stime ({@code /proc/PID/stat}, all
     * threads), {@code cpuPercent} the same as a share of one core (the goal's figure, to 10 ms a
     * tick), {@code runPercent} the threads' run time from {@code schedstat} to the nanosecond (-1
     * where the kernel keeps none), {@code wakeupsPerSecond} all threads' voluntary context switches,
     * and the threads that ran or woke.
     */
    public record Idle(
            String skipped,
            double seconds,
            double settleSeconds,
            boolean settled,
            long ticks,
            double cpuPercent,
            double runPercent,
            double wakeupsPerSecond,
            List<IdleThread> threads) {
        static Idle skipped(String why) {
            return new Idle(why, 0, 0, false, 0, 0, -1, 0, List.of());
        }
    }

    /**
     * One thread of the idle router that ran or woke in the window: its name (15 characters, as the
     * kernel keeps it), its role ({@link IdleMeter#role}), its share of one core and its wake-ups.
     */
    public record IdleThread(String name, String role, double cpuPercent, double wakeupsPerSecond) {}

    /** The row of {@code router}'s {@code behavior}, measured, or null. */
    public Row row(String router, String behavior) {
        return rows.stream()
                .filter(r -> r.router().equals(router) && r.behavior().equals(behavior) && r.skipped() == null)
                .findFirst()
                .orElse(null);
    }

    public Tcp tcp(String router) {
        return tcp.stream()
                .filter(t -> t.router().equals(router) && t.skipped() == null)
                .findFirst()
                .orElse(null);
    }

    /** The text table. */
    public void print(PrintWriter out) {
        if (rows.isEmpty()) {
            out.printf("Wire benchmark: gen -> router -> sink on veth, the idle router only, driver %s%n", driver);
        } else {
            out.printf(
                    "Wire benchmark: gen -> router -> sink on veth, trafgen on 1 CPU, %.1f s per case, drivers %s%n",
                    seconds, driver);
        }
        out.printf("CPU %s, kernel %s, load average %s%n", cpu, kernel, loadAverage);
        if (!rows.isEmpty()) {
            printRows(out);
        }
        if (!tcp.isEmpty()) {
            out.println();
            out.println("TCP goodput, iperf3 h1 -> h2 through two routers, hosts at MTU 1500:");
            for (Tcp t : tcp) {
                if (t.skipped() != null) {
                    out.printf("  %-17s %-22s %s%n", t.router(), t.path(), t.skipped());
                } else {
                    out.printf(
                            Locale.ROOT,
                            "  %-17s %-22s %8.0f Mbit/s  (%d retransmits)%n",
                            t.router(),
                            t.path(),
                            t.bitsPerSecond() / 1e6,
                            t.retransmits());
                }
            }
        }
        if (idle != null) {
            out.println();
            printIdle(out);
        }
        if (!goals.isEmpty()) {
            out.println();
            out.println("Goals (issue 14):");
            goals.forEach(g -> out.println("  " + g));
        }
        out.flush();
    }

    private void printRows(PrintWriter out) {
        out.printf(
                "%-12s %-17s %12s %14s %17s %9s %14s %15s%n",
                "case",
                "router",
                "offered pps",
                "delivered pps",
                "(lowest-highest)",
                "× kernel",
                "router ns/pkt",
                "softirq ns/pkt");
        Row base = row("kernel", WirePlan.PLAIN);
        for (Row r : rows) {
            if (r.skipped() != null) {
                out.printf("%-12s %-17s %s%n", r.behavior(), r.router(), r.skipped());
                continue;
            }
            out.printf(
                    Locale.ROOT,
                    "%-12s %-17s %12.0f %14.0f %17s %9s %14.0f %15.0f%n",
                    r.behavior(),
                    r.router(),
                    r.offeredPps(),
                    r.deliveredPps(),
                    String.format(Locale.ROOT, "(%.0f-%.0f)", r.lowPps(), r.highPps()),
                    base == null || base.deliveredPps() == 0
                            ? "?"
                            : String.format(Locale.ROOT, "%.2f", r.deliveredPps() / base.deliveredPps()),
                    r.routerCpuNs(),
                    r.softirqNs());
        }
        out.println(
                "(the median of " + rows.stream().mapToInt(Row::rounds).max().orElse(0)
                        + " rounds, kernel and srv6sh taking turns; × kernel: delivered pps ÷ the kernel's plain IPv4"
                        + " forwarding; router ns/pkt: srv6sh's process CPU, for the kernel the machine's softirq CPU,"
                        + " per delivered packet)");
    }

    private void printIdle(PrintWriter out) {
        if (idle.skipped() != null) {
            out.println("Idle router: not measured: " + idle.skipped());
            return;
        }
        out.printf(
                Locale.ROOT,
                "Idle router (%s): srv6sh router configured, no traffic, %.1f s after %.1f s of settling%s:%n",
                driver.split(",")[0],
                idle.seconds(),
                idle.settleSeconds(),
                idle.settled() ? "" : " (the JIT or the collector still worked when the bench stopped waiting)");
        out.printf(
                Locale.ROOT,
                "  process CPU %.2f%% of a core (utime+stime, %d ticks of 10 ms)%s, %.1f wake-ups/s%n",
                idle.cpuPercent(),
                idle.ticks(),
                idle.runPercent() >= 0
                        ? String.format(Locale.ROOT, "; threads' run time %.3f%%", idle.runPercent())
                        : "",
                idle.wakeupsPerSecond());
        out.printf("  %-19s %8s %11s  %s%n", "role", "CPU %", "wake-ups/s", "threads that ran or woke (wake-ups/s)");
        java.util.Map<String, List<IdleThread>> byRole = new java.util.LinkedHashMap<>();
        for (IdleThread t : idle.threads()) {
            byRole.computeIfAbsent(t.role(), x -> new java.util.ArrayList<>()).add(t);
        }
        for (var e : byRole.entrySet()) {
            java.util.Map<String, Double> names = new java.util.LinkedHashMap<>();
            for (IdleThread t : e.getValue()) {
                names.merge(t.name(), t.wakeupsPerSecond(), Double::sum);
            }
            List<String> shown = names.entrySet().stream()
                    .map(n -> String.format(Locale.ROOT, "%s %.1f", n.getKey(), n.getValue()))
                    .toList();
            out.printf(
                    Locale.ROOT,
                    "  %-19s %8.3f %11.1f  %s%n",
                    e.getKey(),
                    e.getValue().stream().mapToDouble(IdleThread::cpuPercent).sum(),
                    e.getValue().stream()
                            .mapToDouble(IdleThread::wakeupsPerSecond)
                            .sum(),
                    String.join(", ", shown.size() > 5 ? shown.subList(0, 5) : shown)
                            + (shown.size() > 5 ? ", ..." : ""));
        }
    }

    /**
     * The goals as this run measured them: End.DX4 against the kernel's plain forwarding for
     * each driver (≥ 1.5× with af_xdp, ≥ 1.0× with the others), TCP through two routers of each
     * driver against the kernel's (≥ 0.5×), and the idle router (< 1% of a core).
     */
    static List<String> goals(List<Row> rows, List<Tcp> tcp, Idle idle, List<String> drivers) {
        WireReport r = new WireReport("", "", "", String.join(",", drivers), 0, rows, tcp, null, List.of());
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        Row k = r.row("kernel", WirePlan.PLAIN);
        for (String d : drivers) {
            Row s = r.row(WireBench.srv6sh(d), WirePlan.DX4);
            double target = d.equals("af_xdp") ? 1.5 : 1.0;
            if (k != null && s != null && k.deliveredPps() > 0) {
                out.add(goal(
                        String.format(Locale.ROOT, "srv6sh End.DX4 ≥ %.1f× kernel IPv4 forwarding (%s)", target, d),
                        s.deliveredPps() / k.deliveredPps(),
                        target));
            }
        }
        Tcp kt = r.tcp("kernel");
        for (String d : drivers) {
            Tcp st = r.tcp(WireBench.srv6sh(d));
            if (kt != null && st != null && kt.bitsPerSecond() > 0) {
                out.add(goal(
                        "TCP through two srv6sh routers ≥ 0.5× the kernel (" + d + ")",
                        st.bitsPerSecond() / kt.bitsPerSecond(),
                        0.5));
            }
        }
        if (idle != null && idle.skipped() == null) {
            out.add(String.format(
                    Locale.ROOT,
                    "%-55s %.2f%%: %s",
                    "Idle router daemon < " + IDLE_GOAL_PERCENT + "% of a core (" + drivers.getFirst() + ")",
                    idle.cpuPercent(),
                    idle.cpuPercent() < IDLE_GOAL_PERCENT
                            ? "met"
                            : String.format(
                                    Locale.ROOT,
                                    "missed by %.0f%%",
                                    (idle.cpuPercent() / IDLE_GOAL_PERCENT - 1) * 100)));
        }
        return out;
    }

    private static String goal(String what, double ratio, double target) {
        return String.format(
                Locale.ROOT,
                "%-55s %.2f×: %s",
                what,
                ratio,
                ratio >= target ? "met" : String.format(Locale.ROOT, "missed by %.0f%%", (1 - ratio / target) * 100));
    }
}
