package dev.srv6sh.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The picture on one machine: routers A and B, each with a LAN in memory, linked by a udp
 * wire over loopback. A steers 198.51.100.0/24 into an H.Encaps policy to B's End.DX4 SID; nothing
 * about the wire is static, so A finds B's MAC with neighbor discovery across the wire first.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TwoRoutersOverUdpTest {
    static final MacAddress A_LAN = MacAddress.parse("02:00:00:00:0a:01");
    static final MacAddress A_WIRE = MacAddress.parse("02:00:00:00:0a:02");
    static final MacAddress B_WIRE = MacAddress.parse("02:00:00:00:0b:02");
    static final MacAddress B_LAN = MacAddress.parse("02:00:00:00:0b:01");
    static final MacAddress HOST = MacAddress.parse("02:00:00:00:0b:99");
    static final String SID = "2001:db8:b::d4";

    static DataplaneConfig routerA(String wire) {
        return new DataplaneConfig(
                "a",
                List.of(
                        Wires.iface("lan", A_LAN, "192.0.2.1/24"),
                        Wires.iface("wire", A_WIRE, "2001:db8:ab::1/64").on("udp", wire)),
                List.of(new DataplaneConfig.Route(
                        0, Prefix.parse("2001:db8:b::/48"), Addresses.parse("2001:db8:ab::2"), null)),
                List.of(),
                List.of(),
                List.of(new DataplaneConfig.Policy(
                        "to-b",
                        null,
                        DataplaneConfig.PolicyMode.ENCAP,
                        List.of(new DataplaneConfig.SegmentList(1, List.of(Addresses.parse6(SID)))))),
                List.of(new DataplaneConfig.Steer(0, Prefix.parse("198.51.100.0/24"), "to-b")),
                new DataplaneConfig.Encap(Addresses.parse6("2001:db8:ab::1"), 64));
    }

    static DataplaneConfig routerB(String wire) {
        return new DataplaneConfig(
                "b",
                List.of(
                        Wires.iface("wire", B_WIRE, "2001:db8:ab::2/64").on("udp", wire),
                        Wires.iface("lan", B_LAN, "198.51.100.1/24")),
                List.of(),
                List.of(new DataplaneConfig.Neighbor(Addresses.parse("198.51.100.9"), HOST, "lan")),
                List.of(new DataplaneConfig.Sid(
                        "dx4",
                        Addresses.parse6(SID),
                        "End.DX4",
                        Map.of("nh", DataplaneConfig.Arg.of(Addresses.parse("198.51.100.9"))))),
                List.of(),
                List.of(),
                new DataplaneConfig.Encap(Addresses.parse6("2001:db8:ab::2"), 64));
    }

    static byte[] toHost(int seq) {
        return Wires.frame(A_LAN, Wires.SENDER_MAC, Wires.udp4("192.0.2.77", "198.51.100.9", 64, 64, seq));
    }

    @Test
    void encapsulatedTrafficCrossesTheWireAfterNeighborDiscoveryAcrossIt() throws Exception {
        int pa = Wires.freePort();
        int pb = Wires.freePort();
        try (Engine a = Wires.engine("a", routerA(Wires.device(pa, pb)));
                Engine b = Wires.engine("b", routerB(Wires.device(pb, pa)))) {
            List<byte[]> host = Wires.catching(b, "lan");
            MemoryPort lan = a.port("lan", MemoryPort.class);

            lan.inject(toHost(0)); // held by A while it solicits B's address over the wire
            assertThat(Wires.pollUntil(() -> host.size() == 1, a, b))
                    .as("the first packet, after ND")
                    .isTrue();
            NeighborEntry n = a.neighbors().stream()
                    .filter(x -> x.address().equals(Addresses.parse("2001:db8:ab::2")))
                    .findFirst()
                    .orElseThrow();
            assertThat(n.mac()).isEqualTo(B_WIRE);
            assertThat(n.iface()).isEqualTo("wire");
            assertThat(n.state()).isEqualTo(NeighborEntry.State.REACHABLE);

            int frames = 200;
            for (int i = 1; i <= frames; i++) {
                lan.inject(toHost(i));
                int through = i + 1;
                if (i % 50 == 0) { // bursts that B's socket buffer holds until its event loop reads them
                    assertThat(Wires.pollUntil(() -> host.size() == through, a, b))
                            .isTrue();
                }
            }
            for (int i = 0; i <= frames; i++) {
                byte[] f = host.get(i);
                assertThat(Arrays.copyOfRange(f, 0, 6)).isEqualTo(HOST.bytes());
                assertThat(Arrays.copyOfRange(f, 6, 12)).isEqualTo(B_LAN.bytes());
                assertThat(f[12]).as("IPv4 again, decapsulated").isEqualTo((byte) 0x08);
                byte[] sent = Wires.udp4("192.0.2.77", "198.51.100.9", 64, 64, i);
                assertThat(Arrays.copyOfRange(f, 14 + 12, 14 + 20))
                        .as("source and destination")
                        .isEqualTo(Arrays.copyOfRange(sent, 12, 20));
                assertThat(Wires.seq(f)).as("packet %d in order", i).isEqualTo(i);
            }

            Counters ca = a.counters();
            Counters cb = b.counters();
            assertThat(ca.neighbors().solicitations()).as("A asked for B's MAC").isPositive();
            assertThat(cb.neighbors().answers()).as("B answered over the wire").isPositive();
            Counters.SidStats dx4 = cb.sids().stream()
                    .filter(s -> s.sid().equals("dx4"))
                    .findFirst()
                    .orElseThrow();
            assertThat(dx4.packets()).isEqualTo(frames + 1);
            // every frame A sent on the wire arrived at B, and B's answers at A
            assertThat(Wires.pollUntil(
                            () -> b.counters().port("wire").rxPackets()
                                    == a.counters().port("wire").txPackets(),
                            a,
                            b))
                    .isTrue();
            assertThat(a.counters().port("wire").rxPackets())
                    .isEqualTo(b.counters().port("wire").txPackets());
            assertThat(a.counters().port("wire").txPackets()).isGreaterThan(frames);
            for (Engine e : List.of(a, b)) {
                Counters c = e.counters();
                assertThat(c.balanced()).as(e.name() + ": " + c).isTrue();
                assertThat(c.port("wire").rxNoBuffer() + c.port("wire").txErrors())
                        .isZero();
                assertThat(e.buffersInUse()).isZero();
            }
        }
    }
}
