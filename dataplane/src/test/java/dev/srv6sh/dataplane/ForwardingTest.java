package dev.srv6sh.dataplane;

import static dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode.ENCAP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Routing, steering and validation through a whole engine (the trie itself is LpmTest's). */
class ForwardingTest {
    private static DataplaneConfig withRoutes(DataplaneConfig.Route... extra) {
        DataplaneConfig c = Harness.config(List.of(), List.of(), List.of());
        List<DataplaneConfig.Route> routes = new ArrayList<>(c.routes());
        routes.addAll(List.of(extra));
        List<DataplaneConfig.Neighbor> neighbors = new ArrayList<>(c.neighbors());
        neighbors.add(new DataplaneConfig.Neighbor(Addresses.parse("192.0.2.2"), Harness.PEER_MAC, "in"));
        return new DataplaneConfig(
                "test", c.interfaces(), routes, neighbors, c.sids(), c.policies(), c.steering(), c.encap());
    }

    private static DataplaneConfig.Route via(String prefix, String nh) {
        return new DataplaneConfig.Route(0, Prefix.parse(prefix), Addresses.parse(nh), null);
    }

    @Test
    void theLongestMatchingRouteWinsAndTheDefaultTakesTheRest() throws Exception {
        // 10/8 out of 'in', 10.1/16 back out of 'out', 10.1.2.3/32 out of 'in' again; default out of 'out'
        DataplaneConfig c = withRoutes(
                via("10.0.0.0/8", "192.0.2.2"), via("10.1.0.0/16", "198.51.100.2"), via("10.1.2.3/32", "192.0.2.2"));
        try (Harness h = new Harness(c)) {
            for (String dst : List.of("10.9.9.9", "10.1.9.9", "10.1.2.3", "11.0.0.1")) {
                h.send(EngineTest.udp4(dst, 64));
            }
            assertThat(h.in).hasSize(2); // 10.9.9.9 and 10.1.2.3
            assertThat(h.out).hasSize(2); // 10.1.9.9 and 11.0.0.1 (default)
            assertThat(h.in.get(0)[14 + 17]).isEqualTo((byte) 9);
            assertThat(h.in.get(1)[14 + 19]).isEqualTo((byte) 3);
            h.assertBalanced();
        }
    }

    @Test
    void withoutADefaultAnUnroutedDestinationIsDropped() throws Exception {
        DataplaneConfig c = Harness.config(List.of(), List.of(), List.of());
        c = new DataplaneConfig(
                "test", c.interfaces(), List.of(), c.neighbors(), List.of(), List.of(), List.of(), null);
        try (Harness h = new Harness(c)) {
            h.send(EngineTest.udp4("203.0.113.77", 64));
            h.send(Vectors.get("V5_HEncaps_in"));
            assertThat(h.engine.counters().get("ip4-lookup", "no route to the destination"))
                    .isEqualTo(1);
            assertThat(h.engine.counters().get("ip6-lookup", "no route to the destination"))
                    .isEqualTo(1);
            h.assertBalanced();
        }
    }

    @Test
    void aPolicyWithWeightedListsSpreadsFlowsByWeightAndKeepsEachFlowOnOneList() throws Exception {
        DataplaneConfig.Policy p = new DataplaneConfig.Policy(
                "w",
                null,
                ENCAP,
                List.of(
                        new DataplaneConfig.SegmentList(1, List.of(Addresses.parse6("a4::1"))),
                        new DataplaneConfig.SegmentList(3, List.of(Addresses.parse6("a4::3")))));
        DataplaneConfig c = Harness.config(
                List.of(), List.of(p), List.of(new DataplaneConfig.Steer(0, Prefix.parse("192.0.2.0/24"), "w")));
        try (Harness h = new Harness(c)) {
            Map<Integer, Integer> listOfFlow = new HashMap<>();
            int[] perList = new int[4];
            for (int round = 0; round < 2; round++) {
                for (int port = 1000; port < 3000; port++) {
                    byte[] pkt = EngineTest.udp4("192.0.2.10", 64);
                    pkt[20] = (byte) (port >>> 8);
                    pkt[21] = (byte) port;
                    h.send(pkt);
                    byte[] out = h.out.removeLast();
                    int list = out[14 + 39]; // the last byte of the outer DA: 1 or 3
                    assertThat(listOfFlow.computeIfAbsent(port, k -> list)).isEqualTo(list);
                    perList[list]++;
                }
            }
            assertThat(perList[1] + perList[3]).isEqualTo(4000);
            assertThat(perList[3] / (double) perList[1]).isBetween(2.4, 3.6);
            h.assertBalanced();
        }
    }

    @Test
    void hEncapsDropsAPacketWhoseInnerTtlWouldReachZero() throws Exception {
        DataplaneConfig c = Harness.config(
                List.of(),
                List.of(Harness.policy("p", ENCAP, "a4::", "a5::")),
                List.of(
                        new DataplaneConfig.Steer(0, Prefix.parse("192.0.2.0/24"), "p"),
                        new DataplaneConfig.Steer(0, Prefix.parse("a7::/64"), "p")));
        try (Harness h = new Harness(c)) {
            h.send(EngineTest.udp4("192.0.2.10", 1));
            byte[] v6 = Vectors.get("V5_HEncaps_in");
            v6[7] = 1;
            h.send(v6);
            assertThat(h.out).isEmpty();
            assertThat(h.engine.counters().get("sr-policy-rewrite-encaps", "inner TTL or hop limit expired"))
                    .isEqualTo(2);
            h.send(EngineTest.udp4("192.0.2.10", 2));
            assertThat(h.onlyOut()[40 + 40 + 8])
                    .as("inner TTL 2 → 1 is still carried (after IPv6 + a 2-SID SRH)")
                    .isEqualTo((byte) 1);
            h.assertBalanced();
        }
    }

    @Test
    void malformedIpv6HeadersAreCounted() throws Exception {
        try (Harness h = new Harness(Harness.config(List.of(), List.of(), List.of()))) {
            byte[] v = Vectors.get("V5_HEncaps_in");
            v[0] = 0x40; // version 4 in an IPv6 EtherType
            byte[] f = Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, v);
            f[12] = (byte) 0x86;
            f[13] = (byte) 0xdd;
            h.engine.port("in", MemoryPort.class).inject(f);
            h.engine.poll();
            assertThat(h.engine.counters().get("ip6-input", "version is not 6")).isEqualTo(1);
            byte[] padded = Arrays.copyOf(Vectors.get("V5_HEncaps_in"), 80); // Ethernet padding is trimmed
            h.send(padded);
            assertThat(h.onlyOut()).hasSize(56);
            h.assertBalanced();
        }
    }

    @Test
    void anExhaustedPoolCountsRxDropsInsteadOfThrowing() throws Exception {
        try (Harness h = new Harness(Harness.config(List.of(), List.of(), List.of()))) {
            byte[] f = Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, EngineTest.udp4("203.0.113.77", 64));
            for (int i = 0; i < Engine.POOL + 100; i++) {
                h.engine.port("in", MemoryPort.class).inject(f);
            }
            h.engine.port("in", MemoryPort.class).inject(new byte[4000]); // larger than a buffer
            assertThat(h.engine.poll()).isEqualTo(Engine.POOL);
            assertThat(h.out).hasSize(Engine.POOL);
            assertThat(h.engine.counters().port("in").rxNoBuffer()).isEqualTo(101);
            h.assertBalanced();
        }
    }

    @Test
    void everyInconsistencyIsRejectedWithItsReason() throws Exception {
        DataplaneConfig good = Harness.config(List.of(), List.of(), List.of());
        DataplaneConfig.Sid dx4v6 = Harness.sid("a3::c4", "End.DX4", "2001:db8:2::9");
        DataplaneConfig.Sid dx2 = Harness.sid("a3::c5", "End.DX2", null);
        DataplaneConfig.Sid b6 = new DataplaneConfig.Sid(
                "b", Addresses.parse6("a3::b6"), "End.B6.Encaps", Harness.args(null, 0, "ghost"));
        DataplaneConfig.Policy empty = new DataplaneConfig.Policy("e", null, ENCAP, List.of());
        DataplaneConfig.Policy emptyList =
                new DataplaneConfig.Policy("e", null, ENCAP, List.of(new DataplaneConfig.SegmentList(1, List.of())));
        DataplaneConfig unreachableVia = new DataplaneConfig(
                "test",
                good.interfaces(),
                List.of(via("10.0.0.0/8", "203.0.113.9")),
                good.neighbors(),
                List.of(),
                List.of(),
                List.of(),
                null);
        Map<DataplaneConfig, String> bad = new HashMap<>();
        bad.put(Harness.config(List.of(dx4v6), List.of(), List.of()), "End.DX4 needs an IPv4 next hop");
        bad.put(Harness.config(List.of(dx2), List.of(), List.of()), "End.DX2 needs an outgoing interface (oif)");
        DataplaneConfig.Sid dx2Nowhere = new DataplaneConfig.Sid(
                "x", Addresses.parse6("a3::c5"), "End.DX2", Map.of("oif", DataplaneConfig.Arg.of("eth9")));
        bad.put(Harness.config(List.of(dx2Nowhere), List.of(), List.of()), "no interface 'eth9'");
        for (int[] lengths : new int[][] {{32, 0}, {0, 16}, {17, 16}, {32, 17}, {120, 16}, {16, 120}, {64, 64}}) {
            DataplaneConfig.Sid csid = new DataplaneConfig.Sid("c", Addresses.parse6("fcbb:0:100::"), "End", Map.of())
                    .withFlavors(Set.of(DataplaneConfig.Flavor.NEXT_CSID))
                    .withCsid(new DataplaneConfig.CsidFormat(lengths[0], lengths[1]));
            bad.put(
                    Harness.config(List.of(csid), List.of(), List.of()),
                    "NEXT-CSID locator-block length " + lengths[0] + " and node-function length " + lengths[1]);
        }
        DataplaneConfig.Sid csidWithArgument = new DataplaneConfig.Sid(
                        "c", Addresses.parse6("fcbb:0:100:200::"), "End", Map.of())
                .withFlavors(Set.of(DataplaneConfig.Flavor.NEXT_CSID));
        bad.put(
                Harness.config(List.of(csidWithArgument), List.of(), List.of()),
                "with NEXT-CSID the bits after the first 48 (the argument) must be zero");
        DataplaneConfig.Policy l2 = Harness.policy("l2", DataplaneConfig.PolicyMode.ENCAP_L2, "a4::");
        DataplaneConfig.Policy ins = Harness.policy("ins", DataplaneConfig.PolicyMode.INSERT, "a4::");
        bad.put(
                Harness.config(
                        List.of(), List.of(l2), List.of(new DataplaneConfig.Steer(0, Prefix.parse("a7::/64"), "l2"))),
                "policy l2 is encap.l2, which takes the frames of an interface, not packets to a prefix");
        bad.put(
                Harness.config(List.of(), List.of(ins), List.of(DataplaneConfig.Steer.l2("in", "ins"))),
                "frames steered by interface need encap.l2 or encap.l2.red");
        bad.put(
                Harness.config(List.of(), List.of(l2), List.of(DataplaneConfig.Steer.l2("eth9", "l2"))),
                "steer interface eth9: no interface 'eth9'");
        bad.put(
                Harness.config(
                        List.of(),
                        List.of(l2),
                        List.of(DataplaneConfig.Steer.l2("in", "l2"), DataplaneConfig.Steer.l2("in", "l2"))),
                "the interface is already steered into l2");
        bad.put(
                Harness.config(
                        List.of(),
                        List.of(ins),
                        List.of(new DataplaneConfig.Steer(0, Prefix.parse("203.0.113.0/24"), "ins"))),
                "an SRH can be inserted into IPv6 packets only");
        bad.put(
                Harness.config(
                        List.of(),
                        List.of(new DataplaneConfig.Policy(
                                "l2b", Addresses.parse6("a3::99"), DataplaneConfig.PolicyMode.ENCAP_L2, l2.lists())),
                        List.of()),
                "policy l2b: encap.l2 takes frames steered by interface");
        bad.put(Harness.config(List.of(b6), List.of(), List.of()), "there is no policy 'ghost'");
        bad.put(Harness.config(List.of(), List.of(empty), List.of()), "policy e has no SID list");
        bad.put(Harness.config(List.of(), List.of(emptyList), List.of()), "a SID list holds 1 to 15 SIDs");
        bad.put(unreachableVia, "route 10.0.0.0/8: next hop 203.0.113.9 is not on a connected subnet");
        try (Harness h = new Harness(good)) {
            for (var e : bad.entrySet()) {
                assertThatThrownBy(() -> h.engine.apply(e.getKey()))
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining(e.getValue());
            }
            h.send(EngineTest.udp4("203.0.113.77", 64));
            assertThat(h.onlyOut()[8]).isEqualTo((byte) 63);
            assertThat(h.engine.config()).isSameAs(good);
            h.assertBalanced();
        }
    }
}
