package dev.srv6sh.grammar.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.grammar.ast.Stmt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The router shell reads a router block's items on their own: {@link Parser#parseRouterItems}. */
class RouterItemsTest {

    @Test
    void everyItemParsesWithoutABlockAround() {
        ParseResult r = Parser.parseRouterItems(
                "<1>",
                """
                sid dx4 at 2001:db8:0:1::d4 End.DX4 nh 198.51.100.2
                policy home bsid 2001:db8:0:1::b encap [2001:db8:0:2::d4, 2001:db8:0:3::1]
                policy w encap {
                  [2001:db8:0:2::d4] weight 3
                  [2001:db8:0:3::d4] weight 1
                }
                steer 203.0.113.0/24 -> home
                route 0.0.0.0/0 via 198.51.100.1 table 2
                neighbor 198.51.100.1 02:00:5e:00:53:01 inside
                interface inside { address 198.51.100.7/24; mac 02:00:5e:00:53:07; mtu 1500 }
                encap source 2001:db8:0:1::1; encap hoplimit 63
                """);
        assertThat(r.ok()).as(r.diagnostics().toString()).isTrue();
        assertThat(r.program().statements())
                .extracting(s -> s.getClass().getSimpleName())
                .containsExactly(
                        "SidDecl",
                        "PolicyDecl",
                        "PolicyDecl",
                        "SteerDecl",
                        "RouteDecl",
                        "NeighborDecl",
                        "InterfaceDecl",
                        "RouterProperty",
                        "RouterProperty");
        assertThat(((Stmt.SidDecl) r.program().statements().getFirst()).span().line())
                .isEqualTo(1);
    }

    @Test
    void whatShowRunningPrintsBeyondScriptsParsesToo() {
        ParseResult r = Parser.parseRouterItems(
                "<1>",
                """
                route 0.0.0.0/0 via 198.51.100.1 oif inside table 2
                steer 203.0.113.0/24 -> home table 2
                sr-domain edge inside, transit trusted 2001:db8::/32, 2001:db8:1::/48
                sr-domain
                """);
        assertThat(r.ok()).as(r.diagnostics().toString()).isTrue();
        Stmt.RouteDecl route = (Stmt.RouteDecl) r.program().statements().getFirst();
        assertThat(route.oif()).isEqualTo("inside");
        assertThat(((Stmt.SteerDecl) r.program().statements().get(1)).table()).isNotNull();
        Stmt.SrDomainDecl d = (Stmt.SrDomainDecl) r.program().statements().get(2);
        assertThat(d.parts()).extracting(p -> p.key()).containsExactly("edge", "trusted");
        assertThat(d.parts().getFirst().values()).hasSize(2);
        assertThat(((Stmt.SrDomainDecl) r.program().statements().get(3)).parts())
                .isEmpty();
        ParseResult bad = Parser.parseRouterItems("<2>", "route 0.0.0.0/0 via 198.51.100.1 iof inside");
        assertThat(bad.diagnostics().getFirst().message()).contains("expected 'oif' or 'table'");
        assertThat(bad.diagnostics().getFirst().span().column()).isEqualTo(34);
    }

    @Test
    void anErrorPointsIntoTheTextAsTyped() {
        ParseResult r = Parser.parseRouterItems("<3>", "route 10.0.0.0/8 vai 198.51.100.1");
        assertThat(r.ok()).isFalse();
        assertThat(r.diagnostics().getFirst().span().file()).isEqualTo("<3>");
        assertThat(r.diagnostics().getFirst().span().line()).isEqualTo(1);
        assertThat(r.diagnostics().getFirst().span().column()).isEqualTo(18);
    }

    @Test
    void scriptStatementsAreNotRouterItems() {
        assertThat(Parser.parseRouterItems("<1>", "let x = 1").ok()).isFalse();
        assertThat(Parser.parseRouterItems("<1>", "router r in v { }").ok()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"policy w encap {", "policy w encap {\n  [2001:db8::1] weight 2\n", "steer 203.0.113.0/24 ->"})
    void anOpenBlockOrTrailingArrowNeedsMoreLines(String text) {
        assertThat(Parser.isCompleteRouterItems(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"sid e End", "policy w encap {\n  [2001:db8::1] weight 2\n}", "route 10.0.0.0/8 vai x", "}"})
    void aWholeItemOrAnErrorIsComplete(String text) {
        assertThat(Parser.isCompleteRouterItems(text)).isTrue();
    }
}
