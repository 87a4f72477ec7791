package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.cloud.HostHandle;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings the emulation's hot code to compiled speed before the first real measurement. Each router
 * run is charged to the virtual clock at its measured cost, so that cost shows in every RTT; it must
 * be the data plane's steady state, not the JVM interpreting or half-compiling the graph (measured
 * here: ~15 µs per run cold, ~0.7 µs once the JIT has settled, which takes some 200,000 runs). Once
 * per JVM, a scratch topology runs the same nodes, fabric and host code as a script would, echoes and
 * UDP, in rounds, until a round's cost per run is no longer falling; then it is discarded.
 */
final class Warmup {
    /** Rounds at least and at most; each is a 20 ms UDP flow at 1 Gbit/s and 100 echoes (~3,800 runs). */
    static final int MIN_ROUNDS = 40;

    static final int MAX_ROUNDS = 200;
    /** Rounds compared: the median cost of the last WINDOW rounds against that of the WINDOW before. */
    private static final int WINDOW = 8;

    private static final int ECHOES = 100;
    /** Every this many rounds, from the first, a trace at rb (replayed: nothing is in flight). */
    private static final int TRACE_EVERY = 4;

    /** Between two echoes of the warm-up, in virtual time: more than a round trip of its topology. */
    private static final Duration SPACING = Duration.ofNanos(200_000);

    private static volatile boolean done;

    private Warmup() {}

    /**
     * What a warm-up did: rounds run, echoes answered, the last round's cost per router run (ns),
     * packets through the End with PSP, and packets traced.
     */
    record Result(int rounds, int answered, double lastCostNanos, long psp, int traced) {}

    static synchronized void once() {
        if (done) {
            return;
        }
        done = true;
        try {
            run(MIN_ROUNDS, MAX_ROUNDS);
        } catch (ProviderException | dev.srv6sh.dataplane.agent.AgentException e) {
            // a warm-up that cannot run leaves the JIT to warm up on real traffic; nothing else depends on it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs rounds through the scratch topology until the median cost per router run of the last
     * {@link #WINDOW} rounds is within 5% of the {@link #WINDOW} before (at least {@code minRounds},
     * at most {@code maxRounds}). A round: a UDP flow through three routers (H.Encaps through an End
     * with PSP, so the End.DX4 at the end decapsulates a packet without SRH), echoes through three (out
     * through an End without PSP with H.Encaps.Red, so End.DX4 finds an SRH; back as the flow), a tenth
     * as many on the direct path (the internet gateways' NAT, no router), and every {@link
     * #TRACE_EVERY} rounds a trace of two packets at rb. Each is a branch of code every router shares
     * (the decapsulation's header walk, the engine's loop with a trace armed, a port that sends at
     * once, as the trace's replay engine's do): a branch the warm-up never took is compiled as a trap,
     * and the first script that takes it would throw the compiled graph away and run its next
     * measurements on slower code until the JIT has compiled it again.
     */
    static Result run(int minRounds, int maxRounds)
            throws ProviderException, dev.srv6sh.dataplane.agent.AgentException, InterruptedException {
        CloudSpec spec = new CloudSpec(
                List.of(
                        new CloudSpec.Region("a", "local", null),
                        new CloudSpec.Region("b", "local", null),
                        new CloudSpec.Region("c", "local", null)),
                List.of(
                        new CloudSpec.Rtt("a", "b", Duration.ofNanos(1_000)),
                        new CloudSpec.Rtt("a", "c", Duration.ofNanos(1_000)),
                        new CloudSpec.Rtt("b", "c", Duration.ofNanos(1_000))),
                List.of(
                        new CloudSpec.Vpc("va", "a", Prefix.parse("192.0.2.0/24"), null, null),
                        new CloudSpec.Vpc("vb", "b", Prefix.parse("198.51.100.0/24"), null, null),
                        new CloudSpec.Vpc("vc", "c", Prefix.parse("203.0.113.0/24"), null, null)),
                List.of(new CloudSpec.Host("ha", "va", null, "", null), new CloudSpec.Host("hb", "vb", null, "", null)),
                List.of(
                        new CloudSpec.Router("ra", "va", null, "", null, List.of(Prefix.parse("198.51.100.0/24"))),
                        new CloudSpec.Router("rb", "vb", null, "", null, List.of(Prefix.parse("192.0.2.0/24"))),
                        new CloudSpec.Router("rc", "vc", null, "", null, List.of())));
        try (LocalDeployment d = new LocalDeployment(spec)) {
            Inet6Address sa = sid(d, "ra");
            Inet6Address sb = sid(d, "rb");
            Inet6Address transit = sid(d, "rc");
            Inet6Address penultimate = (Inet6Address)
                    d.router("rc").locator().host(BigInteger.valueOf(0xe0).shiftLeft(32));
            // out through rc's End with H.Encaps.Red, back through its End with PSP with H.Encaps: every
            // node a script uses, End.DX4 with and without an SRH
            d.router("ra").configure(program(d, "ra", sa, "ha", List.of(transit, sb), RED, "198.51.100.0/24"));
            d.router("rb").configure(program(d, "rb", sb, "hb", List.of(penultimate, sa), ENCAP, "192.0.2.0/24"));
            DataplaneConfig c = d.router("rc").base();
            d.router("rc")
                    .configure(new DataplaneConfig(
                            "rc",
                            c.interfaces(),
                            c.routes(),
                            c.neighbors(),
                            List.of(
                                    new DataplaneConfig.Sid("e", transit, "End", Map.of()),
                                    new DataplaneConfig.Sid("p", penultimate, "End", Map.of())
                                            .withFlavors(Set.of(DataplaneConfig.Flavor.PSP))),
                            List.of(),
                            List.of(),
                            c.encap(),
                            c.srDomain()));
            HostHandle ha = d.host("ha");
            HostHandle hb = d.host("hb");
            List<LocalRouter> routers =
                    d.routerNames().stream().map(n -> (LocalRouter) d.router(n)).toList();
            double[] cost = new double[maxRounds];
            int answered = 0;
            int traced = 0;
            int round = 0;
            while (round < maxRounds && !settled(cost, round, minRounds)) {
                // UDP takes branches echoes do not (ports in the flow hash, the sink): compiled now, they
                // do not deoptimize the echo path in the middle of a campaign
                hb.udp(ha, ha.address(), new HostHandle.UdpFlow(1_000_000_000L, 1400, Duration.ofMillis(20)));
                long busy = busy(routers);
                long runs = runs(routers);
                // one echo at a time, as a measurement sends them (not one vector of thousands); a tenth
                // as many on the direct path, whose NAT and public addresses 'direct' baselines use
                answered += answered(ha.ping(hb.address(), ECHOES, SPACING, 56, Duration.ofSeconds(1)));
                answered += answered(ha.ping(hb.publicAddress(), ECHOES / 10, SPACING, 56, Duration.ofSeconds(1)));
                cost[round] = (busy(routers) - busy) / (double) Math.max(1, runs(routers) - runs);
                if (round % TRACE_EVERY == 0) {
                    var t = d.router("rb").agent().trace(2, Duration.ZERO);
                    traced += t.live().size() + t.replayed().size();
                }
                round++;
            }
            long psp = d.router("rc").agent().counters().sids().stream()
                    .filter(x -> x.sid().equals("p"))
                    .mapToLong(dev.srv6sh.dataplane.agent.Counters.SidStats::packets)
                    .sum();
            return new Result(round, answered, round == 0 ? Double.NaN : cost[round - 1], psp, traced);
        }
    }

    private static long busy(List<LocalRouter> routers) {
        return routers.stream().mapToLong(LocalRouter::busyNanos).sum();
    }

    private static long runs(List<LocalRouter> routers) {
        return routers.stream().mapToLong(LocalRouter::runs).sum();
    }

    /** Whether the echoes' cost per run has stopped falling: the last window's median within 5% of the one before. */
    private static boolean settled(double[] cost, int rounds, int minRounds) {
        if (rounds < Math.max(minRounds, 2 * WINDOW)) {
            return false;
        }
        return median(cost, rounds - WINDOW) >= 0.95 * median(cost, rounds - 2 * WINDOW);
    }

    private static double median(double[] cost, int from) {
        double[] w = java.util.Arrays.copyOfRange(cost, from, from + WINDOW);
        java.util.Arrays.sort(w);
        return (w[WINDOW / 2 - 1] + w[WINDOW / 2]) / 2;
    }

    private static int answered(List<HostHandle.Probe> probes) {
        return (int) probes.stream().filter(HostHandle.Probe::answered).count();
    }

    /** Function 0xd4 of the router's locator: the warm-up's (and tests') End.DX4 SID. */
    static Inet6Address sid(Deployment d, String router) {
        return (Inet6Address)
                d.router(router).locator().host(BigInteger.valueOf(0xd4).shiftLeft(32));
    }

    static final DataplaneConfig.PolicyMode ENCAP = DataplaneConfig.PolicyMode.ENCAP;
    static final DataplaneConfig.PolicyMode RED = DataplaneConfig.PolicyMode.ENCAP_RED;

    /**
     * A minimal SRv6 program: End.DX4 at {@code own} towards {@code host}, and {@code steer} into a
     * policy of {@code mode} along {@code path}.
     */
    static DataplaneConfig program(
            Deployment d,
            String router,
            Inet6Address own,
            String host,
            List<Inet6Address> path,
            DataplaneConfig.PolicyMode mode,
            String steer) {
        DataplaneConfig b = d.router(router).base();
        return new DataplaneConfig(
                router,
                b.interfaces(),
                b.routes(),
                b.neighbors(),
                List.of(new DataplaneConfig.Sid(
                        "dx4",
                        own,
                        "End.DX4",
                        Map.of("nh", DataplaneConfig.Arg.of(d.host(host).address())))),
                List.of(new DataplaneConfig.Policy(
                        "out", null, mode, List.of(new DataplaneConfig.SegmentList(1, path)))),
                List.of(new DataplaneConfig.Steer(0, Prefix.parse(steer), "out")),
                b.encap(),
                b.srDomain());
    }
}
