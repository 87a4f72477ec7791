package dev.srv6sh.dataplane;

import static dev.srv6sh.dataplane.FakeClock.ms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.agent.NeighborEntry.State;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Address resolution in fake time: a packet to a next hop without a MAC solicits it once and waits;
 * the answer releases what waited, in order; solicitations are retransmitted each RetransTimer up to
 * MAX_MULTICAST_SOLICIT, then the held packets are dropped with ICMPv6 Address Unreachable; entries
 * age REACHABLE → STALE → DELAY → PROBE as RFC 4861 §7.3 says; static entries win.
 */
class NeighborTest {
    static final String NH6 = "2001:db8:2::2"; // the default routes' next hops, here without static entries
    static final String NH4 = "198.51.100.2";
    static final String SRC6 = "2001:db8:1::99"; // static, so that errors can reach it
    static final MacAddress NEW_MAC = MacAddress.parse("02:00:00:00:00:98");

    /** Harness's router with static entries for the senders on 'in' only. */
    static DataplaneConfig router() {
        List<DataplaneConfig.Neighbor> statics = List.of(
                new DataplaneConfig.Neighbor(Addresses.parse(SRC6), Harness.SENDER_MAC, "in"),
                new DataplaneConfig.Neighbor(Addresses.parse("192.0.2.99"), Harness.SENDER_MAC, "in"));
        return new DataplaneConfig(
                "test", Harness.interfaces(), Harness.defaults(), statics, List.of(), List.of(), List.of(), null);
    }

    static byte[] udp6(int n) {
        return Packets.udp6(SRC6, "2001:db8:9::1", 64, n);
    }

    /** Delivers an NA for {@code target} on 'out'. */
    static void na(Harness h, String target, int flags, MacAddress tllao) {
        h.engine
                .port("out", MemoryPort.class)
                .inject(Harness.frame(
                        Harness.OUT_MAC, Harness.PEER_MAC, NdFrames.na(target, "2001:db8:2::1", target, flags, tllao)));
        h.engine.poll();
    }

    static NeighborEntry entry(Harness h, String address) {
        return h.engine.neighbors().stream()
                .filter(e -> e.address().equals(Addresses.parse(address)))
                .findFirst()
                .orElseThrow();
    }

    /** Asserts the first frame sent on 'out' since the last call is an NS for {@code target}, multicast or unicast. */
    static void assertNs(Harness h, String target, boolean unicast) {
        assertThat(h.out).isNotEmpty();
        byte[] f = h.out.removeFirst();
        String dst = unicast ? target : "ff02::1:ff00:" + target.substring(target.lastIndexOf(':') + 1);
        MacAddress to = unicast ? Harness.PEER_MAC : NdFrames.group(dst);
        byte[] ns = NdFrames.ns("2001:db8:2::1", dst, target, Harness.OUT_MAC);
        assertThat(f).isEqualTo(Harness.frame(to, Harness.OUT_MAC, ns));
    }

    @Test
    void oneSolicitationThenTheHeldPacketsLeaveInOrderWithTheLearnedMac() throws Exception {
        FakeClock clock = new FakeClock();
        try (Harness h = new Harness(router(), clock)) {
            for (int i = 1; i <= 3; i++) {
                h.send(udp6(i));
            }
            assertThat(h.out).as("exactly one solicitation for three packets").hasSize(1);
            assertNs(h, NH6, false);
            assertThat(entry(h, NH6).state()).isEqualTo(State.INCOMPLETE);
            assertThat(entry(h, NH6).held()).isEqualTo(3);
            assertThat(h.engine.nextDeadline()).isEqualTo(clock.now + Neighbors.RETRANS_TIMER);
            clock.advance(ms(20));
            na(h, NH6, 0x60, NEW_MAC);
            assertThat(h.out).hasSize(3);
            for (int i = 0; i < 3; i++) {
                byte[] f = h.out.get(i);
                assertThat(Arrays.copyOfRange(f, 0, 6)).isEqualTo(NEW_MAC.bytes());
                assertThat(f.length).as("in the order they came").isEqualTo(14 + 40 + 8 + i + 1);
                assertThat(f[14 + 7]).as("hop limit decremented once").isEqualTo((byte) 63);
            }
            NeighborEntry e = entry(h, NH6);
            assertThat(e.state()).isEqualTo(State.REACHABLE);
            assertThat(e.mac()).isEqualTo(NEW_MAC);
            assertThat(e.held()).isZero();
            h.out.clear();
            h.send(udp6(9));
            assertThat(h.out).hasSize(1); // straight out now
        }
    }

    @Test
    void solicitationsAreRetransmittedThenTheHeldPacketsGetAddressUnreachable() throws Exception {
        FakeClock clock = new FakeClock();
        try (Harness h = new Harness(router(), clock)) {
            h.send(udp6(1));
            assertNs(h, NH6, false);
            clock.advance(Neighbors.RETRANS_TIMER - 1);
            h.engine.runTimers();
            assertThat(h.out).as("not yet").isEmpty();
            for (int n = 2; n <= Neighbors.MAX_MULTICAST_SOLICIT; n++) {
                clock.advance(1);
                h.engine.runTimers();
                assertThat(h.out).hasSize(1);
                assertNs(h, NH6, false);
                clock.advance(Neighbors.RETRANS_TIMER - 1);
            }
            clock.advance(1);
            h.engine.runTimers();
            assertThat(h.out).isEmpty();
            assertThat(entry(h, NH6).state()).isEqualTo(State.FAILED);
            assertThat(h.engine
                            .counters()
                            .get("ip6-glean", "address resolution failed: no answer to the solicitations"))
                    .isEqualTo(1);
            // RFC 4861 §7.2.2: ICMPv6 Destination Unreachable, code 3, to the held packet's source
            assertThat(h.in).hasSize(1);
            byte[] err = Arrays.copyOfRange(h.in.getFirst(), 14, h.in.getFirst().length);
            assertThat(Arrays.copyOfRange(err, 24, 40)).isEqualTo(Packets.addr(SRC6));
            assertThat(err[40]).as("type").isEqualTo((byte) 1);
            assertThat(err[41]).as("code: address unreachable").isEqualTo((byte) 3);
            assertThat(h.engine.nextDeadline()).isEqualTo(Long.MAX_VALUE);
            // the next packet starts again
            h.send(udp6(2));
            assertNs(h, NH6, false);
            assertThat(entry(h, NH6).state()).isEqualTo(State.INCOMPLETE);
        }
    }

    @Test
    void reachableGoesStaleThenDelayOnUseThenProbeWithUnicastSolicitations() throws Exception {
        FakeClock clock = new FakeClock();
        try (Harness h = new Harness(router(), clock)) {
            h.send(udp6(1));
            na(h, NH6, 0x60, Harness.PEER_MAC);
            h.out.clear();
            long reachable = h.engine.resolution().reachableTime();
            assertThat(reachable).isBetween(Neighbors.BASE_REACHABLE_TIME / 2, Neighbors.BASE_REACHABLE_TIME * 3 / 2);
            clock.advance(reachable - 1);
            h.engine.runTimers();
            assertThat(entry(h, NH6).state()).isEqualTo(State.REACHABLE);
            clock.advance(1);
            h.engine.runTimers(); // no traffic: the timer alone ages it
            assertThat(entry(h, NH6).state()).isEqualTo(State.STALE);
            h.send(udp6(2));
            assertThat(h.out).as("a STALE entry is used at once").hasSize(1);
            h.out.clear();
            assertThat(entry(h, NH6).state()).isEqualTo(State.DELAY);
            clock.advance(Neighbors.DELAY_FIRST_PROBE_TIME - 1);
            h.engine.runTimers();
            assertThat(entry(h, NH6).state()).isEqualTo(State.DELAY);
            clock.advance(1);
            h.engine.poll(); // poll runs due timers too
            assertThat(entry(h, NH6).state()).isEqualTo(State.PROBE);
            assertNs(h, NH6, true);
            for (int n = 2; n <= Neighbors.MAX_UNICAST_SOLICIT; n++) {
                clock.advance(Neighbors.RETRANS_TIMER);
                h.engine.runTimers();
                assertNs(h, NH6, true);
            }
            na(h, NH6, 0x40, null); // solicited, no option: confirms the cached MAC
            assertThat(entry(h, NH6).state()).isEqualTo(State.REACHABLE);
            assertThat(entry(h, NH6).mac()).isEqualTo(Harness.PEER_MAC);
        }
    }

    @Test
    void unansweredProbesEndInFailed() throws Exception {
        FakeClock clock = new FakeClock();
        try (Harness h = new Harness(router(), clock)) {
            h.send(udp6(1));
            na(h, NH6, 0x20, Harness.PEER_MAC); // unsolicited: STALE, and the held packet goes out (DELAY)
            assertThat(entry(h, NH6).state()).isEqualTo(State.DELAY);
            h.out.clear();
            clock.advance(Neighbors.DELAY_FIRST_PROBE_TIME);
            for (int n = 0; n < Neighbors.MAX_UNICAST_SOLICIT; n++) {
                h.engine.runTimers();
                clock.advance(Neighbors.RETRANS_TIMER);
            }
            h.engine.runTimers();
            assertThat(entry(h, NH6).state()).isEqualTo(State.FAILED);
            assertThat(h.out).hasSize(Neighbors.MAX_UNICAST_SOLICIT);
            assertThat(h.out)
                    .allSatisfy(f -> assertThat(Arrays.copyOfRange(f, 0, 6)).isEqualTo(Harness.PEER_MAC.bytes()));
        }
    }

    @Test
    void anOverrideChangesTheMacAndANonOverrideOnlyCastsDoubt() throws Exception {
        FakeClock clock = new FakeClock();
        try (Harness h = new Harness(router(), clock)) {
            h.send(udp6(1));
            na(h, NH6, 0x60, Harness.PEER_MAC);
            na(h, NH6, 0x40, NEW_MAC); // solicited, no override, another MAC: REACHABLE → STALE, MAC kept
            assertThat(entry(h, NH6).state()).isEqualTo(State.STALE);
            assertThat(entry(h, NH6).mac()).isEqualTo(Harness.PEER_MAC);
            na(h, NH6, 0x20, NEW_MAC); // override: the new MAC, STALE (not solicited)
            assertThat(entry(h, NH6).mac()).isEqualTo(NEW_MAC);
            assertThat(entry(h, NH6).state()).isEqualTo(State.STALE);
            h.out.clear();
            h.send(udp6(2));
            assertThat(Arrays.copyOfRange(h.out.getFirst(), 0, 6)).isEqualTo(NEW_MAC.bytes());
        }
    }

    @Test
    void staticEntriesWinOverWhatTheWireSays() throws Exception {
        try (Harness h = new Harness(Harness.config(List.of(), List.of(), List.of()), new FakeClock())) {
            na(h, NH6, 0x60, NEW_MAC);
            assertThat(h.engine.counters().get("ip6-nd", "NA for a static neighbor (ignored)"))
                    .isEqualTo(1);
            assertThat(entry(h, NH6).state()).isEqualTo(State.PERMANENT);
            assertThat(entry(h, NH6).mac()).isEqualTo(Harness.PEER_MAC);
            h.send(udp6(1));
            h.onlyOut(); // to PEER_MAC, and no solicitation
            assertThat(h.engine.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Test
    void ipv4UsesArpOnTheSameStateMachine() throws Exception {
        FakeClock clock = new FakeClock();
        try (Harness h = new Harness(router(), clock)) {
            h.send(Packets.udp4("192.0.2.99", "203.0.113.7", 64, false, 8));
            assertThat(h.out).hasSize(1);
            byte[] request = Packets.ethernet(
                    MacAddress.BROADCAST.bytes(),
                    Harness.OUT_MAC.bytes(),
                    0x0806,
                    NdFrames.arp(1, Harness.OUT_MAC, "198.51.100.1", NdFrames.ZERO, NH4));
            assertThat(h.out.removeFirst()).isEqualTo(request);
            assertThat(entry(h, NH4).state()).isEqualTo(State.INCOMPLETE);
            h.engine
                    .port("out", MemoryPort.class)
                    .inject(Packets.ethernet(
                            Harness.OUT_MAC.bytes(),
                            NEW_MAC.bytes(),
                            0x0806,
                            NdFrames.arp(2, NEW_MAC, NH4, Harness.OUT_MAC, "198.51.100.1")));
            h.engine.poll();
            assertThat(entry(h, NH4).state()).as("a unicast reply confirms").isEqualTo(State.REACHABLE);
            assertThat(h.out).hasSize(1);
            assertThat(Arrays.copyOfRange(h.out.getFirst(), 0, 6)).isEqualTo(NEW_MAC.bytes());
            assertThat(h.out.getFirst()[14 + 8]).as("TTL").isEqualTo((byte) 63);
        }
    }

    @Test
    void aConnectedRouteResolvesEachDestination() throws Exception {
        try (Harness h = new Harness(router(), new FakeClock())) {
            h.send(Packets.udp6(SRC6, "2001:db8:2::10", 64, 8));
            h.send(Packets.udp6(SRC6, "2001:db8:2::11", 64, 8));
            h.send(Packets.udp6(SRC6, "2001:db8:2::10", 64, 8));
            assertThat(h.out).hasSize(2);
            assertNs(h, "2001:db8:2::10", false);
            assertNs(h, "2001:db8:2::11", false);
            assertThat(h.out).isEmpty();
            assertThat(entry(h, "2001:db8:2::10").held()).isEqualTo(2);
        }
    }

    @Test
    void anNsFromAWaitingNeighborReleasesItsPackets() throws Exception {
        try (Harness h = new Harness(router(), new FakeClock())) {
            h.send(udp6(1));
            h.out.clear();
            h.engine
                    .port("out", MemoryPort.class)
                    .inject(Harness.frame(
                            NdFrames.group("ff02::1:ff00:1"),
                            NEW_MAC,
                            NdFrames.ns(NH6, "ff02::1:ff00:1", "2001:db8:2::1", NEW_MAC)));
            h.engine.poll();
            assertThat(h.out).hasSize(2); // the NA, and the held packet to the MAC the NS gave
            assertThat(h.out)
                    .allSatisfy(f -> assertThat(Arrays.copyOfRange(f, 0, 6)).isEqualTo(NEW_MAC.bytes()));
            assertThat(entry(h, NH6).state()).as("STALE, then used: DELAY").isEqualTo(State.DELAY);
        }
    }
}
