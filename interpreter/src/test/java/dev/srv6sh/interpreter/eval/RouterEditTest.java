package dev.srv6sh.interpreter.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.grammar.parse.ParseResult;
import dev.srv6sh.grammar.parse.Parser;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The router shell's edits: router items parsed by the grammar, checked and lowered by the interpreter's code. */
class RouterEditTest {
    static final Prefix LOCATOR = Prefix.parse("2001:db8:0:1:1::/80");

    static DataplaneConfig base() {
        return new DataplaneConfig(
                "r1",
                List.of(
                        new DataplaneConfig.Interface(
                                "inside",
                                MacAddress.parse("02:00:5e:00:53:01"),
                                List.of(Prefix.parse("198.51.100.1/24")),
                                1500),
                        new DataplaneConfig.Interface(
                                "transit",
                                MacAddress.parse("02:00:5e:00:53:02"),
                                List.of(Prefix.parse("203.0.113.1/24"), Prefix.parse("2001:db8:0:1::1/64")),
                                1500)),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                new DataplaneConfig.Encap(Addresses.parse6("2001:db8:0:1::1"), 64));
    }

    static DataplaneConfig edit(DataplaneConfig c, String text) {
        return edit(c, text, LOCATOR);
    }

    static DataplaneConfig edit(DataplaneConfig c, String text, Prefix locator) {
        ParseResult parsed = Parser.parseRouterItems("<1>", text);
        assertThat(parsed.ok()).as(parsed.diagnostics().toString()).isTrue();
        return new RouterEdit("r1", locator).apply(c, parsed.program(), text).config();
    }

    static ScriptError error(DataplaneConfig c, String text, Prefix locator) {
        ParseResult parsed = Parser.parseRouterItems("<1>", text);
        assertThat(parsed.ok()).as(parsed.diagnostics().toString()).isTrue();
        try {
            new RouterEdit("r1", locator).apply(c, parsed.program(), text);
        } catch (ScriptError e) {
            return e;
        }
        throw new AssertionError("no error for " + text);
    }

    @Test
    void aSidWithoutAddressTakesTheFunctionAScriptWouldGiveIt() {
        DataplaneConfig c = edit(base(), "sid dx4 End.DX4 nh 198.51.100.10");
        DataplaneConfig.Sid sid = c.sids().getFirst();
        assertThat(sid.behavior()).isEqualTo("End.DX4");
        assertThat(sid.args().get("nh").text()).isEqualTo("198.51.100.10");

        // the same SID in a script's router block, allocated by the Binder
        Desired.Router r = new Desired.Router("r1", "v", null);
        r.sids.put(
                "dx4",
                new Desired.Sid("dx4", dev.srv6sh.dataplane.Behaviors.byName("End.DX4"), null, false, Map.of(), null));
        assertThat(sid.address()).isEqualTo(Binder.allocate(r, LOCATOR).sids().get("dx4"));
        assertThat(LOCATOR.contains(sid.address())).isTrue();
    }

    @Test
    void explicitAddressesSuffixesFlavorsAndCounting() {
        DataplaneConfig c = edit(
                base(),
                """
                sid e at ::e End flavors psp, usd
                sid x at 2001:db8:0:1:1:7:: End.X nh 2001:db8:0:2::1 oif transit count true
                """);
        assertThat(c.sids())
                .extracting(s -> Addresses.format(s.address()))
                .containsExactly("2001:db8:0:1:1::e", "2001:db8:0:1:1:7::");
        assertThat(c.sids().getFirst().flavors())
                .containsExactlyInAnyOrder(DataplaneConfig.Flavor.PSP, DataplaneConfig.Flavor.USD);
        assertThat(c.sids().get(1).count()).isTrue();
        assertThat(c.sids().get(1).args().get("oif").text()).isEqualTo("transit");
    }

    @Test
    void aSidOutsideTheLocatorIsRefusedWhereItIsWritten() {
        ScriptError e = error(base(), "sid x at 2001:db8:9::1 End", LOCATOR);
        assertThat(e.getMessage()).contains("outside the router's locator 2001:db8:0:1:1::/80");
    }

    @Test
    void withoutALocatorOnlyExplicitAddressesGo() {
        DataplaneConfig c = edit(base(), "sid x at 2001:db8:9::1 End", null);
        assertThat(Addresses.format(c.sids().getFirst().address())).isEqualTo("2001:db8:9::1");
        ScriptError e = error(base(), "sid y End", null);
        assertThat(e.getMessage()).contains("locator is not known").contains("at ADDRESS");
        assertThat(error(base(), "policy p encap [2001:db8::1]", null).getMessage())
                .contains("bsid ADDRESS");
    }

    @Test
    void hostNamesAreNotAddressesHere() {
        ScriptError e = error(base(), "sid dx4 End.DX4 nh pc", LOCATOR);
        assertThat(e.getMessage()).contains("'pc' is not an address");
        assertThat(e.diagnostic().span().column()).isEqualTo(20);
        assertThat(error(base(), "steer pv -> p", LOCATOR).getMessage()).contains("'pv' is not an address");
        assertThat(error(base(), "route 10.0.0.0/8 via gw", LOCATOR).getMessage())
                .contains("'gw' is not an address");
    }

    @Test
    void theLanguagesOwnChecksStillApply() {
        ScriptError e = error(base(), "sid x End.DX5 nh 198.51.100.2", LOCATOR);
        assertThat(e.getMessage()).isEqualTo("unknown behavior 'End.DX5'");
        assertThat(e.diagnostic().notes()).anyMatch(n -> n.contains("End.DX4"));
        assertThat(error(base(), "sid x End.DX4", LOCATOR).getMessage()).contains("needs 'nh'");
        assertThat(error(base(), "encap hoplimit 300", LOCATOR).getMessage()).contains("1..255");
    }

    @Test
    void policiesNameThisRoutersSidsOrAddresses() {
        DataplaneConfig c = edit(
                base(),
                """
                sid e at ::e End
                policy home bsid 2001:db8:0:1:1::b encap [2001:db8:0:2::d4, r1.e]
                policy w encap {
                  [2001:db8:0:2::d4] weight 3
                  [2001:db8:0:3::d4] weight 1
                }
                steer 203.0.113.0/24 -> home
                """);
        DataplaneConfig.Policy home = c.policies().getFirst();
        assertThat(home.lists().getFirst().sids())
                .extracting(Addresses::format)
                .containsExactly("2001:db8:0:2::d4", "2001:db8:0:1:1::e");
        assertThat(Addresses.format(home.bsid())).isEqualTo("2001:db8:0:1:1::b");
        DataplaneConfig.Policy w = c.policies().get(1);
        assertThat(w.lists()).extracting(DataplaneConfig.SegmentList::weight).containsExactly(3, 1);
        assertThat(LOCATOR.contains(w.bsid())).isTrue();
        assertThat(c.steering()).containsExactly(new DataplaneConfig.Steer(0, Prefix.parse("203.0.113.0/24"), "home"));
        assertThat(error(base(), "policy p encap [r2.e]", LOCATOR).getMessage()).contains("router r1's own SIDs only");
        assertThat(error(base(), "policy p encap [r1.nope]", LOCATOR).getMessage())
                .contains("router r1 has no SID 'nope'");
    }

    @Test
    void routesNeighborsInterfacesAndEncapsulation() {
        DataplaneConfig c = edit(
                base(),
                """
                route 0.0.0.0/0 via 198.51.100.254
                route 192.0.2.0/24 via inside table 2
                neighbor 198.51.100.254 02:00:5e:00:53:fe inside
                interface inside { address 198.51.100.7/24, 2001:db8:0:7::1/64; mtu 9000 }
                encap source auto
                encap hoplimit 63
                """);
        assertThat(c.routes())
                .containsExactly(
                        new DataplaneConfig.Route(
                                0, Prefix.parse("0.0.0.0/0"), Addresses.parse("198.51.100.254"), null),
                        new DataplaneConfig.Route(2, Prefix.parse("192.0.2.0/24"), null, "inside"));
        assertThat(c.neighbors().getFirst().mac()).isEqualTo(MacAddress.parse("02:00:5e:00:53:fe"));
        DataplaneConfig.Interface inside = c.interfaces().getFirst();
        assertThat(inside.addresses())
                .containsExactly(Prefix.parse("198.51.100.7/24"), Prefix.parse("2001:db8:0:7::1/64"));
        assertThat(inside.mtu()).isEqualTo(9000);
        assertThat(inside.mac()).isEqualTo(MacAddress.parse("02:00:5e:00:53:01"));
        assertThat(c.encap()).isEqualTo(new DataplaneConfig.Encap(Addresses.parse6("2001:db8:0:1::1"), 63));
        assertThat(error(base(), "interface eth9 { mtu 1500 }", LOCATOR).getMessage())
                .contains("no interface 'eth9'; it has inside, transit");
        assertThat(error(base(), "interface inside { driver tap; device \"tap9\" }", LOCATOR)
                        .getMessage())
                .contains(
                        "interface inside is on memory; its driver and device are the router's to open when it starts");
        assertThat(error(base(), "locator 2001:db8::/64", LOCATOR).getMessage()).contains("locator");
        assertThat(error(base(), "instance \"m5.large\"", LOCATOR).getMessage()).contains("deployment setting");
    }

    @Test
    void routesOutOfAnInterfaceSteeringInATableAndTheSrDomain() {
        DataplaneConfig c = edit(
                base(),
                """
                route 0.0.0.0/0 via 198.51.100.254 oif inside
                steer 203.0.113.0/24 -> p table 3
                sr-domain edge inside trusted 2001:db8::/32
                """);
        assertThat(c.routes().getFirst())
                .isEqualTo(new DataplaneConfig.Route(
                        0, Prefix.parse("0.0.0.0/0"), Addresses.parse("198.51.100.254"), "inside"));
        assertThat(c.steering().getFirst().table()).isEqualTo(3);
        assertThat(c.srDomain())
                .isEqualTo(new DataplaneConfig.SrDomain(List.of("inside"), List.of(Prefix.parse("2001:db8::/32"))));
        assertThat(edit(c, "sr-domain").srDomain()).isEqualTo(DataplaneConfig.SrDomain.OPEN);
        assertThat(error(base(), "route 0.0.0.0/0 via 198.51.100.254 oif eth7", LOCATOR)
                        .getMessage())
                .contains("'oif' names an interface");
        assertThat(error(base(), "sr-domain edge eth7", LOCATOR).getMessage()).contains("interfaces of the router");
        assertThat(error(base(), "sr-domain edges inside", LOCATOR).diagnostic().notes())
                .anyMatch(n -> n.contains("edge"));
    }

    @Test
    void anItemReplacesTheOneWithItsKey() {
        DataplaneConfig c = edit(base(), "sid a End; sid b End; route 0.0.0.0/0 via 198.51.100.254");
        DataplaneConfig again = edit(c, "sid a End flavors psp; route 0.0.0.0/0 via 198.51.100.253");
        assertThat(again.sids()).extracting(DataplaneConfig.Sid::name).containsExactly("a", "b");
        assertThat(again.sids().getFirst().flavors()).isEqualTo(Set.of(DataplaneConfig.Flavor.PSP));
        assertThat(again.sids().getFirst().address())
                .isEqualTo(c.sids().getFirst().address());
        assertThat(again.routes()).hasSize(1);
        assertThat(again.routes().getFirst().via()).isEqualTo(Addresses.parse("198.51.100.253"));
    }

    @Test
    void removalsByKey() {
        DataplaneConfig c = edit(
                base(),
                """
                sid a End
                policy p bsid 2001:db8:0:1:1::b encap [2001:db8::1]
                steer 203.0.113.0/24 -> p
                route 192.0.2.0/24 via inside table 2
                neighbor 198.51.100.254 02:00:5e:00:53:fe inside
                """);
        assertThat(RouterEdit.withoutSid(c, "a").sids()).isEmpty();
        assertThat(RouterEdit.withoutSid(c, "zz")).isNull();
        assertThat(RouterEdit.withoutPolicy(c, "p").policies()).isEmpty();
        assertThat(RouterEdit.withoutSteer(c, Prefix.parse("203.0.113.0/24"), 7))
                .isNull(); // another table
        assertThat(RouterEdit.withoutSteer(c, Prefix.parse("203.0.113.0/24"), 0).steering())
                .isEmpty();
        assertThat(RouterEdit.withoutRoute(c, Prefix.parse("192.0.2.0/24"), 0)).isNull();
        assertThat(RouterEdit.withoutRoute(c, Prefix.parse("192.0.2.0/24"), 2).routes())
                .isEmpty();
        assertThat(RouterEdit.withoutNeighbor(c, Addresses.parse("198.51.100.254"))
                        .neighbors())
                .isEmpty();
    }

    @Test
    void anEntryThatFailsHalfwayThrowsBeforeAnythingIsKept() {
        DataplaneConfig c = base();
        ScriptError e = error(c, "sid a End\nsid b End.DX4 nh pc", LOCATOR);
        assertThat(e.diagnostic().span().line()).isEqualTo(2);
        assertThat(c.sids()).isEmpty();
    }
}
