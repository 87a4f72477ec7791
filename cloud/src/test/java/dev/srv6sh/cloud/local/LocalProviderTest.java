package dev.srv6sh.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.cloud.HostHandle;
import dev.srv6sh.cloud.Plan;
import java.net.Inet6Address;
import java.time.Duration;
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
            Inet6Address prDx4 = Warmup.sid(d, "pr");
            Inet6Address lrDx4 = Warmup.sid(d, "lr");
            d.router("pr")
                    .configure(Warmup.program(d, "pr", prDx4, "pc", List.of(lrDx4), Warmup.ENCAP, "10.12.0.0/16"));
            d.router("lr")
                    .configure(Warmup.program(d, "lr", lrDx4, "lc", List.of(prDx4), Warmup.ENCAP, "10.11.0.0/16"));
            HostHandle pc = d.host("pc");
            List<HostHandle.Probe> probes =
                    pc.ping(d.host("lc").address(), 5, Duration.ofMillis(20), 56, Duration.ofSeconds(2));
            assertThat(probes).allMatch(HostHandle.Probe::answered);
            // 64 at lc; the reply is decremented by lr's H.Encaps and pr's End.DX4
            assertThat(probes).allMatch(probe -> probe.hopLimit() == 62);
            // the emulated 9.435 ms is there, once, with ±50 µs of jitter, the detour host -> router ->
            // host at each end (4 x 25 µs), and the four router runs' measured cost: positive, and
            // (thread CPU time, not the machine's load) far below a millisecond
            assertThat(probes).allSatisfy(probe -> assertThat(probe.rttNanos() - LinkModelTest.PARIS_LONDON - 100_000)
                    .isBetween(-50_000L, 1_000_000L));
            LocalRouter pr = (LocalRouter) d.router("pr");
            assertThat(pr.runs()).isEqualTo(10); // each echo's request out and reply in
            assertThat(pr.busyNanos()).isPositive();
            var c = d.router("pr").agent().counters();
            assertThat(c.sids()).singleElement().satisfies(s -> assertThat(s.packets())
                    .isEqualTo(5));
            assertThat(c.dropped()).isZero();
            assertThat(((LocalDeployment) d).emulationFailures()).isZero();
        }
    }

    /** A host's traffic to its own addresses loops back inside it, as a kernel's does: no VPC, no time. */
    @Test
    void aHostReachesItsOwnAddressesWithoutTheVpc() throws Exception {
        try (LocalProvider p = new LocalProvider(false)) {
            Deployment d = p.apply(p.plan(AddressPlanTest.twoVpcs()));
            HostHandle pc = d.host("pc");
            for (var target : List.of(pc.address(), pc.address6())) {
                List<HostHandle.Probe> probes = pc.ping(target, 3, Duration.ofMillis(10), 56, Duration.ofSeconds(1));
                assertThat(probes).as("%s", target).allSatisfy(probe -> {
                    assertThat(probe.rttNanos()).isZero();
                    assertThat(probe.hopLimit()).isEqualTo(EmulatedHost.DEFAULT_TTL);
                });
            }
            HostHandle.UdpReport r =
                    pc.udp(pc, pc.address(), new HostHandle.UdpFlow(100_000_000L, 1400, Duration.ofMillis(100)));
            assertThat(r.sent()).isPositive();
            assertThat(r.received()).isEqualTo(r.sent());
            assertThat(r.lost()).isZero();
        }
    }

    @Test
    void srv6FromTheInsideSubnetIsOutsideTheSrDomain() throws Exception {
        try (LocalProvider p = new LocalProvider()) {
            Deployment d = p.apply(p.plan(AddressPlanTest.twoVpcs()));
            Inet6Address prDx4 = Warmup.sid(d, "pr");
            d.router("pr")
                    .configure(Warmup.program(d, "pr", prDx4, "pc", List.of(prDx4), Warmup.ENCAP, "10.12.0.0/16"));
            var domain = d.router("pr").base().srDomain();
            assertThat(domain.edgeInterfaces()).containsExactly("inside");
            assertThat(domain.trustedSources()).isEmpty();
            // the program the router runs keeps the edge its topology gave it (MalformedTest m24: what it does)
            assertThat(d.router("pr").agent().running().config().srDomain()).isEqualTo(domain);
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
}
