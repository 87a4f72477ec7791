package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.agent.NeighborEntry.State;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bounds of address resolution (packets held per neighbor and in all, entries in the table) and
 * what a new configuration does to learned entries and held packets; counters balance throughout
 * (the harness checks it when it closes, held packets included).
 */
class NeighborQueueTest {
    static final String NH6 = NeighborTest.NH6;

    static void inject(Harness h, String dst, int count) {
        for (int i = 0; i < count; i++) {
            h.engine
                    .port("in", MemoryPort.class)
                    .inject(Harness.frame(
                            Harness.IN_MAC, Harness.SENDER_MAC, Packets.udp6(NeighborTest.SRC6, dst, 64, i)));
        }
    }

    @Test
    void aBurstBeyondTheQueueKeepsTheNewestAndCountsTheOverflow() throws Exception {
        try (Harness h = new Harness(NeighborTest.router(), new FakeClock())) {
            inject(h, "2001:db8:9::1", Neighbors.QUEUE + 44);
            h.engine.poll();
            assertThat(NeighborTest.entry(h, NH6).held()).isEqualTo(Neighbors.QUEUE);
            assertThat(h.engine
                            .counters()
                            .get(
                                    "ip6-glean",
                                    "queue of a neighbor being resolved overflowed: its oldest packet dropped"))
                    .isEqualTo(44);
            h.out.clear();
            NeighborTest.na(h, NH6, 0x60, Harness.PEER_MAC);
            assertThat(h.out).hasSize(Neighbors.QUEUE);
            for (int i = 0; i < Neighbors.QUEUE; i++) {
                assertThat(h.out.get(i).length).as("oldest first").isEqualTo(14 + 48 + 44 + i);
            }
        }
    }

    /**
     * RFC 4861 §7.2.2: queued packets are sent in order. The answer's own vector fills interface-output
     * past a vector (10 released + 250 routed back out of 'in'); the released ones still leave oldest
     * first, and ahead of what that vector sent after them.
     */
    @Test
    void heldPacketsLeaveInOrderWhenTheAnswersVectorOverfillsInterfaceOutput() throws Exception {
        try (Harness h = new Harness(NeighborTest.router(), new FakeClock())) {
            for (int i = 1; i <= 10; i++) {
                h.send(NeighborTest.udp6(i)); // held for NH6, frames of 63..72 bytes
            }
            h.out.clear();
            MemoryPort out = h.engine.port("out", MemoryPort.class);
            out.inject(Harness.frame(
                    Harness.OUT_MAC, Harness.PEER_MAC, NdFrames.na(NH6, "2001:db8:2::1", NH6, 0x60, Harness.PEER_MAC)));
            for (int i = 0; i < 250; i++) {
                out.inject(Harness.frame(
                        Harness.OUT_MAC, Harness.PEER_MAC, Packets.udp6("2001:db8:9::5", NeighborTest.SRC6, 64, 100)));
            }
            h.engine.poll();
            assertThat(h.in).as("the 250 routed to 'in'").hasSize(250);
            assertThat(h.out.stream().map(f -> f.length).toList())
                    .as("released in the order they were held")
                    .containsExactly(63, 64, 65, 66, 67, 68, 69, 70, 71, 72);
        }
    }

    /**
     * When a resolution failure answers more held packets than a vector at once, the rate limit lets
     * the errors about the oldest through (each source gets a burst of 50), in the order they were
     * held: ip6-icmp-error takes its pending packets first in, first out.
     */
    @Test
    void errorsAboutFailedPacketsAreForTheOldestInOrder() throws Exception {
        String src2 = "2001:db8:1::98";
        DataplaneConfig base = NeighborTest.router();
        List<DataplaneConfig.Neighbor> statics = new java.util.ArrayList<>(base.neighbors());
        statics.add(new DataplaneConfig.Neighbor(Addresses.parse(src2), Harness.SENDER_MAC, "in"));
        DataplaneConfig c = new DataplaneConfig(
                "test", base.interfaces(), base.routes(), statics, List.of(), List.of(), List.of(), null);
        FakeClock clock = new FakeClock();
        try (Harness h = new Harness(c, clock)) {
            int each = 200; // two neighbors' queues: 400 errors asked for at once
            for (int i = 0; i < each; i++) {
                h.engine
                        .port("in", MemoryPort.class)
                        .inject(Harness.frame(
                                Harness.IN_MAC,
                                Harness.SENDER_MAC,
                                Packets.udp6(NeighborTest.SRC6, "2001:db8:9::1", 64, i)));
                h.engine
                        .port("in", MemoryPort.class)
                        .inject(Harness.frame(
                                Harness.IN_MAC, Harness.SENDER_MAC, Packets.udp6(src2, "2001:db8:2::10", 64, i)));
            }
            h.engine.poll();
            assertThat(h.engine.counters().held()).isEqualTo(2L * each);
            while (h.engine.nextDeadline() != Long.MAX_VALUE) {
                clock.now = h.engine.nextDeadline();
                h.engine.runTimers();
            }
            assertThat(h.engine.counters().held()).isZero();
            for (String src : List.of(NeighborTest.SRC6, src2)) {
                byte[] to = Packets.addr(src);
                List<Integer> about = h.in.stream()
                        .filter(f -> Arrays.equals(f, 14 + 24, 14 + 40, to, 0, 16))
                        .map(f -> (((f[14 + 48 + 4] & 0xff) << 8 | (f[14 + 48 + 5] & 0xff)) - 8))
                        .toList();
                assertThat(about)
                        .as("errors to %s, by the UDP payload size of the packet they quote", src)
                        .isEqualTo(java.util.stream.IntStream.range(0, (int) Ip6IcmpError.BURST)
                                .boxed()
                                .toList());
            }
        }
    }

    @Test
    void theBoundOverAllNeighborsDropsNewArrivals() throws Exception {
        FakeClock clock = new FakeClock();
        try (Harness h = new Harness(NeighborTest.router(), clock)) {
            for (int d = 0; d < 5; d++) {
                inject(h, "2001:db8:2::1" + d, Neighbors.QUEUE);
                h.engine.poll();
            }
            assertThat(h.engine.counters().held()).isEqualTo(Neighbors.HELD_MAX);
            assertThat(h.engine
                            .counters()
                            .get("ip6-glean", "packets awaiting address resolution reached the engine's bound"))
                    .isEqualTo(5L * Neighbors.QUEUE - Neighbors.HELD_MAX);
            for (int i = 0; i < Neighbors.MAX_MULTICAST_SOLICIT; i++) {
                clock.now = h.engine.nextDeadline(); // as an event loop steps from deadline to deadline
                h.engine.runTimers();
            }
            assertThat(h.engine.counters().held()).isZero();
            assertThat(h.engine
                            .counters()
                            .get("ip6-glean", "address resolution failed: no answer to the solicitations"))
                    .isEqualTo(Neighbors.HELD_MAX);
        }
    }

    @Test
    void aFullTableEvictsTheLongestStaleEntryThenRefuses() throws Exception {
        FakeClock clock = new FakeClock();
        try (Harness h = new Harness(NeighborTest.router(), clock)) {
            int learned = NeighborTable.CAPACITY - 2; // beside the two static entries
            for (int i = 0; i < learned; i++) {
                String src = "2001:db8:1::" + Integer.toHexString(0x1000 + i);
                h.engine
                        .port("in", MemoryPort.class)
                        .inject(Harness.frame(
                                Harness.IN_MAC,
                                Harness.SENDER_MAC,
                                NdFrames.ns(src, "2001:db8:1::1", "2001:db8:1::1", MacAddress.local(0x1000 + i))));
                if (i == 0) {
                    h.engine.poll();
                    clock.advance(1_000);
                }
            }
            h.engine.poll();
            assertThat(h.engine.neighbors()).hasSize(NeighborTable.CAPACITY);
            h.send(Packets.udp6(NeighborTest.SRC6, "2001:db8:2::77", 64, 8));
            assertThat(NeighborTest.entry(h, "2001:db8:2::77").state()).isEqualTo(State.INCOMPLETE);
            assertThat(h.engine.neighbors())
                    .as("the first learned, the longest STALE, made room")
                    .noneMatch(e -> e.address().equals(Addresses.parse("2001:db8:1::1000")));
            for (int i = 1; i < learned; i++) {
                h.send(Packets.udp6(NeighborTest.SRC6, "2001:db8:2::" + Integer.toHexString(0x2000 + i), 64, 8));
            }
            assertThat(h.engine.counters().get("ip6-glean", "neighbor table full"))
                    .isZero();
            h.send(Packets.udp6(NeighborTest.SRC6, "2001:db8:2::7777", 64, 8));
            assertThat(h.engine.counters().get("ip6-glean", "neighbor table full"))
                    .isEqualTo(1);
        }
    }

    @Test
    void aNewConfigurationKeepsLearnedEntriesAndDropsWhatAGoneInterfaceHeld() throws Exception {
        try (Harness h = new Harness(NeighborTest.router(), new FakeClock())) {
            h.send(NeighborTest.udp6(1));
            NeighborTest.na(h, NH6, 0x60, Harness.PEER_MAC);
            h.send(Packets.udp6(NeighborTest.SRC6, "2001:db8:2::10", 64, 8)); // held
            DataplaneConfig c = NeighborTest.router();
            List<DataplaneConfig.Interface> swapped =
                    List.of(c.interfaces().get(1), c.interfaces().get(0));
            h.engine.apply(new DataplaneConfig(
                    "test", swapped, c.routes(), c.neighbors(), List.of(), List.of(), List.of(), null));
            assertThat(NeighborTest.entry(h, NH6).state()).isEqualTo(State.REACHABLE);
            assertThat(NeighborTest.entry(h, NH6).iface()).isEqualTo("out");
            assertThat(NeighborTest.entry(h, "2001:db8:2::10").held()).isEqualTo(1);
            DataplaneConfig inOnly = new DataplaneConfig(
                    "test",
                    List.of(c.interfaces().get(0)),
                    List.of(),
                    c.neighbors(),
                    List.of(),
                    List.of(),
                    List.of(),
                    null);
            h.engine.apply(inOnly);
            assertThat(h.engine.counters().get("ip6-glean", "held for an interface the new configuration removed"))
                    .isEqualTo(1);
            assertThat(h.engine.neighbors()).allMatch(e -> e.iface().equals("in"));
        }
    }

    @Test
    void aStaticEntryConfiguredLaterReleasesWhatWaitedForIt() throws Exception {
        try (Harness h = new Harness(NeighborTest.router(), new FakeClock())) {
            h.send(NeighborTest.udp6(1));
            h.out.clear();
            h.engine.apply(Harness.config(List.of(), List.of(), List.of())); // NH6 static: PEER_MAC
            h.onlyOut();
            assertThat(NeighborTest.entry(h, NH6).state()).isEqualTo(State.PERMANENT);
            assertThat(h.engine.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Test
    void staticNeighborsAreCheckedWithTheRestOfTheConfiguration() {
        DataplaneConfig c = NeighborTest.router();
        DataplaneConfig group = new DataplaneConfig(
                "test",
                c.interfaces(),
                c.routes(),
                List.of(new DataplaneConfig.Neighbor(Addresses.parse(NH6), MacAddress.BROADCAST, "out")),
                List.of(),
                List.of(),
                List.of(),
                null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FibBuilder.build(group))
                .isInstanceOf(ConfigException.class)
                .hasMessage("neighbor 2001:db8:2::2: ff:ff:ff:ff:ff:ff is not a unicast MAC address");
        List<DataplaneConfig.Neighbor> many = new java.util.ArrayList<>();
        for (int i = 0; i <= NeighborTable.STATIC_MAX; i++) {
            many.add(new DataplaneConfig.Neighbor(
                    Addresses.parse("2001:db8:2::" + Integer.toHexString(0x100 + i)), Harness.PEER_MAC, "out"));
        }
        DataplaneConfig tooMany =
                new DataplaneConfig("test", c.interfaces(), c.routes(), many, List.of(), List.of(), List.of(), null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FibBuilder.build(tooMany))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("513 static neighbors: at most 512");
    }

    @Test
    void showNeighborsPrintsAddressMacInterfaceStateAndAge() throws Exception {
        FakeClock clock = new FakeClock();
        try (Harness h = new Harness(NeighborTest.router(), clock)) {
            h.send(NeighborTest.udp6(1));
            clock.advance(Duration.ofMillis(1500).toNanos());
            assertThat(NeighborEntry.render(h.engine.neighbors()))
                    .isEqualTo(String.format(
                            "%-28s %-17s %-10s %-10s %10s %5s%n"
                                    + "%-28s %-17s %-10s %-10s %10s %5s%n"
                                    + "%-28s %-17s %-10s %-10s %10s %5s%n"
                                    + "%-28s %-17s %-10s %-10s %10s %5s%n",
                            "address",
                            "mac",
                            "interface",
                            "state",
                            "age",
                            "held",
                            "192.0.2.99",
                            "02:00:00:00:00:77",
                            "in",
                            "permanent",
                            "1.5s",
                            "0",
                            "2001:db8:1::99",
                            "02:00:00:00:00:77",
                            "in",
                            "permanent",
                            "1.5s",
                            "0",
                            "2001:db8:2::2",
                            "-",
                            "out",
                            "incomplete",
                            "1.5s",
                            "1"));
            assertThat(NeighborEntry.render(List.of())).isEqualTo("no neighbors\n");
        }
    }
}
