package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * End.X, End.T and the decapsulating behaviors, each shown to use what it names: End.X its adjacency
 * and End.T / End.DT* their table, both of which point out of {@code in} where the main table points
 * out of {@code out}.
 */
class BehaviorTest {
    /** 'in' has the neighbors 2001:db8:1::2 and 192.0.2.2; table 9 routes everything out of 'in'. */
    static DataplaneConfig config(DataplaneConfig.Sid sid) {
        List<DataplaneConfig.Route> routes = new ArrayList<>(Harness.defaults());
        routes.add(new DataplaneConfig.Route(9, Prefix.parse("::/0"), Addresses.parse("2001:db8:1::2"), null));
        routes.add(new DataplaneConfig.Route(9, Prefix.parse("0.0.0.0/0"), Addresses.parse("192.0.2.2"), null));
        List<DataplaneConfig.Neighbor> neighbors = new ArrayList<>(Harness.neighbors());
        neighbors.add(new DataplaneConfig.Neighbor(Addresses.parse("2001:db8:1::2"), Harness.PEER_MAC, "in"));
        neighbors.add(new DataplaneConfig.Neighbor(Addresses.parse("192.0.2.2"), Harness.PEER_MAC, "in"));
        neighbors.add(new DataplaneConfig.Neighbor(Addresses.parse("4.1.1.123"), Harness.PEER_MAC, "out"));
        List<DataplaneConfig.Interface> ifs = List.of(
                Harness.iface("in", Harness.IN_MAC, "2001:db8:1::1/64", "192.0.2.1/24"),
                Harness.iface("out", Harness.OUT_MAC, "2001:db8:2::1/64", "198.51.100.1/24", "4.1.1.1/24"));
        return new DataplaneConfig("test", ifs, routes, neighbors, List.of(sid), List.of(), List.of(), null);
    }

    static DataplaneConfig.Sid tableSid(String addr, String b, int table) {
        return new DataplaneConfig.Sid("s", Addresses.parse6(addr), b, Harness.args(null, table, null));
    }

    /** The one frame that left by 'in', without its Ethernet header. */
    static byte[] onlyIn(Harness h) {
        assertThat(h.out).isEmpty();
        assertThat(h.in).hasSize(1);
        byte[] f = h.in.getFirst();
        return Arrays.copyOfRange(f, 14, f.length);
    }

    @Test
    void v3EndDx6DecapsulatesWithAndWithoutAnSrh() throws Exception {
        try (Harness h = new Harness(config(Harness.sid("a3::c4", "End.DX6", "2001:db8:2::2")))) {
            h.send(Vectors.get("V3_EndDX6_in"));
            h.send(Vectors.get("V3b_EndDX6_noSRH_in"));
            assertThat(h.out).hasSize(2);
            for (byte[] f : h.out) {
                assertThat(VectorTest.hex(Arrays.copyOfRange(f, 14, f.length)))
                        .isEqualTo(VectorTest.hex(Vectors.get("V3_EndDX6_out")));
            }
            h.assertBalanced();
        }
    }

    @Test
    void decapsulationRefusesSegmentsLeftAndTheWrongInnerType() throws Exception {
        try (Harness h = new Harness(config(Harness.sid("a3::c4", "End.DX6", "2001:db8:2::2")))) {
            byte[] slOne = Vectors.get("V3_EndDX6_in");
            slOne[43] = 1; // V12: segments left 1 at a decapsulating SID
            h.send(slOne);
            h.send(Vectors.get("V4_EndDX4_in")); // IPv4 inside, End.DX6 SID
            assertThat(h.out).hasSize(2).allMatch(f -> f[14 + 6] == 58); // both answered with ICMPv6 errors
            Counters c = h.engine.counters();
            assertThat(c.get("end-dx6", "decapsulation with segments left > 0")).isEqualTo(1);
            assertThat(c.get("end-dx6", "the inner packet's type is not one the behavior decapsulates"))
                    .isEqualTo(1);
            h.assertBalanced();
        }
    }

    @Test
    void endXForwardsOnItsAdjacencyNotTheFib() throws Exception {
        try (Harness h = new Harness(config(Harness.sid("a3::", "End.X", "2001:db8:1::2")))) {
            h.send(Vectors.get("V1_End_in"));
            assertThat(VectorTest.hex(onlyIn(h))).isEqualTo(VectorTest.hex(Vectors.get("V1_End_out")));
            h.assertBalanced();
        }
    }

    @Test
    void endTLooksUpInItsTable() throws Exception {
        try (Harness h = new Harness(config(tableSid("a3::", "End.T", 9)))) {
            h.send(Vectors.get("V1_End_in"));
            assertThat(VectorTest.hex(onlyIn(h))).isEqualTo(VectorTest.hex(Vectors.get("V1_End_out")));
            h.assertBalanced();
        }
    }

    @Test
    void endDt4AndEndDt6DecapsulateIntoTheirTable() throws Exception {
        try (Harness h = new Harness(config(tableSid("a3::c4", "End.DT4", 9)))) {
            h.send(Vectors.get("V4_EndDX4_in"));
            assertThat(VectorTest.hex(onlyIn(h))).isEqualTo(VectorTest.hex(Vectors.get("V4_EndDX4_out")));
            h.assertBalanced();
        }
        try (Harness h = new Harness(config(tableSid("a3::c4", "End.DT6", 9)))) {
            h.send(Vectors.get("V3_EndDX6_in"));
            assertThat(VectorTest.hex(onlyIn(h))).isEqualTo(VectorTest.hex(Vectors.get("V3_EndDX6_out")));
            h.assertBalanced();
        }
    }

    @Test
    void endDt46TakesBothFamilies() throws Exception {
        try (Harness h = new Harness(config(tableSid("a3::c4", "End.DT46", 9)))) {
            h.send(Vectors.get("V4_EndDX4_in"));
            h.send(Vectors.get("V3_EndDX6_in"));
            assertThat(h.in).hasSize(2);
            assertThat(h.engine.counters().sids().getFirst().packets()).isEqualTo(2);
            h.assertBalanced();
        }
    }

    @Test
    void theMainTableIsUntouchedByAnotherTablesRoutes() throws Exception {
        // without End.T, V1's next segment a4:: follows the main table's default route out of 'out'
        try (Harness h = new Harness(config(Harness.sid("a3::", "End", null)))) {
            h.send(Vectors.get("V1_End_in"));
            assertThat(VectorTest.hex(h.onlyOut())).isEqualTo(VectorTest.hex(Vectors.get("V1_End_out")));
            h.assertBalanced();
        }
    }
}
