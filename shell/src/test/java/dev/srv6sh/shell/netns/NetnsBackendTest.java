package dev.srv6sh.shell.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.srv6sh.cloud.Provider;
import dev.srv6sh.cloud.Providers;
import dev.srv6sh.cloud.StateFile;
import dev.srv6sh.cloud.netns.Leftovers;
import dev.srv6sh.shell.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The netns backend end to end: real namespaces, kernel hosts, {@code srv6sh router} daemons on
 * AF_PACKET driven over SSH. Root, iproute2, nftables and iputils' ping are needed (and iperf3 for
 * throughput): without them the tests are skipped, and fail under {@code CI=true}.
 */
class NetnsBackendTest {

    @BeforeAll
    static void needsRootAndTools() {
        String missing = missing();
        if (missing != null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(missing + "; CI must have it (.ci/run installs the tools)");
            }
            Assumptions.abort(missing);
        }
    }

    private static String missing() {
        try {
            if (!Files.readString(Path.of("/proc/self/status")).matches("(?s).*\\nUid:\\s+\\d+\\s+0\\s.*")) {
                return "the netns backend needs root";
            }
        } catch (IOException e) {
            return "cannot read /proc/self/status";
        }
        for (String tool : List.of("ip", "nft", "ping")) {
            if (!Files.isExecutable(Path.of("/usr/sbin", tool))
                    && !Files.isExecutable(Path.of("/usr/bin", tool))
                    && !Files.isExecutable(Path.of("/sbin", tool))
                    && !Files.isExecutable(Path.of("/bin", tool))) {
                return "'" + tool + "' is not installed";
            }
        }
        return null;
    }

    private record Run(int exit, String out, String err) {}

    private static synchronized Run capture(Supplier<Integer> command) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            Integer code = command.get();
            return new Run(
                    code == null ? -1 : code,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("scripts"))) {
            p = p.getParent();
        }
        return p;
    }

    private static String sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** No namespace, root link, process or directory is left with {@code prefix}. */
    private static void assertGone(String prefix) throws Exception {
        assertThat(Leftovers.find(prefix).isEmpty())
                .as("leftovers of " + prefix + ": " + Leftovers.find(prefix))
                .isTrue();
        assertThat(sh("ip", "netns", "list")).doesNotContain(prefix + "-");
        assertThat(sh("ip", "-o", "link", "show")).doesNotContain(prefix);
        assertThat(sh("ps", "-eo", "args")).doesNotContain("netns/" + prefix);
    }

    /** Where a netns deployment keeps its files: {@code $SRV6SH_HOME/netns/PREFIX} (~/.srv6sh by default). */
    private static Path deploymentDir(String prefix) {
        String h = System.getenv("SRV6SH_HOME");
        Path home = h != null && !h.isBlank() ? Path.of(h) : Path.of(System.getProperty("user.home"), ".srv6sh");
        return home.resolve("netns").resolve(prefix);
    }

    /**
     * Whether {@code prefix} is another run's, made on this machine while the test ran: its directory
     * names a live owner that is not this JVM (a deployment writes its owner before it makes a
     * namespace, and its namespaces go before its directory), or {@code kept} (an apply that
     * finished). A prefix with no owner left is this test's to answer for.
     */
    private static boolean someoneElses(String prefix) {
        try {
            String owner =
                    Files.readString(deploymentDir(prefix).resolve("owner")).strip();
            if (owner.equals("kept")) {
                return true; // an apply that finished: this test's run keeps nothing
            }
            long pid = Long.parseLong(owner);
            return pid != ProcessHandle.current().pid()
                    && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static List<String> prefixesNow() throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : sh("ip", "netns", "list").split("\n")) {
            String n = line.strip().split("\\s+")[0];
            if (n.matches("s6[0-9a-f]{4}-.*") && !out.contains(n.substring(0, 6))) {
                out.add(n.substring(0, 6));
            }
        }
        return out;
    }

    @Test
    void quickstartRunsOnNetnsAndLeavesNothing(@TempDir Path home) throws Exception {
        List<String> before = prefixesNow();
        Path script = home.resolve("qs.srv6");
        String qs = quickstart();
        Files.writeString(
                script,
                qs
                        + """

                        let d = ping pc -> lc direct count 10
                        print "srv6 mean " + r.rtt.mean
                        print "direct mean " + d.rtt.mean
                        print "srv6 hop limit " + r.hoplimit
                        show sids pr
                        show counters lr
                        trace lr 1
                        """);
        Run r = capture(() -> Main.execute(new String[] {"run", "--backend", "netns", script.toString()}));
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("10 received, 0% loss").contains("End.DX4");
        // the trace shows a packet: a live one (lr's own ARP refresh, say) or, with nothing in flight,
        // lr's last frames replayed on a copy of its data plane in memory, though lr itself is bound
        // to af_packet devices (that copy was given lr's bindings, and the trace failed, exit 3)
        assertThat(r.out()).contains("trace lr: ").contains("Packet 1 (");
        // as on local: 64 less one for each router (H.Encaps at lr, End.DX4 at pr); the VPC's gateway,
        // as AWS's VPC router, is not a hop (the bridge hands the frame to the router's interface)
        assertThat(r.out()).contains("srv6 hop limit 62");
        // the link daemon delays Paris-London as local's table does: 9.435 ms. Both paths' means measured
        // within 2% + 1 ms of it (SRv6 10.2-10.6 ms, direct 9.6-9.7 ms: docs/netns.md, "RTTs against the
        // table"), but on a loaded machine one echo on either can take 15-75 ms (what is still in the
        // kernel's fair class: its deferred packet processing, the hosts' stacks; a run at load 10.5
        // had a direct mean of 16.5 ms), which moves a mean of ten by a millisecond or more: held to
        // 2% + 5 ms here, so that this test fails on a link or router that is slow, not on one slow
        // echo. The campaign's 2% + 1 ms is measured, with its load, in docs/netns.md
        assertThat(mean(r.out(), "direct")).as(r.out()).isCloseTo(9.435, within(9.435 * 0.02 + 5));
        assertThat(mean(r.out(), "srv6")).as(r.out()).isCloseTo(9.435, within(9.435 * 0.02 + 5));
        List<String> made = new ArrayList<>(prefixesNow());
        made.removeAll(before);
        // what another run made and took away meanwhile is gone too: only what is left counts
        made.removeIf(p -> someoneElses(p) || Leftovers.find(p).isEmpty());
        assertThat(made).as("a run's deployment ends with it").isEmpty();
    }

    /**
     * scripts/quickstart.srv6 with its two VPCs' CIDRs replaced, in order, by 198.51.100.0/25 and
     * 198.51.100.128/25: these tests build real interfaces, so with the documentation addresses tests
     * may use; the script is otherwise the quickstart, as a user runs it.
     */
    private static String quickstart() throws IOException {
        String qs = Files.readString(root().resolve("scripts/quickstart.srv6"));
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("cidr [0-9./]+").matcher(qs);
        java.util.Iterator<String> doc =
                List.of("cidr 198.51.100.0/25", "cidr 198.51.100.128/25").iterator();
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            assertThat(doc.hasNext()).as("the quickstart has two VPCs").isTrue();
            m.appendReplacement(sb, doc.next());
        }
        m.appendTail(sb);
        assertThat(doc.hasNext()).as("the quickstart has two VPCs").isFalse();
        return sb.toString();
    }

    /** The quickstart in documentation space, written to {@code dir}. */
    private static String quickstartFile(Path dir) throws IOException {
        Path f = dir.resolve("quickstart.srv6");
        Files.writeString(f, quickstart());
        return f.toString();
    }

    /** The milliseconds of the line {@code "WHAT mean 9.61ms"} (or µs, s) the script printed. */
    private static double mean(String out, String what) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + what + " mean ([0-9.]+) ?(µs|us|ms|s)$")
                .matcher(out);
        assertThat(m.find()).as("a line '" + what + " mean ...' in:\n" + out).isTrue();
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "s" -> v * 1000;
            case "ms" -> v;
            default -> v / 1000;
        };
    }

    @Test
    void throughputUdpAndTcpRunIperf3BetweenTheHostsThroughTheRouters(@TempDir Path home) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/iperf3"))) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("iperf3 is not installed; CI must have it (.ci/run installs it)");
            }
            Assumptions.abort("iperf3 is not installed (apt-get install iperf3)");
        }
        Path script = home.resolve("tp.srv6");
        String qs = quickstart();
        Files.writeString(
                script,
                qs
                        + """

                let u = measure throughput udp pc -> lc for 1s rate 20Mbps
                print u
                expect u.packets > 0
                expect u.bytes > 0B
                let t = measure throughput tcp pc -> lc for 1s streams 2
                print t
                expect t.rate > 0Mbps
                expect t.bytes > 0B
                expect t.retransmits >= 0
                expect t.streams == 2
                show counters pr
                """);
        Run r = capture(() -> Main.execute(new String[] {"run", "--backend", "netns", script.toString()}));
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .contains("udp pc -> lc: ")
                .contains(" datagrams, ")
                .contains("tcp pc -> lc: ")
                .contains("2 streams, ")
                .contains(" retransmits")
                // both ends' SYNs crossed an H.Encaps (pr's, then lr's for the SYN-ACK), which lowered
                // their MSS to what fits the 1500-byte transit: no segment had to be refused (the
                // refusal, Fragmentation Needed, is KernelSeg6InteropTest's and PacketTooBigTest's)
                .contains(dev.srv6sh.dataplane.agent.Counters.MSS_CLAMPED);
        // the one-off iperf3 servers are gone with the run
        assertThat(sh("ps", "-eo", "args")).doesNotContain("iperf3 -s -1 -J");
    }

    @Test
    void planSaysWhatTheLinkModelDoes(@TempDir Path dir) throws Exception {
        String qs = quickstartFile(dir);
        Run p = capture(() -> Main.execute(new String[] {"plan", "--backend", "netns", qs}));
        assertThat(p.exit()).as(p.out() + p.err()).isZero();
        assertThat(p.out()).contains("Plan: 8 to add").contains("local backend's RTTs");
    }

    @Test
    void applyThenDestroyInAnotherStepLeavesNothing(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state.json");
        String qs = quickstartFile(dir);
        Run a = capture(() -> Main.execute(
                new String[] {"apply", "--backend", "netns", "--state", state.toString(), "--auto-approve", qs}));
        assertThat(a.exit()).as(a.out() + a.err()).isZero();
        String prefix = StateFile.read(state).deployment();
        try {
            assertThat(prefix).matches("s6[0-9a-f]{4}");
            assertThat(sh("ip", "netns", "list")).contains(prefix + "-r-pr", prefix + "-h-pc", prefix + "-g-pv");
            assertThat(sh("ip", "netns", "pids", prefix + "-r-pr").strip()).isNotEmpty();
            assertThat(sh("ip", "netns", "pids", prefix + "-links").strip())
                    .as("the link daemon outlives the apply")
                    .isNotEmpty();
            // the deployment outlived the apply: the kernel hosts reach each other through the routers
            assertThat(sh(
                            "ip",
                            "netns",
                            "exec",
                            prefix + "-h-pc",
                            "ping",
                            "-n",
                            "-c",
                            "3",
                            "-i",
                            "0.2",
                            "-W",
                            "2",
                            "198.51.100.138"))
                    .contains("3 received");
            // the router namespace's kernel dropped its copy of what the daemon forwarded, at ingress
            // (after the packet taps: the pings above went through the daemon all the same)
            String drops = sh("ip", "netns", "exec", prefix + "-r-pr", "nft", "list", "table", "netdev", "srv6sh");
            if (!drops.contains("table netdev srv6sh")) {
                // a kernel without nftables' netdev family: the deployment went on and says why
                Path note = deploymentDir(prefix).resolve("routers/pr/no-kernel-drop");
                assertThat(note)
                        .as("no drop table, and no word of why: " + drops)
                        .exists();
                System.err.println("NetnsBackendTest: the kernel drop is not tested here: " + Files.readString(note));
            }
            for (String dev :
                    drops.contains("table netdev srv6sh") ? List.of("inside", "transit") : List.<String>of()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                                "chain " + dev + " \\{[^}]*counter packets (\\d+)")
                        .matcher(drops);
                assertThat(m.find())
                        .as("a drop counter on " + dev + ": " + drops)
                        .isTrue();
                assertThat(Long.parseLong(m.group(1)))
                        .as("frames the kernel dropped on " + dev + ": " + drops)
                        .isPositive();
            }
            // no static neighbor anywhere: every namespace learnt what it knows with ARP and ND (the
            // routers' own tables, learnt the same way, are in their data planes, not in a kernel)
            for (String ns : sh("ip", "netns", "list").split("\n")) {
                String name = ns.strip().split("\\s+")[0];
                if (name.startsWith(prefix + "-")) {
                    assertThat(sh("ip", "-n", name, "neigh", "show", "nud", "permanent")
                                    .strip())
                            .as("static neighbors in " + name)
                            .isEmpty();
                }
            }
            // a host sends at most its instance type's bandwidth, as local's Instance (a host's default
            // type, t3.micro: up to 5 Gbit/s): the kernel's tbf on its interface
            assertThat(sh("tc", "-n", prefix + "-h-pc", "qdisc", "show", "dev", "eth0"))
                    .contains("tbf")
                    .contains("rate 5Gbit");
        } catch (Throwable t) { // a failed check leaves no deployment behind either
            capture(() -> Main.execute(
                    new String[] {"destroy", "--backend", "netns", "--state", state.toString(), "--auto-approve", qs}));
            throw t;
        }
        Run d = capture(() -> Main.execute(
                new String[] {"destroy", "--backend", "netns", "--state", state.toString(), "--auto-approve", qs}));
        assertThat(d.exit()).as(d.out() + d.err()).isZero();
        assertGone(prefix);
        Run again = capture(() -> Main.execute(
                new String[] {"destroy", "--backend", "netns", "--state", state.toString(), "--auto-approve", qs}));
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("Nothing is deployed");
        // a crash's leftover: a namespace with the prefix, which a destroy of that deployment removes
        sh("ip", "netns", "add", prefix + "-h-crashed");
        // and a namespace with a prefix this SRV6SH_HOME has no directory for: another user's, left alone
        String foreign = "s6" + Integer.toHexString(0x1000 | (prefix.hashCode() & 0x0fff) ^ 0x0aaa);
        sh("ip", "netns", "add", foreign + "-h-theirs");
        try {
            try (Provider p = Providers.create("netns")) {
                p.adopt(prefix);
                p.destroy();
            }
            assertGone(prefix);
            assertThat(sh("ip", "netns", "list")).contains(foreign + "-h-theirs");
        } finally {
            sh("ip", "netns", "del", foreign + "-h-theirs");
        }
    }
}
