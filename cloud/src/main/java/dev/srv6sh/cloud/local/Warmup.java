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
import java.util.Set;

/**
 * Brings the emulation's hot code to compiled speed before the first real measurement. The local
 * backend reports the real time an emulated packet takes, so the routers' cost shows in every RTT;
 * that cost must be the data plane's steady state, not the JVM interpreting the graph's first few
 * thousand packets (measured here: ~1.5 ms per round trip cold, ~25 µs warm). Once per JVM, a scratch
 * two-region topology runs the same nodes, fabric and host code as a script would, then is discarded.
 */
final class Warmup {
    private static final int ROUND_TRIPS = 6000;
    private static volatile boolean done;

    private Warmup() {}

    static synchronized void once() {
        if (done) {
            return;
        }
        done = true;
        try {
            run(ROUND_TRIPS);
        } catch (ProviderException e) {
            // a warm-up that cannot run leaves the JIT to warm up on real traffic; nothing else depends on it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs {@code roundTrips} echoes through the scratch topology's routers and a third as many on the
     * direct path (public addresses, no router); returns how many came back.
     */
    static int run(int roundTrips) throws ProviderException, InterruptedException {
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
            // out through rc's End with H.Encaps.Red, back directly with H.Encaps: every node a script uses
            d.router("ra").configure(program(d, "ra", sa, "ha", List.of(transit, sb), RED, "198.51.100.0/24"));
            d.router("rb").configure(program(d, "rb", sb, "hb", List.of(sa), ENCAP, "192.0.2.0/24"));
            DataplaneConfig c = d.router("rc").base();
            d.router("rc")
                    .configure(new DataplaneConfig(
                            "rc",
                            c.interfaces(),
                            c.routes(),
                            c.neighbors(),
                            List.of(new DataplaneConfig.Sid(
                                    "e", transit, DataplaneConfig.Behavior.END, null, null, 0, null, Set.of(), false)),
                            List.of(),
                            List.of(),
                            c.encap(),
                            c.srDomain()));
            HostHandle ha = d.host("ha");
            HostHandle hb = d.host("hb");
            int through = answered(ha.ping(hb.address(), roundTrips, Duration.ZERO, 56, Duration.ofSeconds(1)));
            // the direct path's NAT and public-address routing, which 'direct' baselines compare against
            int direct =
                    answered(ha.ping(hb.publicAddress(), roundTrips / 3, Duration.ZERO, 56, Duration.ofSeconds(1)));
            return through + direct;
        }
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
                        DataplaneConfig.Behavior.END_DX4,
                        d.host(host).address(),
                        null,
                        0,
                        null,
                        Set.of(),
                        false)),
                List.of(new DataplaneConfig.Policy(
                        "out", null, mode, List.of(new DataplaneConfig.SegmentList(1, path)))),
                List.of(new DataplaneConfig.Steer(0, Prefix.parse(steer), "out")),
                b.encap(),
                b.srDomain());
    }
}
