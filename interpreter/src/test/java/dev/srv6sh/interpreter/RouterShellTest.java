package dev.srv6sh.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.AgentConformance;
import dev.srv6sh.dataplane.agent.ConfigItems;
import dev.srv6sh.dataplane.agent.ConfigText;
import dev.srv6sh.dataplane.agent.EngineFixture;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.interpreter.RouterShell.Result;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router shell against the real in-process agent ({@link EngineFixture}: an {@code EngineAgent}
 * over an engine on memory ports, its wall clock and timer driven by the test), starting from the
 * conformance suite's base configuration (router r1: inside 192.0.2.1/24, transit 198.51.100.1/24
 * and 2001:db8:1::1/64).
 */
class RouterShellTest {
    static final Prefix LOCATOR = Prefix.parse("2001:db8:1:1::/64");

    @TempDir
    Path dir;

    EngineFixture router;
    final List<RouterShell> shells = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        router = new EngineFixture(null);
        router.engineAgent().install("srv6sh", AgentConformance.BASE, "the topology");
    }

    @AfterEach
    void stop() throws Exception {
        shells.forEach(RouterShell::close);
        router.close();
    }

    RouterShell shell(String user) throws Exception {
        return shell(user, router, null);
    }

    RouterShell shell(String user, EngineFixture on, RouterShell.Sleeper sleeper) throws Exception {
        RouterShell s =
                new RouterShell(on.agent(), user, new RouterShell.Options(LOCATOR, dir, Duration.ZERO, sleeper));
        shells.add(s);
        return s;
    }

    static Result ok(RouterShell s, String line) {
        Result r = s.execute(line);
        assertThat(r.exitCode()).as(line + "\n" + r.err()).isZero();
        return r;
    }

    static Result fails(RouterShell s, String line, int code) {
        Result r = s.execute(line);
        assertThat(r.exitCode()).as(line + "\n" + r.out() + r.err()).isEqualTo(code);
        return r;
    }

    /** Types {@code text} line by line as a terminal would, each entry ending where {@link RouterShell#isComplete} says. */
    static void typed(RouterShell s, String text) {
        StringBuilder entry = new StringBuilder();
        for (String line : text.lines().toList()) {
            entry.append(line).append('\n');
            if (s.isComplete(entry.toString())) {
                ok(s, entry.toString());
                entry.setLength(0);
            }
        }
        assertThat(entry.toString()).isBlank();
    }

    static final String PROGRAM =
            """
            sid dx4 End.DX4 nh 192.0.2.10
            sid e at ::e End flavors psp,usd count true
            sid x at 2001:db8:1:1:0:7:: End.X nh 2001:db8:1::2 oif transit
            sid b6 End.B6.Encaps policy home
            policy home bsid 2001:db8:1:1::b encap [2001:db8:2::d4, r1.e]
            policy w encap {
              [2001:db8:2::d4] weight 3
              [2001:db8:3::d4] weight 1
            }
            steer 203.0.113.0/24 -> home
            steer 198.51.100.128/25 -> w table 2
            route 203.0.113.0/24 via 198.51.100.2 oif transit table 2
            route 192.0.2.128/25 via inside
            neighbor 192.0.2.20 02:00:5e:00:53:20 inside
            interface inside { address 192.0.2.1/24, 2001:db8:5::1/64; mtu 1400 }
            encap hoplimit 63
            sr-domain edge inside trusted 2001:db8::/32
            """;

    @Test
    void editsGoToTheCandidateAndACommitMakesThemRun() throws Exception {
        RouterShell s = shell("alice");
        assertThat(s.router()).isEqualTo("r1");
        assertThat(s.prompt()).isEqualTo("r1# ");
        typed(s, PROGRAM);
        assertThat(s.prompt()).isEqualTo("r1*# ");
        assertThat(ok(s, "show sids").out()).isEqualTo("no sids\n"); // not committed: the running one has none
        String diff = ok(s, "show diff").out();
        assertThat(diff)
                .contains("+ sid dx4 at 2001:db8:1:1:")
                .contains("+ policy w bsid ")
                .contains("~ interface inside { address 192.0.2.1/24, 2001:db8:5::1/64;")
                .contains("    was: interface inside { address 192.0.2.1/24;")
                .contains("+ sr-domain edge inside trusted 2001:db8::/32");
        assertThat(ok(s, "show candidate").out()).contains("steer 198.51.100.128/25 -> w table 2\n");

        Result c = ok(s, "commit comment \"the program\"");
        assertThat(c.out()).startsWith("commit 2 (generation 2): ");
        assertThat(s.prompt()).isEqualTo("r1# ");
        DataplaneConfig running = router.agent().running().config();
        assertThat(running.sids()).extracting(DataplaneConfig.Sid::name).containsExactly("dx4", "e", "x", "b6");
        assertThat(running.encap().hopLimit()).isEqualTo(63);

        String sids = ok(s, "show sids").out();
        assertThat(sids).contains("2001:db8:1:1::e").contains("End.DX4").contains("dx4 nh 192.0.2.10");
        assertThat(sids).isEqualTo(dev.srv6sh.interpreter.eval.RouterTables.sids(running));
        assertThat(ok(s, "show policies").out()).contains("home [[2001:db8:2::d4, 2001:db8:1:1::e] weight 1]");
        assertThat(ok(s, "show steering").out()).contains("203.0.113.0/24               -> home");
        assertThat(ok(s, "show interfaces").out())
                .contains("inside")
                .contains("1400")
                .contains("2001:db8:5::1/64");
        assertThat(ok(s, "show running").out()).isEqualTo(ConfigText.render(running));
        assertThat(ok(s, "show commits").out())
                .contains("    2  alice")
                .contains("\"the program\"")
                .contains("    1  srv6sh");
        assertThat(ok(s, "show fib").out()).contains("table 0:").contains("0.0.0.0/0");
        assertThat(ok(s, "show neighbors").out()).contains("192.0.2.20").contains("permanent");
        assertThat(ok(s, "show counters").out()).contains("interface").contains("rx pkts");
        assertThat(ok(s, "show runtime").out()).contains("node");
        assertThat(ok(s, "show errors").out()).isNotEmpty();
        assertThat(ok(s, "show diff").out()).isEqualTo("no changes\n");
    }

    @Test
    void removalsAndDiscard() throws Exception {
        RouterShell s = shell("alice");
        ok(s, PROGRAM);
        ok(s, "commit");
        ok(s, "no sid dx4");
        ok(s, "no steer 203.0.113.0/24; no route 203.0.113.0/24 table 2; no neighbor 192.0.2.20");
        ok(s, "no sid b6\nno policy home");
        assertThat(ok(s, "show diff").out())
                .contains("- sid dx4 at")
                .contains("- steer 203.0.113.0/24 -> home")
                .contains("- route 203.0.113.0/24 via 198.51.100.2 oif transit table 2")
                .contains("- neighbor 192.0.2.20")
                .contains("- policy home");
        assertThat(ok(s, "discard").out()).isEqualTo("discarded 6 change(s)\n");
        assertThat(ok(s, "show diff").out()).isEqualTo("no changes\n");

        Result unknown = fails(s, "no sid dx5", RouterShell.FAILED);
        assertThat(unknown.err())
                .startsWith("error: router r1 has no SID 'dx5'\n  no sid dx5\n         ^~~")
                .contains("did you mean 'dx4'?");
        fails(s, "no route 203.0.113.0/24", RouterShell.FAILED); // it is in table 2
        assertThat(fails(s, "no route 203.0.113.0 table 2", RouterShell.USAGE).err())
                .contains("expected a prefix");
        assertThat(fails(s, "no vpc pv", RouterShell.USAGE).err()).contains("cannot remove 'vpc'");
        assertThat(fails(s, "no sid", RouterShell.USAGE).err()).contains("expected 'no sid NAME'");
    }

    @Test
    void showRunningTypedBackIsTheSameConfiguration() throws Exception {
        RouterShell s = shell("alice");
        ok(s, PROGRAM);
        ok(s, "commit");
        String running = ok(s, "show running").out();
        DataplaneConfig want = router.agent().running().config();

        // a fresh session on the same router: every line changes nothing
        RouterShell again = shell("bob");
        for (String line : running.lines().toList()) {
            ok(again, line);
        }
        assertThat(ok(again, "show diff").out()).isEqualTo("no changes\n");

        // a router with only the topology: typed line by line, it becomes the same configuration
        try (EngineFixture other = new EngineFixture(null)) {
            other.engineAgent().install("srv6sh", AgentConformance.BASE, "the topology");
            RouterShell fresh = shell("carol", other, null);
            for (String line : running.lines().toList()) {
                ok(fresh, line);
            }
            ok(fresh, "commit comment \"typed back\"");
            DataplaneConfig got = other.agent().running().config();
            assertThat(ConfigItems.of(got)).isEqualTo(ConfigItems.of(want));
            assertThat(ConfigText.render(got)).isEqualTo(running);
            fresh.close();
        }
    }

    @Test
    void errorsAreTheLanguagesDiagnosticsWithExitCodes() throws Exception {
        RouterShell s = shell("alice");
        Result syntax = fails(s, "route 10.0.0.0/8 vai 198.51.100.1", RouterShell.USAGE);
        assertThat(syntax.err()).startsWith("error: ").contains("\n  route 10.0.0.0/8 vai 198.51.100.1\n");
        assertThat(syntax.err()).contains("\n                   ^");

        Result behavior = fails(s, "sid x End.DX5 nh 192.0.2.10", RouterShell.USAGE);
        assertThat(behavior.err())
                .isEqualTo(
                        """
                        error: unknown behavior 'End.DX5'
                          sid x End.DX5 nh 192.0.2.10
                                ^~~~~~~
                          did you mean 'End.DX2', 'End.DX4' or 'End.DX6'?
                        """);
        assertThat(fails(s, "sid d End.DX4 nh pc", RouterShell.USAGE).err())
                .contains("'pc' is not an address")
                .contains("                   ^~");
        assertThat(fails(s, "shwo sids", RouterShell.USAGE).err())
                .contains("unknown command 'shwo'")
                .contains("did you mean 'show'?");
        assertThat(fails(s, "show sid", RouterShell.USAGE).err()).contains("did you mean 'sids'?");
        assertThat(fails(s, "show sids r2", RouterShell.USAGE).err()).contains("takes nothing after it");
        assertThat(fails(s, "let x = 1", RouterShell.USAGE).err()).contains("unknown command 'let'");
        assertThat(fails(s, "trace 0", RouterShell.USAGE).err()).contains("1 to 1000");
        assertThat(fails(s, "commit confirmed soon", RouterShell.USAGE).err()).contains("a duration such as 30s");
        assertThat(fails(s, "commit comment unquoted", RouterShell.USAGE).err()).contains("in quotes");
        assertThat(fails(s, "commit comment \"open", RouterShell.USAGE).err()).contains("no closing quote");
        assertThat(fails(s, "rollback two", RouterShell.USAGE).err()).contains("how many commits back");
        assertThat(fails(s, "capture eth9 for 1s", RouterShell.USAGE).err())
                .contains("no interface 'eth9'; it has inside, transit");
        assertThat(fails(s, "confirm now", RouterShell.USAGE).err()).contains("takes nothing after it");

        // understood, but refused: exit 1
        assertThat(fails(s, "commit", RouterShell.FAILED).err())
                .startsWith("error: ")
                .contains("no changes to commit");
        assertThat(fails(s, "confirm", RouterShell.FAILED).err()).startsWith("error: ");
        assertThat(fails(s, "rollback 5", RouterShell.FAILED).err()).startsWith("error: ");
        ok(s, "steer 203.0.113.0/24 -> nowhere"); // the commit checks it
        assertThat(s.execute("steer 203.0.113.0/24 -> nowhere").err())
                .contains("note: there is no policy 'nowhere' yet");
        assertThat(fails(s, "commit", RouterShell.FAILED).err()).contains("nowhere");
        assertThat(router.agent().running().generation()).isEqualTo(1);
    }

    @Test
    void aStatementListStopsAtTheFirstFailure() throws Exception {
        RouterShell s = shell("alice");
        Result r = ok(s, "sid a at ::a End; commit comment \"a\"; show sids");
        assertThat(r.out()).contains("commit 2 (generation 2)").contains("2001:db8:1:1::a");
        Result bad = fails(s, "sid b at ::b End; commit; sid c End.DX5; commit", RouterShell.USAGE);
        assertThat(bad.out()).contains("commit 3");
        assertThat(bad.err()).contains("unknown behavior 'End.DX5'");
        assertThat(router.agent().running().generation()).isEqualTo(3);
    }

    @Test
    void twoShellsEditingOneItemConflict() throws Exception {
        RouterShell alice = shell("alice");
        RouterShell bob = shell("bob");
        ok(alice, "sid e at ::e End");
        ok(bob, "sid e at ::e End flavors psp");
        ok(bob, "sid f at ::f End");
        ok(alice, "commit comment \"alice's e\"");
        Result refused = fails(bob, "commit", RouterShell.FAILED);
        assertThat(refused.err()).startsWith("error: ").contains("sid e").contains("alice");
        assertThat(router.agent().running().config().sids().getFirst().flavors())
                .isEmpty();
        // bob starts over from what runs now, and his other change lands
        ok(bob, "discard");
        ok(bob, "sid f at ::f End");
        ok(bob, "commit");
        assertThat(router.agent().running().config().sids())
                .extracting(DataplaneConfig.Sid::name)
                .containsExactly("e", "f");
    }

    @Test
    void rollbackRestoresAnEarlierConfiguration() throws Exception {
        RouterShell s = shell("alice");
        ok(s, "sid a at ::a End");
        ok(s, "commit");
        ok(s, "sid b at ::b End");
        ok(s, "commit");
        Result r = ok(s, "rollback 1 comment \"b was wrong\"");
        assertThat(r.out()).startsWith("commit 4 (generation 4): ");
        assertThat(router.agent().running().config().sids())
                .extracting(DataplaneConfig.Sid::name)
                .containsExactly("a");
        assertThat(ok(s, "show commits").out()).contains("\"b was wrong\"");
        assertThat(ok(s, "show diff").out()).isEqualTo("no changes\n");
    }

    @Test
    void commitConfirmedIsUndoneUnlessConfirmed() throws Exception {
        RouterShell s = shell("alice");
        ok(s, "sid a at ::a End");
        Result c = ok(s, "commit confirmed 30s comment \"try a\"");
        assertThat(c.out()).contains("confirm before 2001-09-09T01:47:10Z or it is rolled back by itself");
        assertThat(ok(s, "show commits").out()).contains("pending").contains("(confirm by 2001-09-09T01:47:10Z)");
        router.time().advance(Duration.ofSeconds(31));
        assertThat(router.agent().running().config().sids()).isEmpty();
        assertThat(ok(s, "show commits").out()).contains("rolled-back").contains("system");

        ok(s, "sid b at ::b End");
        ok(s, "commit confirmed 1m");
        router.time().advance(Duration.ofSeconds(20));
        assertThat(ok(s, "confirm").out()).contains("confirmed");
        router.time().advance(Duration.ofMinutes(5));
        assertThat(router.agent().running().config().sids())
                .extracting(DataplaneConfig.Sid::name)
                .containsExactly("b");
    }

    @Test
    void traceAndCapture() throws Exception {
        RouterShell.Sleeper traffic = d -> {
            try { // a frame comes in while capture waits
                router.send("inside", AgentConformance.udp4("192.0.2.10", "203.0.113.5", 64));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        RouterShell s = shell("alice", router, traffic);
        assertThat(ok(s, "trace").out()).contains("no packet has reached r1 yet");
        router.send("inside", AgentConformance.udp4("192.0.2.10", "203.0.113.5", 64));
        String trace = ok(s, "trace 1").out();
        assertThat(trace).contains("(replayed) Packet").contains("ip4-input");

        Result cap = ok(s, "capture inside for 250ms");
        assertThat(cap.out()).startsWith("captured 3 frame(s) on inside in 250 ms to " + dir.resolve("r1-inside-"));
        Path file;
        try (var files = Files.list(dir)) {
            file = files.filter(p -> p.toString().endsWith(".pcap")).findFirst().orElseThrow();
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());
        assertThat(Integer.toHexString(b.getInt(0))).isEqualTo("a1b23c4d");
        assertThat(ok(s, "capture for 100ms").out()).contains("on all");
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(2);
        }
    }

    @Test
    void onARouterLoweredFromAScriptNewSidsGoWhereTheScriptWouldPutThem() throws Exception {
        String topology =
                """
                region paris aws "eu-west-3"
                vpc pv in paris { cidr 198.51.100.0/24 }
                host pc in pv { ip 198.51.100.10 }
                router pr in pv {
                  locator 2001:db8:0:1:1::/80
                  sid dx4 End.DX4 nh pc
                """;
        var lowered = (Interpreter.RouterConfig.Lowered)
                Interpreter.routerConfig("pr.srv6", topology + "}\n", java.util.Map.of(), "pr");
        assertThat(lowered.locator()).isEqualTo(Prefix.parse("2001:db8:0:1:1::/80"));
        var both = (Interpreter.RouterConfig.Lowered) Interpreter.routerConfig(
                "pr.srv6", topology + "  sid e End flavors psp\n}\n", java.util.Map.of(), "pr");

        try (EngineFixture pr = new EngineFixture(null)) {
            pr.engineAgent().install("srv6sh", lowered.config(), "pr.srv6");
            RouterShell s = new RouterShell(
                    pr.agent(), "alice", new RouterShell.Options(lowered.locator(), dir, Duration.ZERO, null));
            shells.add(s);
            ok(s, "sid e End flavors psp");
            ok(s, "commit");
            assertThat(pr.agent().running().config().sids())
                    .isEqualTo(both.config().sids());
        }
    }

    @Test
    void anInterruptedCaptureStopsAndTheSessionGoesOn() throws Exception {
        RouterShell s = shell("alice", router, d -> {
            throw new InterruptedException();
        });
        Result r = fails(s, "capture transit for 5s", RouterShell.FAILED);
        assertThat(r.err()).isEqualTo("error: interrupted\n");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(ok(s, "show diff").out()).isEqualTo("no changes\n");
    }

    @Test
    void helpCompletionAndMultiLineEntries() throws Exception {
        RouterShell s = shell("alice");
        assertThat(ok(s, "help").out()).contains("commit [confirmed D]");
        assertThat(ok(s, "help End.DX4").out()).contains("End.DX4: ").contains("nh");
        assertThat(ok(s, "help commit").out()).contains("confirmed DURATION");
        assertThat(ok(s, "help sr-domain").out()).contains("trusted");
        assertThat(fails(s, "help nothing", RouterShell.USAGE).err()).contains("no help on 'nothing'");

        assertThat(s.isComplete("policy w encap {")).isFalse();
        assertThat(s.isComplete("policy w encap {\n  [2001:db8::1] weight 2")).isFalse();
        assertThat(s.isComplete("policy w encap {\n  [2001:db8::1] weight 2\n}"))
                .isTrue();
        assertThat(s.isComplete("steer 203.0.113.0/24 ->")).isFalse();
        assertThat(s.isComplete("show sids")).isTrue();
        assertThat(s.isComplete("commit comment \"x")).isTrue();

        ok(s, "sid dx4 at ::d4 End.DX4 nh 192.0.2.10; policy home bsid ::b encap [2001:db8:2::1]");
        assertThat(values(s, "")).contains("show", "sid", "commit", "no");
        assertThat(values(s, "sh")).containsExactly("show");
        assertThat(values(s, "show ")).contains("running", "diff", "sids", "fib");
        assertThat(values(s, "sid d ")).contains("at", "End.DX4", "End");
        assertThat(values(s, "sid d End.D")).contains("End.DX4", "End.DT4").doesNotContain("End");
        assertThat(values(s, "sid d End.X ")).contains("nh", "oif", "flavors");
        assertThat(values(s, "sid d End.X nh 2001:db8::1 ")).contains("oif").doesNotContain("nh");
        assertThat(values(s, "sid d End.X oif ")).containsExactly("inside", "transit");
        assertThat(values(s, "sid d End.B6.Encaps policy ")).containsExactly("home");
        assertThat(values(s, "no sid ")).containsExactly("dx4");
        assertThat(values(s, "no ")).contains("sid", "policy", "steer", "route", "neighbor");
        assertThat(values(s, "steer 203.0.113.0/24 -> ")).containsExactly("home");
        assertThat(values(s, "capture ")).contains("inside", "transit", "all");
        assertThat(values(s, "commit ")).contains("confirmed", "comment");
        assertThat(values(s, "show sids; no s")).contains("sid", "steer");
        assertThat(s.complete("sid d End.X ", 12).stream()
                        .filter(x -> x.value().equals("nh"))
                        .findFirst()
                        .orElseThrow()
                        .group())
                .isEqualTo("argument");

        Result exit = ok(s, "exit");
        assertThat(exit.exit()).isTrue();
        assertThat(exit.err()).contains("2 uncommitted change(s)");
    }

    private static List<String> values(RouterShell s, String line) {
        return s.complete(line, line.length()).stream()
                .map(RouterShell.Suggestion::value)
                .toList();
    }
}
