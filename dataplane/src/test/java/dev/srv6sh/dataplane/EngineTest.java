package dev.srv6sh.dataplane;

import static dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode.ENCAP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.dataplane.proto.Checksum;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineTest {
    /** IPv4/UDP 203.0.113.5 → {@code dst}, TTL {@code ttl}, 8 bytes of payload. */
    static byte[] udp4(String dst, int ttl) {
        byte[] p = new byte[36];
        p[0] = 0x45;
        p[3] = 36;
        p[8] = (byte) ttl;
        p[9] = 17;
        System.arraycopy(Addresses.parse("203.0.113.5").getAddress(), 0, p, 12, 4);
        System.arraycopy(Addresses.parse(dst).getAddress(), 0, p, 16, 4);
        int c = Checksum.internet(MemorySegment.ofArray(p), 0, 20);
        p[10] = (byte) (c >>> 8);
        p[11] = (byte) c;
        p[20] = 0x30;
        p[21] = 0x39;
        p[22] = 0x30;
        p[23] = 0x39;
        p[25] = 16;
        return p;
    }

    @Test
    void twoRoutersChainedWithHEncapsAndEndDx4() throws Exception {
        // A steers 192.0.2.0/24 into [B's End.DX4]; B decapsulates towards host 192.0.2.10 on its 'in'.
        DataplaneConfig a = Harness.config(
                List.of(),
                List.of(Harness.policy("to_b", ENCAP, "2001:db8:b::d4")),
                List.of(new DataplaneConfig.Steer(0, Prefix.parse("192.0.2.0/24"), "to_b")));
        a = new DataplaneConfig(
                "a",
                List.of(
                        Harness.iface("in", Harness.IN_MAC, "203.0.113.1/24"),
                        Harness.iface("out", Harness.OUT_MAC, "2001:db8:2::1/64")),
                a.routes().subList(0, 1),
                a.neighbors().subList(0, 1),
                a.sids(),
                a.policies(),
                a.steering(),
                a.encap());
        DataplaneConfig b = new DataplaneConfig(
                "b",
                List.of(
                        Harness.iface("in", Harness.IN_MAC, "192.0.2.1/24"),
                        Harness.iface("out", Harness.OUT_MAC, "2001:db8:2::2/64")),
                List.of(),
                List.of(new DataplaneConfig.Neighbor(Addresses.parse("192.0.2.10"), Harness.PEER_MAC, "in")),
                List.of(Harness.sid("2001:db8:b::d4", "End.DX4", "192.0.2.10")),
                List.of(),
                List.of(),
                null);
        try (Harness ha = new Harness(a);
                Harness hb = new Harness(b)) {
            byte[] sent = udp4("192.0.2.10", 64);
            ha.send(sent);
            byte[] carried = ha.onlyOut();
            assertThat(carried[0] >>> 4).isEqualTo(6);
            assertThat(carried.length).isEqualTo(40 + 24 + sent.length);
            hb.engine.port("out", MemoryPort.class).inject(Harness.frame(Harness.OUT_MAC, Harness.PEER_MAC, carried));
            hb.engine.poll();
            assertThat(hb.in).hasSize(1);
            byte[] got = Arrays.copyOfRange(hb.in.getFirst(), 14, hb.in.getFirst().length);
            assertThat(got[8]).as("TTL after H.Encaps and End.DX4").isEqualTo((byte) 62);
            assertThat(Checksum.sum(MemorySegment.ofArray(got), 0, 20)).isEqualTo(0xffff);
            byte[] expect = sent.clone();
            expect[8] = 62;
            expect[10] = got[10];
            expect[11] = got[11];
            assertThat(got).isEqualTo(expect);
            ha.assertBalanced();
            hb.assertBalanced();
        }
    }

    @Test
    void forwardingDecrementsTtlAndDropsExpiredPackets() throws Exception {
        try (Harness h = new Harness(Harness.config(List.of(), List.of(), List.of()))) {
            h.send(udp4("203.0.113.77", 64));
            assertThat(h.onlyOut()[8]).isEqualTo((byte) 63);
            h.send(udp4("203.0.113.77", 1));
            assertThat(h.out).hasSize(1);
            assertThat(h.engine.counters().get("ip4-rewrite", "TTL or hop limit expired in transit"))
                    .isEqualTo(1);
            h.assertBalanced();
        }
    }

    @Test
    void anUnknownNeighborIsAskedForAndThePacketHeld() throws Exception {
        try (Harness h = new Harness(Harness.config(List.of(), List.of(), List.of()))) {
            h.send(udp4("192.0.2.99", 64)); // on 'in''s subnet, no neighbor entry
            assertThat(h.in).hasSize(1); // the ARP request, not the packet
            assertThat(h.in.getFirst()[12]).isEqualTo((byte) 0x08);
            assertThat(h.in.getFirst()[13]).isEqualTo((byte) 0x06);
            assertThat(h.engine.counters().held()).isEqualTo(1);
            h.assertBalanced();
        }
    }

    @Test
    void malformedFramesAreCountedNeverThrown() throws Exception {
        try (Harness h = new Harness(Harness.config(List.of(), List.of(), List.of()))) {
            byte[] good = udp4("203.0.113.77", 64);
            byte[] badChecksum = good.clone();
            badChecksum[11] ^= 1;
            byte[] badVersion = good.clone();
            badVersion[0] = 0x55;
            byte[] longer = good.clone();
            longer[3] = 100;
            byte[] shortIhl = good.clone();
            shortIhl[0] = 0x44;
            for (byte[] p : List.of(badChecksum, longer, shortIhl, Arrays.copyOf(good, 12))) {
                h.send(p);
            }
            byte[] v5 = Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, badVersion);
            v5[12] = 0x08; // EtherType says IPv4, the header says version 5
            v5[13] = 0x00;
            h.engine.port("in", MemoryPort.class).inject(v5);
            byte[] six = Vectors.get("V1_End_in");
            h.send(Arrays.copyOf(six, 30));
            byte[] plen = six.clone();
            plen[5] = (byte) 0xff;
            h.send(plen);
            h.engine.port("in", MemoryPort.class).inject(new byte[] {1, 2, 3});
            h.engine
                    .port("in", MemoryPort.class)
                    .inject(Harness.frame(Harness.OUT_MAC, Harness.SENDER_MAC, good)); // wrong MAC
            byte[] lldp = Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, good);
            lldp[12] = (byte) 0x88;
            lldp[13] = (byte) 0xcc;
            h.engine.port("in", MemoryPort.class).inject(lldp);
            h.engine.poll();
            assertThat(h.out).isEmpty();
            Counters c = h.engine.counters();
            assertThat(c.get("ip4-input", "header checksum is wrong")).isEqualTo(1);
            assertThat(c.get("ip4-input", "version is not 4")).isEqualTo(1);
            assertThat(c.get("ip4-input", "total length disagrees with the frame"))
                    .isEqualTo(1);
            assertThat(c.get("ip4-input", "IHL below 5 or beyond the packet")).isEqualTo(1);
            assertThat(c.get("ip4-input", "shorter than an IPv4 header")).isEqualTo(1);
            assertThat(c.get("ip6-input", "shorter than an IPv6 header")).isEqualTo(1);
            assertThat(c.get("ip6-input", "payload length runs past the frame")).isEqualTo(1);
            assertThat(c.get("ethernet-input", "frame shorter than an Ethernet header"))
                    .isEqualTo(1);
            assertThat(c.get("ethernet-input", "destination MAC is not this interface's"))
                    .isEqualTo(1);
            assertThat(c.get("ethernet-input", "EtherType is not IPv4, IPv6 or ARP"))
                    .isEqualTo(1);
            h.send(good);
            assertThat(h.out).hasSize(1);
            h.assertBalanced();
        }
    }

    @Test
    void aRejectedConfigurationLeavesTheOldOneForwarding() throws Exception {
        try (Harness h = new Harness(Harness.config(List.of(), List.of(), List.of()))) {
            DataplaneConfig bad = Harness.config(
                    List.of(),
                    List.of(),
                    List.of(new DataplaneConfig.Steer(0, Prefix.parse("198.51.100.0/24"), "nope")));
            assertThatThrownBy(() -> h.engine.apply(bad))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("steer 198.51.100.0/24: no policy 'nope'");
            DataplaneConfig offLink =
                    Harness.config(List.of(Harness.sid("a3::c4", "End.DX4", "203.0.113.9")), List.of(), List.of());
            assertThatThrownBy(() -> h.engine.apply(offLink))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("not on a connected subnet");
            h.send(udp4("203.0.113.77", 64));
            assertThat(h.out).hasSize(1);
            h.assertBalanced();
        }
    }

    @Test
    void steadyStateForwardingAllocatesNothing() throws Exception {
        DataplaneConfig c = Harness.config(
                List.of(Harness.sid("a3::c4", "End.DX4", "198.51.100.2")),
                List.of(Harness.policy("p", ENCAP, "a4::", "a5::", "a6::c7")),
                List.of(new DataplaneConfig.Steer(0, Prefix.parse("192.0.2.128/25"), "p")));
        try (Engine e = new Engine("alloc", Clock.SYSTEM, MemoryPort.FACTORY)) {
            e.apply(c);
            long[] sent = new long[1];
            e.port("out", MemoryPort.class).onTransmit((i, s, o, l) -> sent[0]++);
            byte[] encap = Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, udp4("192.0.2.200", 64));
            byte[] dx4 = Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, Vectors.get("V4_EndDX4_in"));
            dx4[14 + 16 + 20 + 16 + 56 + 16] = (byte) 198; // inner destination → 198.51.100.x via 'out'
            MemoryPort in = e.port("in", MemoryPort.class);
            var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().threadId();
            // Rounds after the first must allocate nothing; the JIT may still be settling early on, so a
            // round with a few stray bytes is retried, but a per-packet allocation (>= 16 B x 40,000) never passes.
            long best = Long.MAX_VALUE;
            int rounds = 0;
            while (rounds < 10 && best != 0) {
                long before = mx.getThreadAllocatedBytes(tid);
                for (int i = 0; i < 20_000; i++) {
                    in.inject(encap);
                    in.inject(dx4);
                    if ((i & 63) == 63) {
                        e.poll();
                    }
                }
                e.poll();
                long allocated = mx.getThreadAllocatedBytes(tid) - before;
                if (rounds++ > 0) {
                    assertThat(allocated)
                            .as("bytes allocated for 40,000 packets")
                            .isLessThan(40_000);
                    best = Math.min(best, allocated);
                }
            }
            assertThat(best)
                    .as("bytes allocated in the best round of 40,000 packets after warm-up")
                    .isZero();
            assertThat(sent[0]).isEqualTo(rounds * 40_000L);
            Harness.assertBalanced(e);
        }
    }

    @Test
    void nodeTimesAreTakenOnOnePassInEightAndOnEveryNodesFirstCalls() throws Exception {
        DataplaneConfig c = Harness.config(List.of(), List.of(), List.of());
        try (Harness h = new Harness(c)) {
            int n = 4_000;
            for (int i = 0; i < n; i++) {
                h.send(udp4("11.0.0.1", 64)); // one pass of the graph each, out by the default route
            }
            h.send(udp4("11.0.0.1", 1)); // TTL expires: error-drop's and ip4-icmp-error's first call
            Node lookup = h.engine.node(Node.IP4_LOOKUP);
            assertThat(lookup.packets).isEqualTo(n + 1);
            assertThat(lookup.firstPackets).as("the first calls, each timed").isEqualTo(Engine.ALWAYS_TIMED);
            long rest = lookup.packets - lookup.firstPackets;
            assertThat(lookup.timedPackets)
                    .as("after them, about one pass in eight")
                    .isBetween(rest / 8 / 2, rest / 8 * 2);
            Counters.NodeStats stats = h.engine.counters().nodes().stream()
                    .filter(s -> s.node().equals("ip4-lookup"))
                    .findFirst()
                    .orElseThrow();
            assertThat(stats.nanos())
                    .as("the estimate: the first calls' time, and the sampled mean times the rest")
                    .isEqualTo(lookup.firstNanos + Math.round((double) lookup.nanos * rest / lookup.timedPackets))
                    .isPositive();
            Node drop = h.engine.node(Node.ERROR_DROP);
            assertThat(drop.packets).isEqualTo(1);
            assertThat(drop.firstPackets)
                    .as("a node's first call is timed, whatever the pass")
                    .isEqualTo(1);
            assertThat(drop.nanos()).isEqualTo(drop.firstNanos).isPositive();
            h.assertBalanced();
        }
    }
}
