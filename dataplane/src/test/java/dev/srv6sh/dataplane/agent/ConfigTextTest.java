package dev.srv6sh.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigTextTest {
    static final DataplaneConfig FULL = new DataplaneConfig(
            "r1",
            AgentConformance.BASE.interfaces(),
            List.of(
                    new DataplaneConfig.Route(0, Prefix.parse("0.0.0.0/0"), Addresses.parse("198.51.100.2"), null),
                    new DataplaneConfig.Route(0, Prefix.parse("203.0.113.0/24"), null, "inside"),
                    new DataplaneConfig.Route(
                            2, Prefix.parse("192.0.2.128/25"), Addresses.parse("192.0.2.254"), "inside"),
                    new DataplaneConfig.Route(0, Prefix.parse("203.0.113.0/24"), null, "transit")),
            AgentConformance.BASE.neighbors(),
            List.of(
                    new DataplaneConfig.Sid(
                                    "dx4",
                                    Addresses.parse6("2001:db8:f::10"),
                                    "End.DX4",
                                    Map.of("nh", DataplaneConfig.Arg.of(Addresses.parse("198.51.100.2"))))
                            .withFlavors(Set.of()),
                    new DataplaneConfig.Sid(
                            "e",
                            Addresses.parse6("2001:db8:f::e"),
                            "End",
                            Map.of(),
                            Set.of(DataplaneConfig.Flavor.USD, DataplaneConfig.Flavor.PSP),
                            true,
                            new DataplaneConfig.CsidFormat(48, 16))),
            List.of(
                    new DataplaneConfig.Policy(
                            "home",
                            Addresses.parse6("2001:db8:f::100"),
                            DataplaneConfig.PolicyMode.ENCAP,
                            List.of(new DataplaneConfig.SegmentList(
                                    1,
                                    List.of(Addresses.parse6("2001:db8:1::10"), Addresses.parse6("2001:db8:2::10"))))),
                    new DataplaneConfig.Policy(
                            "w",
                            null,
                            DataplaneConfig.PolicyMode.ENCAP_RED,
                            List.of(
                                    new DataplaneConfig.SegmentList(2, List.of(Addresses.parse6("2001:db8:1::10"))),
                                    new DataplaneConfig.SegmentList(1, List.of(Addresses.parse6("2001:db8:2::10")))))),
            List.of(
                    new DataplaneConfig.Steer(0, Prefix.parse("203.0.113.0/24"), "home"),
                    new DataplaneConfig.Steer(3, Prefix.parse("198.51.100.128/25"), "w"),
                    DataplaneConfig.Steer.l2("inside", "home")),
            new DataplaneConfig.Encap(Addresses.parse6("2001:db8:1::1"), 63),
            new DataplaneConfig.SrDomain(List.of("inside"), List.of(Prefix.parse("2001:db8::/32"))));

    @Test
    void everyItemInTheLanguagesSyntax() {
        assertThat(ConfigText.render(FULL))
                .isEqualTo(
                        """
                        interface inside { address 192.0.2.1/24; mac 02:00:00:00:01:01; mtu 1500 }
                        interface transit { address 198.51.100.1/24, 2001:db8:1::1/64; mac 02:00:00:00:01:02; mtu 1500 }
                        route 0.0.0.0/0 via 198.51.100.2
                        route 203.0.113.0/24 via inside
                        route 192.0.2.128/25 via 192.0.2.254 oif inside table 2
                        route 203.0.113.0/24 via transit
                        neighbor 198.51.100.2 02:00:00:00:01:99 transit
                        neighbor 2001:db8:1::2 02:00:00:00:01:99 transit
                        neighbor 192.0.2.10 02:00:00:00:01:77 inside
                        sid dx4 at 2001:db8:f::10 End.DX4 nh 198.51.100.2
                        sid e at 2001:db8:f::e End flavors psp,usd count true lblen 48 nflen 16
                        policy home bsid 2001:db8:f::100 encap [2001:db8:1::10, 2001:db8:2::10]
                        policy w encap.red { [2001:db8:1::10] weight 2; [2001:db8:2::10] weight 1 }
                        steer 203.0.113.0/24 -> home
                        steer 198.51.100.128/25 -> w table 3
                        steer interface inside -> home
                        encap source 2001:db8:1::1
                        encap hoplimit 63
                        sr-domain edge inside trusted 2001:db8::/32
                        """);
    }

    @Test
    void itemsAndBackGiveTheSameConfiguration() {
        Map<String, Object> items = ConfigItems.of(FULL);
        assertThat(items.keySet())
                .containsExactly(
                        "interface inside",
                        "interface transit",
                        "route 0 0.0.0.0/0",
                        "route 0 203.0.113.0/24",
                        "route 2 192.0.2.128/25",
                        "route 0 203.0.113.0/24 #2",
                        "neighbor 198.51.100.2",
                        "neighbor 2001:db8:1::2",
                        "neighbor 192.0.2.10",
                        "sid dx4",
                        "sid e",
                        "policy home",
                        "policy w",
                        "steer 0 203.0.113.0/24",
                        "steer 3 198.51.100.128/25",
                        "steer l2 inside",
                        "encap source",
                        "encap hoplimit",
                        "sr-domain");
        assertThat(ConfigItems.toConfig("r1", items)).isEqualTo(FULL);
        assertThat(ConfigItems.toConfig("r1", ConfigItems.of(AgentConformance.BASE)))
                .isEqualTo(AgentConformance.BASE);
        assertThat(ConfigItems.toConfig("r1", new LinkedHashMap<>())).isEqualTo(ConfigStore.empty("r1"));
    }

    @Test
    void diffListsChangesInConfigurationOrder() {
        DataplaneConfig from =
                AgentConformance.withSid(AgentConformance.BASE, AgentConformance.dx4("a", "2001:db8:f::a"));
        DataplaneConfig to = AgentConformance.withSid(
                new DataplaneConfig(
                        "r1",
                        from.interfaces(),
                        from.routes().subList(1, 2),
                        from.neighbors(),
                        List.of(),
                        List.of(),
                        List.of(),
                        new DataplaneConfig.Encap(Addresses.parse6("2001:db8:1::1"), 60)),
                AgentConformance.dx4("b", "2001:db8:f::b"));
        List<Change> d = ConfigItems.diff(from, to);
        assertThat(d)
                .extracting(Change::kind, Change::item)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("-", "route 0 0.0.0.0/0"),
                        org.assertj.core.groups.Tuple.tuple("-", "sid a"),
                        org.assertj.core.groups.Tuple.tuple("+", "sid b"),
                        org.assertj.core.groups.Tuple.tuple("~", "encap hoplimit"));
        assertThat(d.getLast().before()).isEqualTo("encap hoplimit 64");
        assertThat(d.getLast().after()).isEqualTo("encap hoplimit 60");
        assertThat(ConfigStore.summary(d)).isEqualTo("- route 0 0.0.0.0/0, - sid a, + sid b, ~ encap hoplimit");
    }

    @Test
    void aCommitKeepsTheItemsOthersChanged() {
        // running moved on (another commit added sid x); this session only added sid y
        DataplaneConfig base = AgentConformance.BASE;
        DataplaneConfig running = AgentConformance.withSid(base, AgentConformance.dx4("x", "2001:db8:f::1"));
        DataplaneConfig candidate = AgentConformance.withSid(base, AgentConformance.dx4("y", "2001:db8:f::2"));
        Map<String, Object> merged = ConfigItems.merge(
                ConfigItems.of(running),
                ConfigItems.of(candidate),
                ConfigItems.changedKeys(ConfigItems.of(base), ConfigItems.of(candidate)));
        assertThat(ConfigItems.toConfig("r1", merged).sids())
                .extracting(DataplaneConfig.Sid::name)
                .containsExactly("y", "x"); // the candidate's order, then what others added
    }

    @Test
    void anInterfaceOnALinuxDeviceSaysItsDriverAndDevice() {
        DataplaneConfig.Interface i = new DataplaneConfig.Interface(
                        "transit", null, List.of(Prefix.parse("2001:db8:1::1/64")), 1500)
                .on("af_packet", "veth-r1");
        assertThat(ConfigText.iface(i))
                .isEqualTo(
                        "interface transit { address 2001:db8:1::1/64; mtu 1500; driver af_packet; device \"veth-r1\" }");
        assertThat(ConfigText.iface(i.on(null, null)))
                .isEqualTo("interface transit { address 2001:db8:1::1/64; mtu 1500 }");
        assertThat(ConfigItems.diff(
                        FULL,
                        new DataplaneConfig(
                                FULL.router(),
                                FULL.interfaces().stream()
                                        .map(x -> x.on("tap", "tap-" + x.name()))
                                        .toList(),
                                FULL.routes(),
                                FULL.neighbors(),
                                FULL.sids(),
                                FULL.policies(),
                                FULL.steering(),
                                FULL.encap(),
                                FULL.srDomain())))
                .allMatch(c -> c.item().startsWith("interface ") && c.kind().equals("~"));
    }
}
