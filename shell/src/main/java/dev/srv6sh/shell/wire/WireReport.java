package dev.srv6sh.shell.wire;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * What one wire benchmark run measured: a row per router and case, a line per TCP path, and the
 * goals of issue 14 with what this run says about them. Rendered as a text table, or written as JSON
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
        List<String> goals) {

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
        out.printf(
                "Wire benchmark: gen -> router -> sink on veth, trafgen on 1 CPU, %.1f s per case, drivers %s%n",
                seconds, driver);
        out.printf("CPU %s, kernel %s, load average %s%n", cpu, kernel, loadAverage);
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
        if (!goals.isEmpty()) {
            out.println();
            out.println("Goals (issue 14):");
            goals.forEach(g -> out.println("  " + g));
        }
        out.flush();
    }

    /** The goals this run measured, met or missed by how much. */
    /**
     * The goals as this run measured them: End.DX4 against the kernel's plain forwarding for
     * each driver (≥ 1.5× with af_xdp, ≥ 1.0× with the others), and TCP through two routers of each
     * driver against the kernel's (≥ 0.5×).
     */
    static List<String> goals(List<Row> rows, List<Tcp> tcp, List<String> drivers) {
        WireReport r = new WireReport("", "", "", String.join(",", drivers), 0, rows, tcp, List.of());
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
