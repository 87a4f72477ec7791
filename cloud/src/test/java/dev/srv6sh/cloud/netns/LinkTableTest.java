package dev.srv6sh.cloud.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.local.RttModel;
import dev.srv6sh.cloud.model.Shaping;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Ip4;
import dev.srv6sh.dataplane.proto.Ip6;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkTableTest {
    private static final long PARIS_LONDON = 4_717_500; // half of 9.435 ms

    private static LinksConfig config(long jitter) {
        return config(jitter, Shaping.awsFlow(1514));
    }

    private static LinksConfig config(long jitter, Shaping flow) {
        return new LinksConfig(
                1,
                jitter,
                flow,
                List.of(
                        new LinksConfig.Wire(
                                "pv",
                                Prefix.parse("2001:db8:100::/56"),
                                List.of(Addresses.parse4("198.51.100.10"), Addresses.parse4("198.51.100.11")),
                                "a0",
                                "b0"),
                        new LinksConfig.Wire(
                                "lv",
                                Prefix.parse("2001:db8:200::/56"),
                                List.of(Addresses.parse4("198.51.100.20")),
                                "a1",
                                "b1")),
                new long[][] {{250_000, PARIS_LONDON}, {PARIS_LONDON, 250_000}});
    }

    private static MemorySegment ip6To(String dst) {
        MemorySegment m = MemorySegment.ofArray(new byte[Ethernet.LENGTH + Ip6.LENGTH + 8]);
        Ethernet.write(m, 0, 0x020000000001L, 0x020000000002L, Ethernet.TYPE_IP6);
        BigInteger a = new BigInteger(1, Addresses.parse(dst).getAddress());
        Ip6.dst(m, Ethernet.LENGTH, a.shiftRight(64).longValue(), a.longValue());
        return m;
    }

    private static MemorySegment ip4To(String dst) {
        MemorySegment m = MemorySegment.ofArray(new byte[Ethernet.LENGTH + Ip4.MIN_LENGTH + 8]);
        Ethernet.write(m, 0, 0x020000000001L, 0x020000000002L, Ethernet.TYPE_IP4);
        Ip4.dst(m, Ethernet.LENGTH, Addresses.toInt((Inet4Address) Addresses.parse(dst)));
        return m;
    }

    @Test
    void aFrameBelongsToTheVpcOfItsIpv6BlockOrOfItsPublicIpv4Address() {
        LinkTable t = new LinkTable(config(0));
        MemorySegment a = ip6To("2001:db8:200:7::4");
        assertThat(t.destination(a, 0, (int) a.byteSize())).isEqualTo(1);
        MemorySegment b = ip6To("2001:db8:100:ff::1");
        assertThat(t.destination(b, 0, (int) b.byteSize())).isZero();
        MemorySegment c = ip4To("198.51.100.20");
        assertThat(t.destination(c, 0, (int) c.byteSize())).isEqualTo(1);
        MemorySegment d = ip4To("198.51.100.11");
        assertThat(t.destination(d, 0, (int) d.byteSize())).isZero();
    }

    @Test
    void framesForNoVpcPassAtOnce() {
        LinkTable t = new LinkTable(config(0));
        // the uplinks' own addresses, another block, an address no host has, ARP, a runt
        for (MemorySegment m : List.of(
                ip6To("2001:db8:ffff:1::1"), ip6To("2001:db8:300::1"), ip4To("192.0.2.1"), ip4To("203.0.113.77"))) {
            assertThat(t.destination(m, 0, (int) m.byteSize())).isEqualTo(-1);
        }
        MemorySegment arp = MemorySegment.ofArray(new byte[60]);
        Ethernet.write(arp, 0, -1L >>> 16, 0x020000000002L, Ethernet.TYPE_ARP);
        assertThat(t.destination(arp, 0, 60)).isEqualTo(-1);
        MemorySegment v6 = ip6To("2001:db8:200::1");
        assertThat(t.destination(v6, 0, Ethernet.LENGTH + 10))
                .as("too short for its header")
                .isEqualTo(-1);
    }

    @Test
    void aFrameArrivesAfterHalfTheRttAndAfterTheLinksFrameBeforeIt() {
        LinkTable t = new LinkTable(config(0));
        assertThat(t.arrival(0, 1, 1_000)).isEqualTo(1_000 + PARIS_LONDON);
        assertThat(t.arrival(1, 0, 2_000)).isEqualTo(2_000 + PARIS_LONDON);
        assertThat(t.arrival(0, 0, 0)).isEqualTo(250_000);

        LinkTable j = new LinkTable(config(10_000_000)); // ±5 ms: wider than the gap between frames
        long previous = Long.MIN_VALUE;
        long sum = 0;
        for (int n = 0; n < 1000; n++) {
            long at = j.arrival(0, 1, n * 1_000L);
            assertThat(at).isGreaterThanOrEqualTo(previous).isGreaterThanOrEqualTo(n * 1_000L);
            previous = at;
            sum += at - n * 1_000L;
        }
        assertThat(sum / 1000).as("the mean delay is at least the table's").isGreaterThanOrEqualTo(PARIS_LONDON);
    }

    @Test
    void theJitterIsTheSeededSequenceOfLocal() {
        LinkTable a = new LinkTable(config(50_000));
        LinkTable b = new LinkTable(config(50_000));
        dev.srv6sh.cloud.local.Jitter jitter = new dev.srv6sh.cloud.local.Jitter(1, 50_000);
        long link = jitter.link("pv", "lv");
        for (int n = 0; n < 50; n++) {
            long t = n * 10_000_000L; // far apart: order holds nothing back
            long at = a.arrival(0, 1, t);
            assertThat(at).isEqualTo(b.arrival(0, 1, t));
            assertThat(at - t - PARIS_LONDON)
                    .isEqualTo(jitter.of(link, n, PARIS_LONDON))
                    .isBetween(-25_000L, 25_000L);
        }
    }

    /** 10 Mbit/s: a 1,000-byte frame every 800 µs; burst two 1,514-byte frames, queue four. */
    private static final Shaping SLOW = new Shaping(10_000_000, 2_000_000, 500_000, 1514);

    private static final long GAP = 800_000; // 1,000 bytes at 10 Mbit/s

    private static MemorySegment udp4(String src, String dst, int srcPort, int size) {
        MemorySegment m = MemorySegment.ofArray(new byte[size]);
        Ethernet.write(m, 0, 0x020000000001L, 0x020000000002L, Ethernet.TYPE_IP4);
        Ip4.write(
                m,
                Ethernet.LENGTH,
                0,
                size - Ethernet.LENGTH,
                64,
                Ip4.PROTO_UDP,
                Addresses.toInt(Addresses.parse4(src)),
                Addresses.toInt(Addresses.parse4(dst)));
        dev.srv6sh.dataplane.proto.Bytes.u16(m, Ethernet.LENGTH + Ip4.MIN_LENGTH, srcPort);
        dev.srv6sh.dataplane.proto.Bytes.u16(m, Ethernet.LENGTH + Ip4.MIN_LENGTH + 2, 5201);
        return m;
    }

    private static long depart(LinkTable t, MemorySegment m, long now) {
        return t.depart(m, 0, (int) m.byteSize(), now);
    }

    @Test
    void aFlowsFramesLeaveItsShaperSpacedBySizeOverRateAndTheTailBeyondItsQueueIsDropped() {
        LinkTable t = new LinkTable(config(0, SLOW));
        MemorySegment f = udp4("198.51.100.10", "198.51.100.20", 40000, 1000);
        long[] departures = new long[12];
        for (int n = 0; n < departures.length; n++) {
            departures[n] = depart(t, f, 0); // all at once
        }
        // the burst (3,028 bytes) lets three go at once; then one every 800 µs while the queue
        // (6,056 bytes: 4.84 ms at the rate) holds them; the rest is dropped
        assertThat(departures[0]).isZero();
        assertThat(departures[2]).isZero();
        assertThat(departures[3]).isEqualTo(777_600); // the 972 bytes the burst lacked
        for (int n = 4; n <= 8; n++) {
            assertThat(departures[n] - departures[n - 1]).isBetween(GAP, GAP + 1);
        }
        assertThat(departures[9]).isEqualTo(-1);
        assertThat(departures[11]).isEqualTo(-1);
        assertThat(t.shapedDrops()).isEqualTo(3);
        // at the rate, nothing waits and nothing is dropped
        long now = 100_000_000;
        for (int n = 0; n < 20; n++, now += GAP) {
            assertThat(depart(t, f, now)).isEqualTo(now);
        }
        assertThat(t.shapedDrops()).isEqualTo(3);
        // and the link's delay counts from the departure
        assertThat(t.arrival(0, 1, departures[5])).isEqualTo(departures[5] + PARIS_LONDON);
    }

    @Test
    void eachFlowHasItsOwnRate() {
        LinkTable shared = new LinkTable(config(0, SLOW));
        LinkTable alone = new LinkTable(config(0, SLOW));
        MemorySegment a = udp4("198.51.100.10", "198.51.100.20", 40000, 1000);
        MemorySegment b = udp4("198.51.100.10", "198.51.100.20", 40001, 1000); // another source port
        MemorySegment v6 = ip6To("2001:db8:200::1");
        for (int n = 0; n < 8; n++) {
            long now = n * 100_000L; // each flow offers 80 Mbit/s
            long da = depart(shared, a, now);
            assertThat(depart(shared, b, now)).as("flow b, frame " + n).isEqualTo(da);
            assertThat(depart(shared, v6, now)).isEqualTo(now); // a small frame within its burst
            assertThat(depart(alone, a, now)).as("flow a without the others").isEqualTo(da);
        }
        assertThat(shared.shapedDrops()).isEqualTo(2 * alone.shapedDrops());
    }

    @Test
    void aFullFlowTableEvictsItsLeastRecentFlowAndAnIdleFlowStartsAfresh() {
        LinkTable t = new LinkTable(config(0, SLOW), FlowTable.PROBES); // one window of slots
        for (int p = 0; p < FlowTable.PROBES; p++) {
            depart(t, udp4("198.51.100.10", "198.51.100.20", 40000 + p, 1000), p);
        }
        assertThat(t.flowsEvicted()).isZero();
        depart(t, udp4("198.51.100.10", "198.51.100.20", 50000, 1000), 100);
        assertThat(t.flowsEvicted()).as("a ninth active flow").isEqualTo(1);
        // long after, every bucket is full again: new flows take the slots and nothing counts
        long later = 1_000_000_000;
        for (int p = 0; p < 2 * FlowTable.PROBES; p++) {
            assertThat(depart(t, udp4("198.51.100.10", "198.51.100.20", 30000 + p, 1000), later + p))
                    .isEqualTo(later + p);
        }
        assertThat(t.flowsEvicted()).isEqualTo(1 + FlowTable.PROBES);
    }

    @Test
    void aZeroRateShapesNothing() {
        LinkTable t = new LinkTable(config(0, new Shaping(0, 0, 0, 1514)));
        MemorySegment f = udp4("198.51.100.10", "198.51.100.20", 40000, 1000);
        for (int n = 0; n < 100; n++) {
            assertThat(depart(t, f, 5)).isEqualTo(5);
        }
        assertThat(t.shapedDrops()).isZero();
    }

    @Test
    void shapingAndDelayingAFrameAllocatesNothing() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        LinkTable t = new LinkTable(config(50_000));
        MemorySegment[] frames = new MemorySegment[64];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = udp4("198.51.100.10", "198.51.100.20", 40000 + i, 1000);
        }
        long best = Long.MAX_VALUE;
        long now = 0;
        for (int round = 0; round < 10 && best != 0; round++) {
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 20_000; i++, now += 1_000) {
                MemorySegment f = frames[i & 63];
                int to = t.destination(f, 0, 1000);
                long d = t.depart(f, 0, 1000, now);
                if (d >= 0) {
                    t.arrival(0, to, d);
                }
            }
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            if (round > 0) {
                best = Math.min(best, allocated);
            }
        }
        assertThat(best)
                .as("bytes allocated in the best round of 20,000 frames")
                .isZero();
    }

    @Test
    void theDelaysAreHalfTheRttsOfLocal() {
        CloudSpec spec = new CloudSpec(
                List.of(
                        new CloudSpec.Region("paris", "aws", "eu-west-3"),
                        new CloudSpec.Region("london", "aws", "eu-west-2"),
                        new CloudSpec.Region("lab", "local", null)),
                List.of(new CloudSpec.Rtt("lab", "paris", Duration.ofMillis(30))),
                List.of(),
                List.of(),
                List.of());
        assertThat(RttModel.between(spec, "paris", "london")).isEqualTo(Duration.ofNanos(9_435_000));
        assertThat(RttModel.between(spec, "london", "london")).isEqualTo(Duration.ofNanos(500_000));
        assertThat(RttModel.between(spec, "paris", "lab")).isEqualTo(Duration.ofMillis(30));
        assertThat(RttModel.between(spec, "london", "lab")).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void theConfigurationReadsBackWhatItWrites() {
        LinksConfig c = config(50_000);
        LinksConfig back = LinksConfig.parse(c.toJson());
        assertThat(back.wires()).isEqualTo(c.wires());
        assertThat(back.oneWayNanos()).isDeepEqualTo(c.oneWayNanos());
        assertThat(back.seed()).isEqualTo(1);
        assertThat(back.jitterNanos()).isEqualTo(50_000);
        assertThat(back.flow()).isEqualTo(Shaping.awsFlow(1514));
        assertThat(back.flow().rateBps()).isEqualTo(5_000_000_000L);
    }

    @Test
    void aBadConfigurationSaysWhatIsWrong() {
        assertThatThrownBy(() -> LinksConfig.parse("{")).hasMessageStartingWith("not JSON: ");
        assertThatThrownBy(() -> LinksConfig.parse("{\"seed\": 1, \"jitter_ns\": 0, \"one_way_ns\": []}"))
                .hasMessage("wires is missing");
        String json = config(0).toJson();
        assertThatThrownBy(() -> LinksConfig.parse(json.replace("\"198.51.100.20\"", "\"2001:db8::1\"")))
                .hasMessage("wire lv: public address 2001:db8::1 is not IPv4");
        assertThatThrownBy(() -> LinksConfig.parse(json.replace("[250000, 4717500]", "[250000]")))
                .hasMessage("one_way_ns row 0 has 1 delays for 2 wires");
        assertThatThrownBy(() -> LinksConfig.parse(json.replace("\"seed\": 1", "\"seed\": 1.5")))
                .hasMessageStartingWith("seed is not a whole number");
        assertThatThrownBy(() -> LinksConfig.parse(json.replace("\"flow_bps\": 5000000000", "\"flow_bps\": -1")))
                .hasMessage("flow shaping: the rate is negative (-1 bit/s)");
        assertThatThrownBy(() -> LinksConfig.parse(json.replace("\"flow_queue_ns\": 2000000,", "")))
                .hasMessage("flow_queue_ns is missing");
        assertThatThrownBy(() ->
                        LinksConfig.parse(json.replace("\"flow_largest_frame\": 1514", "\"flow_largest_frame\": 0")))
                .hasMessage("flow shaping: the largest frame is not positive (0 bytes)");
    }
}
