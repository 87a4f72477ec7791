package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.agent.AgentJson;
import dev.srv6sh.dataplane.agent.CommitInfo;
import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.agent.PacketTrace;
import dev.srv6sh.dataplane.agent.Traces;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentJsonTest {

    @Test
    void aWholeConfigurationRoundTrips() {
        DataplaneConfig.Sid dx4 = Harness.sid("2001:db8:f::10", "End.DX4", "198.51.100.2")
                .withFlavors(Set.of(DataplaneConfig.Flavor.PSP, DataplaneConfig.Flavor.USD));
        DataplaneConfig.Sid dt = new DataplaneConfig.Sid(
                "dt", Addresses.parse6("2001:db8:f::20"), "End.DT4", Map.of("table", DataplaneConfig.Arg.of(7)));
        DataplaneConfig.Sid b6 = new DataplaneConfig.Sid(
                "b6",
                Addresses.parse6("2001:db8:f::30"),
                "End.B6.Encaps",
                Map.of("policy", DataplaneConfig.Arg.of("p")));
        DataplaneConfig c = Harness.config(
                        List.of(dx4, dt, b6),
                        List.of(Harness.policy(
                                "p", DataplaneConfig.PolicyMode.ENCAP_RED, "2001:db8:a::1", "2001:db8:b::1")),
                        List.of(new DataplaneConfig.Steer(
                                0, dev.srv6sh.dataplane.config.Prefix.parse("203.0.113.0/24"), "p")))
                .withSrDomain(new DataplaneConfig.SrDomain(
                        List.of("out"), List.of(dev.srv6sh.dataplane.config.Prefix.parse("2001:db8::/32"))));

        String json = AgentJson.write(c);
        assertThat(json).contains("\"@type\":\"Address\"", "\"address\":\"198.51.100.2\"", "\"PSP\"");
        assertThat(AgentJson.read(json, DataplaneConfig.class)).isEqualTo(c);
    }

    @Test
    void countersKeepEverySixtyFourBitValue() {
        Counters c = new Counters(
                List.of(new Counters.NodeStats("ip6-input", 3, 2, Long.MAX_VALUE, 1L << 60)),
                Map.of("ip6-input: hop limit", 9_007_199_254_740_993L),
                List.of(new Counters.PortStats("in", 1, 2, 3, 4, 5, 6)),
                List.of(new Counters.SidStats("dx4", "End.DX4", 1, 2, 3, 4)),
                Map.of("time exceeded", 1L),
                12,
                new Counters.NeighborStats(1, 2, 3, 4),
                Counters.LargeSends.NONE);
        assertThat(AgentJson.read(AgentJson.write(c), Counters.class)).isEqualTo(c);
        Counters large = new Counters(
                c.nodes(),
                c.errors(),
                c.ports(),
                c.sids(),
                c.icmpErrors(),
                c.echoesAnswered(),
                c.neighbors(),
                new Counters.LargeSends(Long.MAX_VALUE, 7));
        assertThat(AgentJson.read(AgentJson.write(large), Counters.class)).isEqualTo(large);
        // a router from before large sends: no such member, read as none
        String old = AgentJson.write(c).replaceAll(",?\"largeSends\":\\{[^}]*\\}", "");
        assertThat(old).doesNotContain("largeSends");
        assertThat(AgentJson.read(old, Counters.class).largeSends()).isEqualTo(Counters.LargeSends.NONE);
        assertThat(AgentJson.read(old, Counters.class).toString()).doesNotContain("Large sends");
    }

    @Test
    void historyTracesAndNeighborsRoundTrip() {
        CommitInfo ci = new CommitInfo(
                3,
                "alice",
                Instant.parse("2026-12-07T08:00:00.123456789Z"),
                "dx4 \"to\" tokyo\n",
                "+1 sid",
                4,
                CommitInfo.PENDING,
                Instant.parse("2026-12-07T08:00:03Z"));
        Object back = AgentJson.read(
                AgentJson.write(List.of(ci), AgentJson.listOf(CommitInfo.class)), AgentJson.listOf(CommitInfo.class));
        assertThat(back).isEqualTo(List.of(ci));

        Traces t = new Traces(
                List.of(new PacketTrace(1, "in", List.of(new PacketTrace.Step("ip6-input", "hop limit 64")), false)),
                List.of());
        assertThat(AgentJson.read(AgentJson.write(t), Traces.class)).isEqualTo(t);

        NeighborEntry n = new NeighborEntry(
                Addresses.parse("2001:db8:2::2"),
                MacAddress.parse("02:00:00:00:00:99"),
                "out",
                NeighborEntry.State.REACHABLE,
                Duration.ofMillis(1500),
                0);
        assertThat(AgentJson.read(AgentJson.write(n), NeighborEntry.class)).isEqualTo(n);
        assertThat(AgentJson.read(AgentJson.write(new byte[] {1, 2, 3}), byte[].class))
                .containsExactly(1, 2, 3);
    }

    @Test
    void badInputIsAClearErrorNamingWhere() {
        assertThatThrownBy(() -> AgentJson.read("{\"generation\":\"x\"}", dev.srv6sh.dataplane.agent.ConfigView.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$.generation");
        assertThatThrownBy(() -> AgentJson.read(
                        "{\"name\":\"s\",\"address\":\"10.0.0.1\",\"behavior\":\"End\"}", DataplaneConfig.Sid.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$.address");
        assertThatThrownBy(() -> AgentJson.read("[".repeat(10_000), Object.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nested deeper");
        assertThatThrownBy(() ->
                        AgentJson.read("{\"generation\":1e400000000}", dev.srv6sh.dataplane.agent.ConfigView.class))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
