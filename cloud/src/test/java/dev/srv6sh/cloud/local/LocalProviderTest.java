package dev.srv6sh.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.cloud.HostHandle;
import dev.srv6sh.cloud.Plan;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The local backend end to end, with hand-written router programs (the interpreter's job in a run). */
class LocalProviderTest {

    @Test
    void planNamesEveryChangeAndReapplyIsANoOp() throws Exception {
        try (LocalProvider p = new LocalProvider()) {
            Plan first = p.plan(AddressPlanTest.twoVpcs());
            assertThat(first.count(Plan.Action.CREATE)).isEqualTo(8);
            assertThat(first.summary()).isEqualTo("Plan: 8 to add, 0 to change, 0 to destroy.");
            Deployment d = p.apply(first);
            Plan again = p.plan(AddressPlanTest.twoVpcs());
            assertThat(again.isEmpty()).isTrue();
            assertThat(p.apply(again)).isSameAs(d);
            CloudSpec s = AddressPlanTest.twoVpcs();
            CloudSpec fewer =
                    new CloudSpec(s.regions(), s.rtts(), s.vpcs(), s.hosts().subList(0, 1), s.routers());
            Plan shrink = p.plan(fewer);
            assertThat(shrink.changes()).extracting(Plan.Change::toString).containsExactly("- host lc");
            p.destroy();
            assertThat(p.deployment()).isNull();
            assertThat(p.observe()).isEqualTo(CloudSpec.empty());
        }
    }

    @Test
    void pingCrossesTwoSrv6RoutersWithTheEmulatedDelay() throws Exception {
        try (LocalProvider p = new LocalProvider()) {
            Deployment d = p.apply(p.plan(AddressPlanTest.twoVpcs()));
            Inet6Address prDx4 = sid(d, "pr", 0xd4);
            Inet6Address lrDx4 = sid(d, "lr", 0xd4);
            d.router("pr").configure(program(d, "pr", prDx4, "pc", lrDx4, "10.12.0.0/16"));
            d.router("lr").configure(program(d, "lr", lrDx4, "lc", prDx4, "10.11.0.0/16"));
            HostHandle pc = d.host("pc");
            List<HostHandle.Probe> probes =
                    pc.ping(d.host("lc").address(), 5, Duration.ofMillis(20), 56, Duration.ofSeconds(2));
            assertThat(probes).allMatch(HostHandle.Probe::answered);
            for (HostHandle.Probe pr : probes) {
                // 9.435 ms emulated round trip plus the routers' and the loop's own time
                assertThat(pr.rttNanos()).isBetween(9_435_000L, 9_435_000L + 5_000_000L);
                // 64 at lc; the reply is decremented by lr's H.Encaps and pr's End.DX4
                assertThat(pr.hopLimit()).isEqualTo(62);
            }
            assertThat(d.router("pr").counters()).isNotBlank();
        }
    }

    @Test
    void withoutSteeringNothingComesBack() throws Exception {
        try (LocalProvider p = new LocalProvider()) {
            Deployment d = p.apply(p.plan(AddressPlanTest.twoVpcs()));
            List<HostHandle.Probe> probes =
                    d.host("pc").ping(d.host("lc").address(), 2, Duration.ofMillis(10), 56, Duration.ofMillis(200));
            assertThat(probes).noneMatch(HostHandle.Probe::answered);
        }
    }

    private static Inet6Address sid(Deployment d, String router, int function) {
        return (Inet6Address) d.router(router)
                .locator()
                .host(java.math.BigInteger.valueOf(function).shiftLeft(32));
    }

    private static DataplaneConfig program(
            Deployment d, String router, Inet6Address own, String host, Inet6Address remote, String steer) {
        DataplaneConfig b = d.router(router).base();
        List<DataplaneConfig.Sid> sids = new ArrayList<>();
        sids.add(new DataplaneConfig.Sid(
                "dx4",
                own,
                DataplaneConfig.Behavior.END_DX4,
                d.host(host).address(),
                null,
                0,
                null,
                java.util.Set.of(),
                false));
        return new DataplaneConfig(
                router,
                b.interfaces(),
                b.routes(),
                b.neighbors(),
                sids,
                List.of(new DataplaneConfig.Policy(
                        "out",
                        sid(d, router, 0xb5),
                        DataplaneConfig.PolicyMode.ENCAP,
                        List.of(new DataplaneConfig.SegmentList(1, List.of(remote))))),
                List.of(new DataplaneConfig.Steer(0, Prefix.parse(steer), "out")),
                b.encap());
    }
}
