package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.DataplaneConfig.Flavor;
import dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every behavior and headend forwards without allocating, once warm: the thread's allocated bytes do
 * not grow over rounds of 20,000 packets (a stray few bytes while the JIT settles are retried; a
 * per-packet allocation, at least 16 bytes × 20,000, never passes).
 */
class AllocationTest {
    static Stream<Arguments> paths() {
        DataplaneConfig.Policy red = Harness.policy("p", PolicyMode.ENCAP_RED, "a4::", "a5::", "a6::c7");
        return Stream.of(
                Arguments.of("End", FlavorTest.end("a3::", "End", Set.of()), "V1_End_in"),
                Arguments.of("End PSP", FlavorTest.end("a3::", "End", Set.of(Flavor.PSP)), "V2_EndPSP_in"),
                Arguments.of("End USD", FlavorTest.end("a3::c4", "End", Set.of(Flavor.USD)), "V3_EndDX6_in"),
                Arguments.of("End.X", BehaviorTest.config(Harness.sid("a3::", "End.X", "2001:db8:1::2")), "V1_End_in"),
                Arguments.of("End.T", BehaviorTest.config(BehaviorTest.tableSid("a3::", "End.T", 9)), "V1_End_in"),
                Arguments.of(
                        "End.DX6",
                        BehaviorTest.config(Harness.sid("a3::c4", "End.DX6", "2001:db8:2::2")),
                        "V3_EndDX6_in"),
                Arguments.of(
                        "End.DX4", BehaviorTest.config(Harness.sid("a3::c4", "End.DX4", "4.1.1.123")), "V4_EndDX4_in"),
                Arguments.of(
                        "H.Encaps",
                        Harness.config(
                                List.of(),
                                List.of(Harness.policy("p", PolicyMode.ENCAP, "a4::", "a5::", "a6::c7")),
                                List.of(new DataplaneConfig.Steer(0, Prefix.parse("a7::/64"), "p"))),
                        "V5_HEncaps_in"),
                Arguments.of(
                        "End.DT4", BehaviorTest.config(BehaviorTest.tableSid("a3::c4", "End.DT4", 9)), "V4_EndDX4_in"),
                Arguments.of(
                        "End.DT46",
                        BehaviorTest.config(BehaviorTest.tableSid("a3::c4", "End.DT46", 9)),
                        "V3_EndDX6_in"),
                Arguments.of(
                        "H.Encaps.Red",
                        Harness.config(
                                List.of(),
                                List.of(red),
                                List.of(new DataplaneConfig.Steer(0, Prefix.parse("a7::/64"), "p"))),
                        "V5_HEncaps_in"),
                Arguments.of("End.B6.Encaps.Red", BindingSidTest.bound("End.B6.Encaps.Red", "b"), "V1_End_in"),
                Arguments.of("End.B6.Insert", InsertTest.bound("End.B6.Insert"), "V1_End_in"),
                Arguments.of("End.B6.Insert.Red", InsertTest.bound("End.B6.Insert.Red"), "V1_End_in"),
                Arguments.of("H.Insert", InsertTest.headend(PolicyMode.INSERT), "V5_HEncaps_in"),
                Arguments.of("H.Insert.Red", InsertTest.headend(PolicyMode.INSERT_RED), "V5_HEncaps_in"),
                Arguments.of("End.DX2", Layer2Test.dx2(), "dx2"),
                Arguments.of("H.Encaps.L2", Layer2Test.l2Headend(PolicyMode.ENCAP_L2), "l2"),
                Arguments.of("H.Encaps.L2.Red", Layer2Test.l2Headend(PolicyMode.ENCAP_L2_RED), "l2"),
                Arguments.of(
                        "End NEXT-CSID",
                        NextCsidTest.router(NextCsidTest.csid("fcbb:0:400::", "End", null, Set.of(), 32, 16)),
                        "csid"),
                Arguments.of(
                        "End.X NEXT-CSID",
                        BehaviorTest.config(
                                NextCsidTest.csid("fcbb:0:400::", "End.X", "2001:db8:1::2", Set.of(), 32, 16)),
                        "csid"),
                Arguments.of("ICMPv6 Packet Too Big, sent then rate-limited", PacketTooBigTest.router(), "big6"),
                Arguments.of("ICMPv4 Fragmentation Needed, sent then rate-limited", PacketTooBigTest.router(), "big4"),
                Arguments.of("ICMPv6 errors, sent then rate-limited", IcmpErrorTest.router(), "V7_SLgtLE1_in"),
                Arguments.of("ICMPv6 echo to the router", Harness.config(List.of(), List.of(), List.of()), "echo6"),
                Arguments.of("End behind a Hop-by-Hop header, SRH with TLVs", MalformedTest.router(), "hbh-tlv"),
                Arguments.of("Malformed SRHs dropped by sr-localsid", MalformedTest.router(), "tlv-overrun"),
                Arguments.of("ARP request answered, its sender learned", NdTest.router(), "arp-request"),
                Arguments.of("NS answered with an NA, its source learned", NdTest.router(), "ns"),
                Arguments.of(
                        "ARP request, a worker's copy: learned from, not answered",
                        NdTest.router(),
                        "arp-request-copy"),
                Arguments.of("NS, a worker's copy: learned from, not answered", NdTest.router(), "ns-copy"),
                Arguments.of(
                        "End once the traced packets are done", FlavorTest.end("a3::", "End", Set.of()), "traced"));
    }

    /** The frame a path is driven with: a shared vector, or one of the packets named here. */
    static byte[] frame(String vector) {
        if (vector.endsWith("-copy")) {
            return frame(vector.substring(0, vector.length() - "-copy".length()));
        }
        if (vector.equals("l2")) {
            return Layer2Test.customerFrame(); // not to the router's MAC: the attachment circuit takes it
        }
        if (vector.equals("arp-request")) {
            return Packets.ethernet(
                    MacAddress.BROADCAST.bytes(),
                    Harness.SENDER_MAC.bytes(),
                    0x0806,
                    NdFrames.arp(1, Harness.SENDER_MAC, "192.0.2.99", NdFrames.ZERO, "192.0.2.1"));
        }
        if (vector.equals("ns")) {
            return Harness.frame(
                    NdFrames.group("ff02::1:ff00:1"),
                    Harness.SENDER_MAC,
                    NdFrames.ns("2001:db8:1::99", "ff02::1:ff00:1", "2001:db8:1::1", Harness.SENDER_MAC));
        }
        byte[] packet =
                switch (vector) {
                    case "echo6" -> LocalDeliveryTest.echo6(LocalDeliveryTest.SENDER6, "2001:db8:1::1");
                    case "dx2" -> Packets.ip6("2001:db8:9::1", "a3::d2", 64, 143, Layer2Test.customerFrame());
                    case "csid" -> Packets.udp6("2001:db8:9::1", "fcbb:0:400:300:200::", 64, 8);
                    case "big6" -> Packets.udp6("2001:db8:9::1", "a7::1", 64, 1460);
                    case "big4" -> PacketTooBigTest.ip4(1500, true);
                    case "hbh-tlv" ->
                        MalformedTest.ip6(
                                MalformedTest.SRC,
                                "a3::",
                                64,
                                0,
                                MalformedTest.cat(
                                        MalformedTest.options(43, 8),
                                        MalformedTest.srh(
                                                41, 1, 1, new byte[] {0, 4, 1, 9, 0x7f, 2, 9, 9}, "a5::", "a3::"),
                                        MalformedTest.inner6()));
                    case "tlv-overrun" ->
                        MalformedTest.ip6(
                                MalformedTest.SRC,
                                "a3::",
                                64,
                                43,
                                MalformedTest.cat(
                                        MalformedTest.srh(
                                                41, 1, 1, new byte[] {4, 10, 0, 0, 0, 0, 0, 0}, "a5::", "a3::"),
                                        MalformedTest.inner6()));
                    case "traced" -> Vectors.get("V1_End_in");
                    default -> Vectors.get(vector);
                };
        return Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, packet);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void forwardsWithoutAllocating(String path, DataplaneConfig config, String vector) throws Exception {
        measure(path, config, vector, e -> {});
    }

    /**
     * A capture on rx, tx and drop adds no allocation of the engine's own: the sink sees frames through
     * one reused view (this sink reads them without copying). V7 is received, dropped, and answered.
     */
    @Test
    void captureAllocatesNothingInTheEngine() throws Exception {
        long[] seen = new long[2];
        measure(
                "capture rx, tx, drop",
                IcmpErrorTest.router(),
                "V7_SLgtLE1_in",
                e -> e.capture(null, EnumSet.allOf(Capture.Direction.class), f -> {
                    seen[0] += f.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, f.offset());
                    seen[1]++;
                }));
        assertThat(seen[1]).isPositive();
    }

    /**
     * Address resolution end to end, over and over in fake time: a packet to a next hop without a MAC
     * (glean: held, NS or ARP request), the answer (learned, held packet sent), ReachableTime (aged to
     * STALE), a packet (DELAY), probes unanswered until FAILED, and again. Nothing of it allocates.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"IPv6 (ND)", "IPv4 (ARP)"})
    void addressResolutionCyclesWithoutAllocating(String family) throws Exception {
        boolean v6 = family.startsWith("IPv6");
        FakeClock clock = new FakeClock();
        try (Engine e = new Engine("alloc", clock, MemoryPort.FACTORY)) {
            e.apply(NeighborTest.router());
            long[] sent = new long[1];
            for (String iface : List.of("in", "out")) {
                e.port(iface, MemoryPort.class).onTransmit((i, s, o, l) -> sent[0]++);
            }
            byte[] packet = Harness.frame(
                    Harness.IN_MAC,
                    Harness.SENDER_MAC,
                    v6
                            ? Packets.udp6(NeighborTest.SRC6, "2001:db8:9::1", 64, 8)
                            : Packets.udp4("192.0.2.99", "203.0.113.7", 64, false, 8));
            byte[] answer = v6
                    ? Harness.frame(
                            Harness.OUT_MAC,
                            Harness.PEER_MAC,
                            NdFrames.na(NeighborTest.NH6, "2001:db8:2::1", NeighborTest.NH6, 0x60, Harness.PEER_MAC))
                    : Packets.ethernet(
                            Harness.OUT_MAC.bytes(),
                            Harness.PEER_MAC.bytes(),
                            0x0806,
                            NdFrames.arp(2, Harness.PEER_MAC, NeighborTest.NH4, Harness.OUT_MAC, "198.51.100.1"));
            MemoryPort in = e.port("in", MemoryPort.class);
            MemoryPort out = e.port("out", MemoryPort.class);
            var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().threadId();
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 12 && best != 0; round++) {
                long before = mx.getThreadAllocatedBytes(tid);
                for (int i = 0; i < 2_000; i++) {
                    in.inject(packet); // glean: held, solicited
                    e.poll();
                    out.inject(answer); // learned, the held packet sent
                    e.poll();
                    clock.advance(e.resolution().reachableTime()); // aged: STALE
                    e.runTimers();
                    in.inject(packet); // DELAY
                    e.poll();
                    while (e.nextDeadline() != Long.MAX_VALUE) { // PROBE, unanswered: FAILED
                        clock.now = e.nextDeadline();
                        e.runTimers();
                    }
                }
                long allocated = mx.getThreadAllocatedBytes(tid) - before;
                if (round > 0) {
                    best = Math.min(best, allocated);
                }
            }
            assertThat(best)
                    .as(family + ": bytes allocated in the best round after warm-up")
                    .isZero();
            assertThat(sent[0]).isPositive();
            assertThat(e.neighbors().getLast().state()).isEqualTo(NeighborEntry.State.FAILED);
            Harness.assertBalanced(e);
        }
    }

    /**
     * Receive and transmit through the {@link dev.srv6sh.dataplane.port.Port} interface allocate
     * nothing, whatever the port does with the buffers: a memory port holding its transmit ring until
     * drained, and loopback ports (written against the public port API) that copy frames into
     * buffers they allocate and free what they sent only when the far end is done with it.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {"memory port, transmit ring drained", "loopback ports, sent buffers freed on completion"})
    void receiveAndTransmitThroughPortsWithoutAllocating(String kind) throws Exception {
        byte[] frame = frame("V4_EndDX4_in");
        DataplaneConfig config = BehaviorTest.config(Harness.sid("a3::c4", "End.DX4", "4.1.1.123"));
        java.util.Map<String, FarEnd> far = new java.util.HashMap<>();
        boolean loopback = kind.startsWith("loopback");
        dev.srv6sh.dataplane.port.PortFactory ports = loopback
                ? (iface, pool) -> {
                    var link = new dev.srv6sh.dataplane.port.Loopback(iface.name(), 0);
                    far.put(iface.name(), new FarEnd(link));
                    return link.a(pool);
                }
                : MemoryPort.FACTORY;
        try (Engine e = new Engine("alloc", Clock.SYSTEM, ports)) {
            e.apply(config);
            long[] sent = new long[1];
            MemoryPort in = loopback ? null : e.port("in", MemoryPort.class);
            MemoryPort out = loopback ? null : e.port("out", MemoryPort.class);
            if (!loopback) {
                out.onTransmit((i, s, o, l) -> sent[0]++);
                out.holdTransmitted(true);
            }
            FarEnd farIn = far.get("in");
            FarEnd farOut = far.get("out");
            // what left: the far end takes it (loopback), or the ring is drained to the sink (memory)
            Runnable takeOut = loopback ? () -> sent[0] += farOut.discard() : out::drainTransmitted;
            Runnable round = () -> {
                for (int i = 0; i < 20_000; i++) {
                    if (loopback) {
                        farIn.send(frame);
                    } else {
                        in.inject(frame);
                    }
                    if ((i & 127) == 127) {
                        e.poll();
                        takeOut.run();
                    }
                }
                e.poll();
                takeOut.run();
                e.poll(); // the loopback's out frees what its far end took
            };
            var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().threadId();
            long best = Long.MAX_VALUE;
            for (int r = 0; r < 12 && best != 0; r++) {
                long before = mx.getThreadAllocatedBytes(tid);
                round.run();
                long allocated = mx.getThreadAllocatedBytes(tid) - before;
                if (r > 0) {
                    best = Math.min(best, allocated);
                }
            }
            assertThat(best)
                    .as(kind + ": bytes allocated in the best round after warm-up")
                    .isZero();
            assertThat(sent[0]).as(kind + ": packets went out").isPositive();
            assertThat(e.counters().port("out").txPackets()).isEqualTo(sent[0]);
            Harness.assertBalanced(e);
        } finally {
            far.values().forEach(FarEnd::close);
        }
    }

    private static void measure(String path, DataplaneConfig config, String vector, Consumer<Engine> arm)
            throws Exception {
        try (Engine e = new Engine("alloc", Clock.SYSTEM, MemoryPort.FACTORY)) {
            e.apply(config);
            arm.accept(e);
            long[] sent = new long[1];
            for (String iface : List.of("in", "out")) {
                e.port(iface, MemoryPort.class).onTransmit((i, s, o, l) -> sent[0]++);
            }
            byte[] frame = frame(vector);
            // a copy another worker answers (Workers): learned from, and nothing sent
            int flags = vector.endsWith("-copy") ? Buffers.LEARN_ONLY : 0;
            MemoryPort in = e.port("in", MemoryPort.class);
            if (vector.equals("traced")) {
                e.trace(3); // the first round traces three packets; afterwards tracing is off again
            }
            var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().threadId();
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 12 && best != 0; round++) {
                long before = mx.getThreadAllocatedBytes(tid);
                for (int i = 0; i < 20_000; i++) {
                    in.inject(frame, 0, frame.length, 0, flags);
                    if ((i & 127) == 127) {
                        e.poll();
                    }
                }
                e.poll();
                long allocated = mx.getThreadAllocatedBytes(tid) - before;
                if (round > 0) {
                    assertThat(allocated)
                            .as(path + ": bytes for 20,000 packets")
                            .isLessThan(20_000);
                    best = Math.min(best, allocated);
                }
            }
            assertThat(best)
                    .as(path + ": bytes allocated in the best round after warm-up")
                    .isZero();
            if (flags != 0) {
                assertThat(sent[0]).as(path + ": nothing answered").isZero();
                assertThat(e.counters().neighbors().consumed())
                        .as(path + ": learned from")
                        .isPositive();
            } else if (!vector.equals("tlv-overrun")) {
                assertThat(sent[0]).as(path + ": packets went out").isPositive();
            }
            Harness.assertBalanced(e);
            if (vector.equals("traced")) {
                assertThat(e.traces()).hasSize(3);
            }
        }
    }
}
