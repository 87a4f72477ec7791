package dev.srv6sh.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.cloud.HostHandle;
import dev.srv6sh.cloud.HostHandle.UdpFlow;
import dev.srv6sh.cloud.HostHandle.UdpReport;
import dev.srv6sh.dataplane.Counters;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The local backend's traffic model end to end, in real time: the direct path through the internet
 * gateways' NAT, UDP flows through the SRv6 routers, and the AWS rate limits (set low here so that a
 * second of traffic shows them).
 */
class LinkModelTest {
    private static final long MBPS = 1_000_000;

    private static Deployment deploy(LocalProvider p) throws Exception {
        Deployment d = p.apply(p.plan(AddressPlanTest.twoVpcs()));
        Inet6Address prDx4 = Warmup.sid(d, "pr");
        Inet6Address lrDx4 = Warmup.sid(d, "lr");
        d.router("pr").configure(Warmup.program(d, "pr", prDx4, "pc", List.of(lrDx4), Warmup.ENCAP, "10.12.0.0/16"));
        d.router("lr").configure(Warmup.program(d, "lr", lrDx4, "lc", List.of(prDx4), Warmup.ENCAP, "10.11.0.0/16"));
        return d;
    }

    private static long routerRx(Deployment d) throws Exception {
        long n = 0;
        for (String r : d.routerNames()) {
            Counters c = d.router(r).counters();
            n += c.port("inside").rxPackets() + c.port("transit").rxPackets();
        }
        return n;
    }

    private static double rate(UdpReport r) {
        return r.bytes() * 8.0 / (r.duration().toNanos() / 1e9);
    }

    @Test
    void everyHostHasAPublicAddressFromDocumentationSpace() throws Exception {
        try (LocalProvider p = new LocalProvider(LinkModel.AWS)) {
            Deployment d = deploy(p);
            assertThat(Addresses.format(d.host("pc").publicAddress())).isEqualTo("198.51.100.1");
            assertThat(Addresses.format(d.host("lc").publicAddress())).isEqualTo("198.51.100.2");
        }
    }

    @Test
    void aDirectPingCrossesTheInternetGatewaysAndNoRouter() throws Exception {
        try (LocalProvider p = new LocalProvider(LinkModel.AWS)) {
            Deployment d = deploy(p);
            long before = routerRx(d);
            HostHandle lc = d.host("lc");
            List<HostHandle.Probe> probes =
                    d.host("pc").ping(lc.publicAddress(), 5, Duration.ofMillis(20), 56, Duration.ofSeconds(2));
            assertThat(probes).allMatch(HostHandle.Probe::answered);
            assertThat(probes).allMatch(x -> x.hopLimit() == 64); // no router decremented it
            long fastest =
                    probes.stream().mapToLong(HostHandle.Probe::rttNanos).min().orElseThrow();
            assertThat(fastest).isBetween(9_435_000L, 2 * 9_435_000L);
            assertThat(routerRx(d)).isEqualTo(before);
            assertThat(((EmulatedHost) lc).badChecksum.get()).isZero();
        }
    }

    @Test
    void hostsAnswerIcmpv6EchoOnTheirVpcsIpv6Block() throws Exception {
        try (LocalProvider p = new LocalProvider(LinkModel.AWS)) {
            Deployment d = deploy(p);
            long before = routerRx(d);
            HostHandle lc = d.host("lc");
            assertThat(lc.address6()).isNotNull();
            assertThat(d.vpc("lv").ipv6().contains(lc.address6())).isTrue();
            List<HostHandle.Probe> probes =
                    d.host("pc").ping(lc.address6(), 4, Duration.ofMillis(20), 56, Duration.ofSeconds(2));
            assertThat(probes).allMatch(HostHandle.Probe::answered);
            assertThat(probes).allMatch(x -> x.hopLimit() == 64); // IPv6 crosses no SRv6 router
            long fastest =
                    probes.stream().mapToLong(HostHandle.Probe::rttNanos).min().orElseThrow();
            assertThat(fastest).isBetween(9_435_000L, 2 * 9_435_000L);
            assertThat(routerRx(d)).isEqualTo(before);
            assertThat(((EmulatedHost) lc).echoesAnswered.get()).isEqualTo(4);
        }
    }

    @Test
    void aTraceShowsNewPacketsLiveAndFillsInOnlyWithOlderOnes() throws Exception {
        try (LocalProvider p = new LocalProvider(LinkModel.AWS)) {
            Deployment d = deploy(p);
            HostHandle pc = d.host("pc");
            HostHandle lc = d.host("lc");
            // before the trace: two echoes, so lr receives two requests and two replies
            assertThat(pc.ping(lc.address(), 2, Duration.ofMillis(10), 56, Duration.ofSeconds(2)))
                    .allMatch(HostHandle.Probe::answered);
            Thread later = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(150);
                    pc.ping(lc.address(), 3, Duration.ofMillis(20), 56, Duration.ofSeconds(2));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            var traces = d.router("lr").trace(20, Duration.ofMillis(900));
            later.join();
            // three echoes while armed: six packets live; the rest from before, none of them twice
            assertThat(traces.live()).hasSize(6);
            assertThat(traces.replayed()).hasSize(4);
            assertThat(traces.live().getFirst().nodes()).contains("end-dx4");
        }
    }

    @Test
    void icmpv6EchoFramesCarryAValidChecksumAndABadOneIsRefused() {
        var a = MacAddress.parse("02:00:00:00:00:01");
        var b = MacAddress.parse("02:00:00:00:00:02");
        var from = Addresses.parse6("2001:db8:0:100::10");
        var to = Addresses.parse6("2001:db8:0:200::10");
        byte[] request = Icmp6Frames.echoRequest(a, b, from, to, 64, 0x5300, 7, 56);
        assertThat(Icmp6Frames.validIcmp6(request)).isTrue();
        assertThat(Icmp6Frames.type(request)).isEqualTo(128);
        byte[] reply = Icmp6Frames.reply(request, b, a, 64);
        assertThat(Icmp6Frames.validIcmp6(reply)).isTrue();
        assertThat(Icmp6Frames.type(reply)).isEqualTo(129);
        assertThat(Icmp6Frames.sequence(reply)).isEqualTo(7);
        assertThat(java.util.Arrays.copyOfRange(reply, 14 + 8, 14 + 24)).isEqualTo(to.getAddress());
        reply[reply.length - 1] ^= 1;
        assertThat(Icmp6Frames.validIcmp6(reply)).isFalse();
    }

    @Test
    void aUdpFlowThroughTheRoutersArrivesWholeInOrderAtTheOfferedRate() throws Exception {
        try (LocalProvider p = new LocalProvider(LinkModel.AWS)) {
            Deployment d = deploy(p);
            HostHandle lc = d.host("lc");
            UdpReport r = d.host("pc").udp(lc, lc.address(), new UdpFlow(10 * MBPS, 1_400, Duration.ofSeconds(1)));
            assertThat(r.sent()).isEqualTo(892); // 10 Mbit/s of 11,200-bit datagrams for a second
            assertThat(r.received()).isEqualTo(r.sent());
            assertThat(r.lost()).isZero();
            assertThat(r.reordered()).isZero();
            assertThat(r.duplicates()).isZero();
            assertThat(r.hopLimit()).isEqualTo(62); // pr's H.Encaps and lr's End.DX4
            assertThat(rate(r)).isBetween(9.8 * MBPS, 10.0 * MBPS);
            assertThat(d.router("lr").counters().sids().getFirst().packets()).isEqualTo(892);
        }
    }

    @Test
    void aSingleFlowBetweenRegionsIsShapedToThePerFlowLimit() throws Exception {
        try (LocalProvider p = new LocalProvider(LinkModel.AWS.withPerFlowBps(20 * MBPS))) {
            Deployment d = deploy(p);
            HostHandle lc = d.host("lc");
            UdpReport r =
                    d.host("pc").udp(lc, lc.publicAddress(), new UdpFlow(40 * MBPS, 1_400, Duration.ofSeconds(1)));
            // never above the limit; below it only when a loaded machine starves the emulation (the exact
            // rate is TokenBucketTest's, in simulated time)
            assertThat(rate(r)).isBetween(12.0 * MBPS, 21.0 * MBPS);
            assertThat(r.lost()).isPositive();
            assertThat(r.reordered()).isZero();
            assertThat(r.hopLimit()).isEqualTo(64);
            assertThat(((LocalDeployment) d).internet().flowDrops.get()).isEqualTo(r.lost());
        }
    }

    @Test
    void anInstanceIsShapedToItsBandwidth() throws Exception {
        try (LocalProvider p = new LocalProvider(LinkModel.AWS.withInstanceBps(15 * MBPS))) {
            Deployment d = deploy(p);
            HostHandle lc = d.host("lc");
            UdpReport r = d.host("pc").udp(lc, lc.address(), new UdpFlow(30 * MBPS, 1_400, Duration.ofSeconds(1)));
            assertThat(rate(r)).isBetween(9.0 * MBPS, 15.75 * MBPS); // see the per-flow test
            assertThat(r.lost()).isPositive();
            assertThat(((LocalDeployment) d).fabric("pv").shaped.get()).isEqualTo(r.lost());
        }
    }
}
