package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** Several workers: flows spread by hash, each flow in order on one worker, counters summed. */
class WorkersTest {
    /** An IPv6/UDP packet of flow {@code flow} (its source port) carrying {@code seq}. */
    static byte[] packet(int flow, int seq) {
        ByteBuffer b = ByteBuffer.allocate(40 + 8 + 8);
        b.putInt(0x6000_0000).putShort((short) 16).put((byte) 17).put((byte) 64);
        b.put(dev.srv6sh.dataplane.config.Addresses.parse6("2001:db8:1::77").getAddress());
        b.put(dev.srv6sh.dataplane.config.Addresses.parse6("2001:db8:99::9").getAddress());
        b.putShort((short) (10_000 + flow))
                .putShort((short) 9)
                .putShort((short) 16)
                .putShort((short) 0);
        b.putInt(flow).putInt(seq);
        return Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, b.array());
    }

    @Test
    void flowsSpreadOverTheWorkersAndEachStaysInOrder() throws Exception {
        DataplaneConfig config = Harness.config(List.of(), List.of(), List.of());
        ConcurrentLinkedQueue<long[]> out = new ConcurrentLinkedQueue<>();
        int flows = 64;
        int perFlow = 300;
        try (Workers w = new Workers("w", 2)) {
            w.onTransmit((iface, s, o, l) -> out.add(new long[] {
                s.get(
                        java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN),
                        o + l - 8),
                s.get(
                        java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN),
                        o + l - 4)
            }));
            w.apply(config);
            for (int seq = 0; seq < perFlow; seq++) {
                for (int flow = 0; flow < flows; flow++) {
                    byte[] f = packet(flow, seq);
                    while (!w.inject("in", f, 0, f.length)) {
                        Thread.onSpinWait(); // a full ring: the producer waits, as a NIC queue would back up
                    }
                }
            }
            w.drain();
            assertThat(out).hasSize(flows * perFlow);
            Map<Long, Long> last = new HashMap<>();
            for (long[] p : out.stream().toList()) {
                // within a flow, sequence numbers arrive in order (the sink sees each worker's order)
                Long before = last.put(p[0], p[1]);
                if (before != null) {
                    assertThat(p[1]).as("flow " + p[0]).isGreaterThan(before);
                }
            }
            Counters sum = w.counters();
            assertThat(sum.port("in").rxPackets()).isEqualTo((long) flows * perFlow);
            assertThat(sum.port("out").txPackets()).isEqualTo((long) flows * perFlow);
            assertThat(sum.dropped()).isZero();
            assertThat(sum.balanced()).isTrue();
            assertThat(w.failure()).isNull();
            long w0 = w.counters(0).port("in").rxPackets();
            long w1 = w.counters(1).port("in").rxPackets();
            assertThat(w0 + w1).isEqualTo((long) flows * perFlow);
            assertThat(Math.min(w0, w1)).as("both workers carry flows").isGreaterThan(flows * perFlow / 8);
        }
    }

    @Test
    void theFlowHashKeepsAFlowTogetherAndSeparatesFlows() {
        assertThat(Workers.flowHash(packet(3, 1), 0, packet(3, 1).length))
                .isEqualTo(Workers.flowHash(packet(3, 99), 0, packet(3, 99).length));
        List<Integer> hashes = new ArrayList<>();
        for (int f = 0; f < 32; f++) {
            byte[] p = packet(f, 0);
            hashes.add(Workers.flowHash(p, 0, p.length));
        }
        assertThat(hashes).doesNotHaveDuplicates();
        assertThat(Workers.flowHash(new byte[10], 0, 10)).isZero();
    }

    /** IPv4/UDP of flow {@code flow} (its source address) to a destination behind NH4. */
    static byte[] packet4(int flow) {
        return Harness.frame(
                Harness.IN_MAC,
                Harness.SENDER_MAC,
                Packets.udp4("192.0.2." + (10 + flow), "203.0.113.7", 64, false, 8));
    }

    static boolean isNs(byte[] f) {
        return f.length > 14 + 40 && f[12] == (byte) 0x86 && f[13] == (byte) 0xdd && f[14 + 40] == (byte) 135;
    }

    static boolean isArpRequest(byte[] f) {
        return f.length >= 14 + 28 && f[12] == 8 && f[13] == 6 && f[14 + 7] == 1;
    }

    /** Injects a frame, waiting while a ring is full. */
    static void inject(Workers w, String iface, byte[] f) {
        while (!w.inject(iface, f, 0, f.length)) {
            Thread.onSpinWait();
        }
    }

    /**
     * Each worker has its own neighbor table and resolves for itself: flows on both workers wait for
     * the same next hops, and each worker solicits them. One NA and one ARP reply then reach every
     * worker's table, and every worker sends what it held (before, only the worker the answer hashed
     * to learned; the other's packets waited for their own answer, and failed after 3 s).
     */
    @Test
    void oneAnswerCompletesResolutionOnEveryWorker() throws Exception {
        ConcurrentLinkedQueue<byte[]> out = new ConcurrentLinkedQueue<>();
        try (Workers w = new Workers("w", 2, new FakeClock())) {
            w.onTransmit((iface, s, o, l) -> {
                if (iface.equals("out")) {
                    out.add(Harness.copy(s, o, l));
                }
            });
            w.apply(NeighborTest.router()); // nothing static on 'out'
            int flows = 16;
            int[] perWorker = new int[2];
            for (int flow = 0; flow < flows; flow++) {
                for (byte[] f : List.of(packet(flow, 0), packet4(flow))) {
                    perWorker[w.workerOf(f)]++;
                    inject(w, "in", f);
                }
            }
            assertThat(perWorker).as("both workers carry flows").doesNotContain(0);
            w.drain();
            for (int k = 0; k < 2; k++) {
                assertThat(w.counters(k).held())
                        .as("worker %d holds its packets", k)
                        .isEqualTo(perWorker[k]);
            }
            assertThat(out.stream().filter(WorkersTest::isNs))
                    .as("an NS per worker")
                    .hasSize(2);
            assertThat(out.stream().filter(WorkersTest::isArpRequest))
                    .as("an ARP request per worker")
                    .hasSize(2);
            out.clear();
            inject(
                    w,
                    "out",
                    Harness.frame(
                            Harness.OUT_MAC,
                            NeighborTest.NEW_MAC,
                            NdFrames.na(
                                    NeighborTest.NH6, "2001:db8:2::1", NeighborTest.NH6, 0x60, NeighborTest.NEW_MAC)));
            inject(
                    w,
                    "out",
                    Packets.ethernet(
                            Harness.OUT_MAC.bytes(),
                            NeighborTest.NEW_MAC.bytes(),
                            0x0806,
                            NdFrames.arp(2, NeighborTest.NEW_MAC, NeighborTest.NH4, Harness.OUT_MAC, "198.51.100.1")));
            w.drain();
            for (int k = 0; k < 2; k++) {
                assertThat(w.counters(k).held())
                        .as("worker %d sent what it held", k)
                        .isZero();
                assertThat(w.neighbors(k))
                        .as("worker %d learned both", k)
                        .filteredOn(e -> e.state() == NeighborEntry.State.REACHABLE)
                        .extracting(NeighborEntry::mac)
                        .containsExactly(NeighborTest.NEW_MAC, NeighborTest.NEW_MAC);
            }
            assertThat(out).hasSize(2 * flows);
            assertThat(out)
                    .allSatisfy(f -> assertThat(Arrays.copyOfRange(f, 0, 6)).isEqualTo(NeighborTest.NEW_MAC.bytes()));
            Counters sum = w.counters();
            assertThat(sum.balanced()).isTrue();
            assertThat(sum.dropped()).isZero();
            assertThat(w.failure()).isNull();
        }
    }

    /**
     * An NS or ARP request for the router is answered once, by one worker, while every worker learns
     * its sender (RFC 4861 §7.2.3, RFC 826's merge), so that no worker then solicits it again.
     */
    @Test
    void aSolicitationIsAnsweredOnceAndTeachesEveryWorker() throws Exception {
        ConcurrentLinkedQueue<byte[]> out = new ConcurrentLinkedQueue<>();
        try (Workers w = new Workers("w", 2, new FakeClock())) {
            w.onTransmit((iface, s, o, l) -> {
                if (iface.equals("out")) {
                    out.add(Harness.copy(s, o, l));
                }
            });
            w.apply(NeighborTest.router());
            inject(
                    w,
                    "out",
                    Harness.frame(
                            NdFrames.group("ff02::1:ff00:1"),
                            NeighborTest.NEW_MAC,
                            NdFrames.ns(NeighborTest.NH6, "ff02::1:ff00:1", "2001:db8:2::1", NeighborTest.NEW_MAC)));
            inject(
                    w,
                    "out",
                    Packets.ethernet(
                            MacAddress.BROADCAST.bytes(),
                            NeighborTest.NEW_MAC.bytes(),
                            0x0806,
                            NdFrames.arp(1, NeighborTest.NEW_MAC, NeighborTest.NH4, NdFrames.ZERO, "198.51.100.1")));
            w.drain();
            assertThat(out).as("one NA and one ARP reply").hasSize(2);
            for (int k = 0; k < 2; k++) {
                assertThat(w.neighbors(k))
                        .as("worker %d learned both senders", k)
                        .filteredOn(e -> e.state() == NeighborEntry.State.STALE)
                        .extracting(NeighborEntry::mac)
                        .containsExactly(NeighborTest.NEW_MAC, NeighborTest.NEW_MAC);
            }
            out.clear();
            int flows = 16;
            for (int flow = 0; flow < flows; flow++) {
                inject(w, "in", packet(flow, 0));
                inject(w, "in", packet4(flow));
            }
            w.drain();
            assertThat(out)
                    .as("straight out from every worker, nothing solicited")
                    .hasSize(2 * flows);
            assertThat(out)
                    .allSatisfy(f -> assertThat(Arrays.copyOfRange(f, 0, 6)).isEqualTo(NeighborTest.NEW_MAC.bytes()));
            Counters sum = w.counters();
            assertThat(sum.neighbors().answers()).isEqualTo(2);
            assertThat(sum.balanced()).isTrue();
            assertThat(sum.dropped()).isZero();
        }
    }

    @Test
    void arpAndNsNaAreWhatEveryWorkerIsGiven() {
        byte[] arp = Packets.ethernet(
                MacAddress.BROADCAST.bytes(),
                NeighborTest.NEW_MAC.bytes(),
                0x0806,
                NdFrames.arp(1, NeighborTest.NEW_MAC, NeighborTest.NH4, NdFrames.ZERO, "198.51.100.1"));
        byte[] ns = Harness.frame(
                Harness.OUT_MAC,
                NeighborTest.NEW_MAC,
                NdFrames.ns(NeighborTest.NH6, "2001:db8:2::1", "2001:db8:2::1", null));
        byte[] na = Harness.frame(
                Harness.OUT_MAC,
                NeighborTest.NEW_MAC,
                NdFrames.na(NeighborTest.NH6, "2001:db8:2::1", NeighborTest.NH6, 0x60, null));
        byte[] echo = Harness.frame(
                Harness.IN_MAC, Harness.SENDER_MAC, LocalDeliveryTest.echo6("2001:db8:1::77", "2001:db8:1::1"));
        for (byte[] f : List.of(arp, ns, na)) {
            assertThat(Workers.resolution(f, 0, f.length)).isTrue();
        }
        for (byte[] f : List.of(echo, packet(1, 1), packet4(1), Arrays.copyOf(ns, 14 + 40))) {
            assertThat(Workers.resolution(f, 0, f.length)).isFalse();
        }
    }

    /**
     * The producer's side allocates nothing either: a frame to its worker, and an ARP or ND frame copied
     * to every worker (the workers' side is the engine's, which AllocationTest covers).
     */
    @Test
    void injectingAllocatesNothing() throws Exception {
        try (Workers w = new Workers("w", 2, new FakeClock())) {
            w.apply(NdTest.router());
            byte[] data = packet(1, 1);
            byte[] arp = AllocationTest.frame("arp-request");
            byte[] ns = AllocationTest.frame("ns");
            var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().threadId();
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 12 && best != 0; round++) {
                long before = mx.getThreadAllocatedBytes(tid);
                for (int i = 0; i < 5_000; i++) {
                    inject(w, "in", data);
                    inject(w, "in", (i & 1) == 0 ? arp : ns);
                }
                long allocated = mx.getThreadAllocatedBytes(tid) - before;
                if (round > 0) {
                    best = Math.min(best, allocated);
                }
                w.drain();
            }
            assertThat(best)
                    .as("bytes allocated injecting 10,000 frames, best round after warm-up")
                    .isZero();
            assertThat(w.counters().neighbors().answers()).isPositive();
            assertThat(w.failure()).isNull();
        }
    }

    /** On an interface steered at layer 2, ARP is the customer's: one worker encapsulates it, once. */
    @Test
    void aCustomersArpOnAnL2SteeredInterfaceGoesToOneWorker() throws Exception {
        ConcurrentLinkedQueue<Integer> out = new ConcurrentLinkedQueue<>();
        try (Workers w = new Workers("w", 2, new FakeClock())) {
            w.onTransmit((iface, s, o, l) -> out.add(l));
            w.apply(Layer2Test.l2Headend(DataplaneConfig.PolicyMode.ENCAP_L2));
            byte[] arp = Packets.ethernet(
                    MacAddress.BROADCAST.bytes(),
                    NeighborTest.NEW_MAC.bytes(),
                    0x0806,
                    NdFrames.arp(1, NeighborTest.NEW_MAC, "192.0.2.10", NdFrames.ZERO, "192.0.2.20"));
            inject(w, "in", arp);
            w.drain();
            assertThat(out).as("encapsulated once").hasSize(1);
            assertThat(w.counters().port("in").rxPackets()).isEqualTo(1);
        }
    }

    @Test
    void aRejectedConfigurationLeavesTheWorkersForwarding() throws Exception {
        ConcurrentLinkedQueue<Integer> out = new ConcurrentLinkedQueue<>();
        try (Workers w = new Workers("w", 2)) {
            w.onTransmit((iface, s, o, l) -> out.add(l));
            w.apply(Harness.config(List.of(), List.of(), List.of()));
            DataplaneConfig bad = Harness.config(
                    List.of(),
                    List.of(),
                    List.of(new DataplaneConfig.Steer(
                            0, dev.srv6sh.dataplane.config.Prefix.parse("a7::/64"), "no-such-policy")));
            assertThatThrownBy(() -> w.apply(bad)).isInstanceOf(ConfigException.class);
            byte[] f = packet(1, 1);
            assertThat(w.inject("in", f, 0, f.length)).isTrue();
            w.drain();
            assertThat(out).hasSize(1);
            assertThatThrownBy(() -> w.inject("nope", f, 0, f.length)).hasMessageContaining("no interface 'nope'");
        }
    }
}
