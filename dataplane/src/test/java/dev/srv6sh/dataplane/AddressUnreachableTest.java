package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode;
import dev.srv6sh.dataplane.config.Prefix;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who is told when address resolution fails (RFC 4861 §7.2.2, RFC 4443 §3.1 code 3; RFC 1812
 * §4.3.3.1 for IPv4): the source of every packet in transit, however this router processed it on
 * the way (plain forwarding, End, End.X, NEXT-CSID, a decapsulation, an inserted SRH), gets exactly
 * one error, through ip6/ip4-icmp-error and their rate limit; a packet this router is the source of
 * (an echo reply, an ICMP error, an encapsulation, whose outer source is the router) gets none, as
 * the error would be addressed to the router itself.
 */
class AddressUnreachableTest {
    static final String SRC6 = NeighborTest.SRC6; // static on 'in', so that an error reaches it
    static final String SRC4 = "192.0.2.99";
    static final String FAR6 = "2001:db8:9::5"; // behind the unresolved next hop, as NH6 is everything's

    /** NeighborTest's router (nothing static on 'out') with SIDs and policies whose paths lead out of 'out'. */
    static DataplaneConfig router() {
        DataplaneConfig base = NeighborTest.router();
        List<DataplaneConfig.Sid> sids = List.of(
                Harness.sid("a3::", "End", null),
                Harness.sid("a3::1", "End.X", NeighborTest.NH6),
                Harness.sid("a3::c6", "End.DX6", NeighborTest.NH6),
                Harness.sid("a3::c4", "End.DX4", NeighborTest.NH4),
                NextCsidTest.csid("fcbb:0:400::", "End", null, Set.of(), 32, 16));
        List<DataplaneConfig.Policy> policies = List.of(
                Harness.policy("enc", PolicyMode.ENCAP, "a4::", "a5::"),
                Harness.policy("ins", PolicyMode.INSERT, "a4::"));
        List<DataplaneConfig.Steer> steer = List.of(
                new DataplaneConfig.Steer(0, Prefix.parse("a7::/64"), "enc"),
                new DataplaneConfig.Steer(0, Prefix.parse("a8::/64"), "ins"));
        return new DataplaneConfig(
                "test",
                base.interfaces(),
                base.routes(),
                base.neighbors(),
                sids,
                policies,
                steer,
                new DataplaneConfig.Encap(Addresses.parse6("2001:db8:2::1"), 64));
    }

    static byte[] viaSrh(String sid) {
        return Packets.ip6(SRC6, sid, 64, 43, Packets.srh(17, 1, Packets.udp(8), "2001:db8:9::2", sid));
    }

    /** Each case: a packet received on 'in' that ends up held for NH6 or NH4, and whom the failure tells. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("forwarded", Packets.udp6(SRC6, "2001:db8:9::1", 64, 8), SRC6),
                Arguments.of("End", viaSrh("a3::"), SRC6),
                Arguments.of("End.X", viaSrh("a3::1"), SRC6),
                Arguments.of("End NEXT-CSID", Packets.udp6(SRC6, "fcbb:0:400:300:200::", 64, 8), SRC6),
                Arguments.of(
                        "End.DX6 (the inner packet's source)",
                        Packets.ip6(FAR6, "a3::c6", 64, 41, Packets.udp6(SRC6, "2001:db8:9::1", 64, 8)),
                        SRC6),
                Arguments.of("H.Insert (the source stays the sender's)", Packets.udp6(SRC6, "a8::1", 64, 8), SRC6),
                Arguments.of("IPv4 forwarded", Packets.udp4(SRC4, "203.0.113.7", 64, false, 8), SRC4),
                Arguments.of(
                        "End.DX4 (the inner packet's source)",
                        Packets.ip6(FAR6, "a3::c4", 64, 4, Packets.udp4(SRC4, "203.0.113.7", 64, false, 8)),
                        SRC4),
                Arguments.of("echo reply", LocalDeliveryTest.echo6(FAR6, "2001:db8:1::1"), null),
                Arguments.of("Time Exceeded (an ICMPv6 error)", Packets.udp6(FAR6, SRC6, 1, 8), null),
                Arguments.of("H.Encaps (the outer source is the router)", Packets.udp6(SRC6, "a7::1", 64, 8), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aFailedResolutionTellsTheSourceOfTransitPacketsOnly(String path, byte[] packet, String told) throws Exception {
        FakeClock clock = new FakeClock();
        try (Harness h = new Harness(router(), clock)) {
            h.send(packet);
            assertThat(h.engine.counters().held())
                    .as("held for a next hop on 'out'")
                    .isEqualTo(1);
            long errorsBefore = h.engine.counters().icmpSent();
            h.in.clear();
            while (h.engine.nextDeadline() != Long.MAX_VALUE) { // solicitations unanswered: FAILED
                clock.now = h.engine.nextDeadline();
                h.engine.runTimers();
            }
            Counters c = h.engine.counters();
            assertThat(c.held()).isZero();
            assertThat(c.get("ip6-glean", "address resolution failed: no answer to the solicitations")
                            + c.get("ip4-glean", "address resolution failed: no answer to the solicitations"))
                    .isEqualTo(1);
            assertThat(c.icmpSent() - errorsBefore)
                    .as("errors made by the failure")
                    .isEqualTo(told == null ? 0 : 1);
            if (told == null) {
                assertThat(h.in).isEmpty();
                return;
            }
            assertThat(h.in).as("one error, to the source").hasSize(1);
            byte[] f = h.in.getFirst();
            byte[] ip = Arrays.copyOfRange(f, 14, f.length);
            if (told.contains(":")) {
                assertThat(Arrays.copyOfRange(ip, 24, 40)).isEqualTo(Packets.addr(told));
                assertThat(ip[6]).as("ICMPv6").isEqualTo((byte) 58);
                assertThat(ip[40]).as("Destination Unreachable").isEqualTo((byte) 1);
                assertThat(ip[41]).as("address unreachable").isEqualTo((byte) 3);
            } else {
                assertThat(Arrays.copyOfRange(ip, 16, 20)).isEqualTo(Packets.addr(told));
                assertThat(ip[9]).as("ICMP").isEqualTo((byte) 1);
                assertThat(ip[20]).as("Destination Unreachable").isEqualTo((byte) 3);
                assertThat(ip[21]).as("host unreachable").isEqualTo((byte) 1);
            }
        }
    }
}
