package dev.srv6sh.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.cloud.HostHandle;
import dev.srv6sh.cloud.HostHandle.UdpFlow;
import dev.srv6sh.cloud.HostHandle.UdpReport;
import dev.srv6sh.dataplane.agent.CaptureFile;
import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local backend's traffic model end to end, in virtual time: the direct path through the internet
 * gateways' NAT, UDP flows through the SRv6 routers, and the AWS rate limits (set low here). Without
 * jitter and with routers that cost a fixed time per run, every figure is exact.
 */
class LinkModelTest {
    private static final long MBPS = 1_000_000;
    /** Paris-London, the measured average RTT (ns). */
    static final long PARIS_LONDON = 9_435_000;
    /** Without jitter, and every router run costing 1 µs: nothing left to chance. */
    static final LinkModel EXACT = LinkModel.AWS.withJitter(0, false);

    static LocalProvider exact() {
        return new LocalProvider(EXACT, WorkMeter.fixed(1_000));
    }

    static Deployment deploy(LocalProvider p) throws Exception {
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
            Counters c = d.router(r).agent().counters();
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
        try (LocalProvider p = exact()) {
            Deployment d = deploy(p);
            long before = routerRx(d);
            HostHandle lc = d.host("lc");
            List<HostHandle.Probe> probes =
                    d.host("pc").ping(lc.publicAddress(), 5, Duration.ofMillis(20), 56, Duration.ofSeconds(2));
            assertThat(probes).allMatch(x -> x.hopLimit() == 64); // no router decremented it
            // the configured RTT, to the nanosecond: no hop inside a VPC on the way out or in
            assertThat(probes).extracting(HostHandle.Probe::rttNanos).containsOnly(PARIS_LONDON);
            assertThat(routerRx(d)).isEqualTo(before);
            assertThat(((EmulatedHost) lc).badChecksum.get()).isZero();
        }
    }

    @Test
    void theSrv6PathCostsTheDetourThroughTheRoutersAndTheirRuns() throws Exception {
        try (LocalProvider p = exact()) {
            Deployment d = deploy(p);
            List<HostHandle.Probe> probes =
                    d.host("pc").ping(d.host("lc").address(), 5, Duration.ofMillis(20), 56, Duration.ofSeconds(2));
            // host -> router and router -> host at each end (4 x 25 µs), four router runs of 1 µs
            assertThat(probes)
                    .extracting(HostHandle.Probe::rttNanos)
                    .containsOnly(PARIS_LONDON + 4 * VpcFabric.INTRA_VPC_NANOS + 4 * 1_000);
        }
    }

    @Test
    void aRouterBusyWithOneFrameQueuesTheNext() throws Exception {
        try (LocalProvider p = new LocalProvider(EXACT, WorkMeter.fixed(30_000))) {
            Deployment d = deploy(p);
            // two echoes at the same instant: pr takes the first at once and the second when it is free
            List<HostHandle.Probe> probes =
                    d.host("pc").ping(d.host("lc").address(), 2, Duration.ZERO, 56, Duration.ofSeconds(2));
            long alone = PARIS_LONDON + 4 * VpcFabric.INTRA_VPC_NANOS + 4 * 30_000;
            assertThat(probes).extracting(HostHandle.Probe::rttNanos).containsExactly(alone, alone + 30_000);
            LocalRouter pr = (LocalRouter) d.router("pr");
            assertThat(pr.runs()).isEqualTo(4);
            assertThat(pr.busyNanos()).isEqualTo(4 * 30_000);
        }
    }

    @Test
    void theSrv6AndDirectPathsOfAPairSeeTheSameJitter() throws Exception {
        try (LocalProvider p = new LocalProvider(LinkModel.AWS, WorkMeter.fixed(1_000))) {
            Deployment d = deploy(p);
            HostHandle lc = d.host("lc");
            List<HostHandle.Probe> srv6 =
                    d.host("pc").ping(lc.address(), 20, Duration.ofMillis(200), 56, Duration.ofSeconds(2));
            List<HostHandle.Probe> direct =
                    d.host("pc").ping(lc.publicAddress(), 20, Duration.ofMillis(200), 56, Duration.ofSeconds(2));
            // echo k of either path crosses each way as the k-th frame of its flow: the same jitter,
            // so the difference is the routers' detour and runs, exactly, echo by echo
            for (int k = 0; k < 20; k++) {
                assertThat(srv6.get(k).rttNanos() - direct.get(k).rttNanos())
                        .isEqualTo(4 * VpcFabric.INTRA_VPC_NANOS + 4 * 1_000);
            }
            // and the jitter is there: ±25 µs each way around the configured RTT, not all the same
            assertThat(direct)
                    .extracting(HostHandle.Probe::rttNanos)
                    .allMatch(r -> Math.abs(r - PARIS_LONDON) <= 50_000)
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void theSameSeedGivesTheSameDelaysAndAnotherOneOthers() throws Exception {
        List<Long> first = directRtts(LinkModel.AWS);
        assertThat(directRtts(LinkModel.AWS)).isEqualTo(first);
        assertThat(directRtts(LinkModel.AWS.withSeed(7))).isNotEqualTo(first);
    }

    private static List<Long> directRtts(LinkModel model) throws Exception {
        try (LocalProvider p = new LocalProvider(model, WorkMeter.fixed(1_000))) {
            Deployment d = deploy(p);
            return d
                    .host("pc")
                    .ping(d.host("lc").publicAddress(), 10, Duration.ofSeconds(1), 56, Duration.ofSeconds(2))
                    .stream()
                    .map(HostHandle.Probe::rttNanos)
                    .toList();
        }
    }

    @Test
    void hostsAnswerIcmpv6EchoOnTheirVpcsIpv6Block() throws Exception {
        try (LocalProvider p = exact()) {
            Deployment d = deploy(p);
            long before = routerRx(d);
            HostHandle lc = d.host("lc");
            assertThat(lc.address6()).isNotNull();
            assertThat(d.vpc("lv").ipv6().contains(lc.address6())).isTrue();
            List<HostHandle.Probe> probes =
                    d.host("pc").ping(lc.address6(), 4, Duration.ofMillis(20), 56, Duration.ofSeconds(2));
            assertThat(probes).allMatch(x -> x.hopLimit() == 64); // IPv6 crosses no SRv6 router
            assertThat(probes).extracting(HostHandle.Probe::rttNanos).containsOnly(PARIS_LONDON);
            assertThat(routerRx(d)).isEqualTo(before);
            assertThat(((EmulatedHost) lc).echoesAnswered.get()).isEqualTo(4);
        }
    }

    @Test
    void aTraceShowsNewPacketsLiveAndFillsInOnlyWithOlderOnes() throws Exception {
        try (LocalProvider p = exact()) {
            Deployment d = deploy(p);
            HostHandle pc = d.host("pc");
            HostHandle lc = d.host("lc");
            // before the trace: two echoes, so lr receives two requests and two replies
            assertThat(pc.ping(lc.address(), 2, Duration.ofMillis(10), 56, Duration.ofSeconds(2)))
                    .allMatch(HostHandle.Probe::answered);
            // three more echoes in flight when the trace starts: the trace's run of the world carries them
            ((EmulatedHost) pc).startPing(lc.address(), 3, Duration.ofMillis(20));
            var traces = d.router("lr").agent().trace(20, Duration.ofMillis(900));
            // three echoes while armed: six packets live; the rest from before, none of them twice
            assertThat(traces.live()).hasSize(6);
            assertThat(traces.replayed()).hasSize(4);
            assertThat(traces.live().getFirst().nodes()).contains("end-dx4");
        }
    }

    @Test
    void aTraceWithNothingInFlightPassesItsWaitInVirtualTimeAndReplays() throws Exception {
        try (LocalProvider p = exact()) {
            Deployment d = deploy(p);
            d.host("pc").ping(d.host("lc").address(), 1, Duration.ZERO, 56, Duration.ofSeconds(2));
            long before = d.clock().nanos();
            long events = ((LocalDeployment) d).loop().events();
            long waited = EventLoopTest.waits();
            var traces = d.router("lr").agent().trace(2, Duration.ofSeconds(30));
            assertThat(d.clock().nanos() - before)
                    .isEqualTo(Duration.ofSeconds(30).toNanos());
            // the 30 s passed as one jump of the clock: no event ran, the thread never waited
            assertThat(((LocalDeployment) d).loop().events()).isEqualTo(events);
            assertThat(EventLoopTest.waits()).isEqualTo(waited);
            assertThat(traces.live()).isEmpty();
            assertThat(traces.replayed()).hasSize(2);
        }
    }

    @Test
    void aCaptureIsStampedInVirtualTimeAndItsTransmitsWhenTheRunEnded(@TempDir java.nio.file.Path dir)
            throws Exception {
        try (LocalProvider p = new LocalProvider(EXACT, WorkMeter.fixed(7_000))) {
            Deployment d = deploy(p);
            var capture = CaptureFile.start(d.router("pr").agent(), null, dir.resolve("pr.pcap"));
            d.host("pc").ping(d.host("lc").address(), 1, Duration.ZERO, 56, Duration.ofSeconds(2));
            assertThat(capture.stop().frames()).isEqualTo(4);
            List<Long> t = new java.util.ArrayList<>();
            try (var in = dev.srv6sh.dataplane.pcap.PcapReader.open(dir.resolve("pr.pcap"))) {
                for (var r = in.next(); r != null; r = in.next()) {
                    t.add(r.timeNanos());
                }
            }
            // request in on inside 25 µs after it was sent, out on transit 7 µs (the run) later; the
            // reply in on transit after the round trip, out on inside 7 µs later (nanosecond pcap)
            // from pr's request out to its reply in: the link both ways, lc's side's two hops, lr's two runs
            long away = PARIS_LONDON + 2 * VpcFabric.INTRA_VPC_NANOS + 2 * 7_000;
            assertThat(t.get(1) - t.get(0)).isEqualTo(7_000L);
            assertThat(t.get(2) - t.get(1)).isEqualTo(away);
            assertThat(t.get(3) - t.get(2)).isEqualTo(7_000L);
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
        try (LocalProvider p = exact()) {
            Deployment d = deploy(p);
            HostHandle lc = d.host("lc");
            UdpReport r = d.host("pc").udp(lc, lc.address(), new UdpFlow(10 * MBPS, 1_400, Duration.ofSeconds(1)));
            assertThat(r.sent()).isEqualTo(892); // 10 Mbit/s of 11,200-bit datagrams for a second
            assertThat(r.received()).isEqualTo(r.sent());
            assertThat(r.lost()).isZero();
            assertThat(r.reordered()).isZero();
            assertThat(r.duplicates()).isZero();
            assertThat(r.jitterNanos()).isZero(); // paced exactly, every datagram the same path and cost
            assertThat(r.hopLimit()).isEqualTo(62); // pr's H.Encaps and lr's End.DX4
            assertThat(rate(r)).isEqualTo(892 * 11_200.0);
            assertThat(d.router("lr").agent().counters().sids().getFirst().packets())
                    .isEqualTo(892);
        }
    }

    @Test
    void aSingleFlowBetweenRegionsIsShapedToThePerFlowLimit() throws Exception {
        try (LocalProvider p = new LocalProvider(EXACT.withPerFlowBps(20 * MBPS), WorkMeter.fixed(1_000))) {
            Deployment d = deploy(p);
            HostHandle lc = d.host("lc");
            UdpReport r =
                    d.host("pc").udp(lc, lc.publicAddress(), new UdpFlow(40 * MBPS, 1_400, Duration.ofSeconds(1)));
            // 20 Mbit/s of 1,414-byte frames for a second, plus what the bucket's burst and queue held
            // (0.5 ms and 2 ms at the rate, but at least two and four jumbo frames: 18,030 + 36,060 B)
            long frames = 20 * MBPS / (1_414 * 8);
            assertThat(r.received()).isBetween(frames, frames + (18_030 + 36_060) / 1_414 + 1);
            assertThat(r.lost()).isEqualTo(r.sent() - r.received());
            assertThat(r.reordered()).isZero();
            assertThat(r.hopLimit()).isEqualTo(64);
            assertThat(((LocalDeployment) d).internet().flowDrops.get()).isEqualTo(r.lost());
        }
    }

    @Test
    void anInstanceIsShapedToItsBandwidth() throws Exception {
        try (LocalProvider p = new LocalProvider(EXACT.withInstanceBps(15 * MBPS), WorkMeter.fixed(1_000))) {
            Deployment d = deploy(p);
            HostHandle lc = d.host("lc");
            UdpReport r = d.host("pc").udp(lc, lc.address(), new UdpFlow(30 * MBPS, 1_400, Duration.ofSeconds(1)));
            long frames = 15 * MBPS / (1_414 * 8); // as above, at the instance's 15 Mbit/s
            assertThat(r.received()).isBetween(frames, frames + (18_030 + 36_060) / 1_414 + 1);
            assertThat(r.lost()).isPositive();
            assertThat(((LocalDeployment) d).fabric("pv").shaped.get()).isEqualTo(r.lost());
        }
    }
}
