package dev.srv6sh.interpreter.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.cloud.Providers;
import dev.srv6sh.grammar.parse.Parser;
import dev.srv6sh.interpreter.Progress;
import dev.srv6sh.interpreter.Result;
import dev.srv6sh.interpreter.RouterShell;
import dev.srv6sh.interpreter.Session;
import dev.srv6sh.interpreter.render.TextRenderer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations give records to whatever sink runs them, with no output stream anywhere: here a
 * list, on the local backend. What the script would have printed is what a renderer makes of them.
 */
class OpsResultsTest {
    private static final String SCRIPT =
            """
            region paris aws "eu-west-3"
            vpc pv in paris { cidr 198.51.100.0/24 }
            host pc in pv { ip 198.51.100.10 }
            host qc in pv { ip 198.51.100.11 }
            router pr in pv {
              locator 2001:db8:0:1:1::/80
              sid dx4 End.DX4 nh pc
            }
            router nr in pv {
              locator 2001:db8:0:1:2::/80
            }
            show sids
            plan
            apply auto
            let r = ping pc -> qc count 2
            let m = measure rtt pc -> qc count 2
            show sids pr
            show topology
            show fib pr
            trace pr
            capture pr to "pr.pcap" for 10ms
            print r.sent
            r
            destroy auto
            """;

    @Test
    void everyOperationGivesItsRecords(@TempDir Path dir) throws Exception {
        List<Result> results = new CopyOnWriteArrayList<>();
        Evaluator ev =
                new Evaluator(false, Map.of(), () -> Providers.create("local", Providers.DEFAULT_SEED), results::add);
        ev.outputDir(dir);
        String shellSids;
        try {
            ev.run(Parser.parse("t.srv6", SCRIPT.replace("destroy auto\n", "")).program(), SCRIPT);
            try (RouterShell shell =
                    new RouterShell(ev.ops().deployed().router("pr").agent(), "alice", RouterShell.Options.of(null))) {
                shellSids = shell.execute("show sids").out();
            }
            ev.run(Parser.parse("u.srv6", "destroy auto\n").program(), "destroy auto\n");
        } finally {
            ev.close();
        }

        assertThat(results)
                .extracting(r -> r.getClass().getSimpleName())
                .containsExactly(
                        "Candidate", // show sids before apply: pr and nr as declared
                        "Candidate",
                        "Planned",
                        "Planned", // what the apply carries out
                        "Applied",
                        "Pinged",
                        "RttMeasured",
                        "RouterView",
                        "Topology",
                        "RouterView",
                        "Traced",
                        "Captured",
                        "Printed",
                        "Echoed",
                        "Destroyed");
        assertThat(((Result.Planned) results.get(2)).purpose()).isEqualTo(Result.Planned.Purpose.PLAN);
        assertThat(((Result.Planned) results.get(3)).purpose()).isEqualTo(Result.Planned.Purpose.APPLY);
        Result.Applied applied = (Result.Applied) results.get(4);
        assertThat(applied.backend()).isEqualTo("local");
        assertThat(applied.routers()).isEqualTo(2);

        Result.Pinged ping = (Result.Pinged) results.get(5);
        assertThat(ping.from()).isEqualTo("pc");
        assertThat(ping.to()).isEqualTo("qc");
        assertThat(ping.result()).isInstanceOfSatisfying(Value.Rec.class, rec -> {
            assertThat(rec.type()).isEqualTo("PingResult");
            assertThat(rec.fields().get("sent")).isEqualTo(new Value.Num(2));
        });
        // the record the script got is the one in the result
        assertThat(((Result.Echoed) results.get(13)).value()).isSameAs(ping.result());

        // show sids pr: the agent's running configuration, which the router shell renders the same way
        Result.RouterView sids = (Result.RouterView) results.get(7);
        assertThat(sids.router()).isEqualTo("pr");
        assertThat(sids.view()).isInstanceOfSatisfying(Result.View.Program.class, p -> assertThat(
                        p.config().sids())
                .extracting(s -> s.name())
                .containsExactly("dx4"));
        assertThat(TextRenderer.table(sids.view())).isEqualTo(shellSids);

        Result.Topology topology = (Result.Topology) results.get(8);
        assertThat(topology.vpcs()).singleElement().satisfies(v -> {
            assertThat(v.name()).isEqualTo("pv");
            assertThat(v.hosts()).extracting(Result.Topology.Host::name).containsExactly("pc", "qc");
            assertThat(v.routers()).extracting(Result.Topology.Router::name).containsExactly("pr", "nr");
        });
        assertThat(((Result.RouterView) results.get(9)).view()).isInstanceOf(Result.View.Fib.class);
        assertThat(((Result.Traced) results.get(10)).router()).isEqualTo("pr");
        Result.Captured captured = (Result.Captured) results.get(11);
        assertThat(captured.file()).isEqualTo("pr.pcap");
        assertThat(captured.iface()).isNull();
        assertThat(Files.exists(dir.resolve("pr.pcap"))).isTrue();
        assertThat(((Result.Printed) results.get(12)).value()).isEqualTo(new Value.Num(2));
        assertThat(((Result.Destroyed) results.get(14)).backend()).isEqualTo("local");
    }

    @Test
    void aReplSessionGivesItsResultsToTheSinkItWasMadeWith() {
        List<Result> results = new CopyOnWriteArrayList<>();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Session s =
                new Session("local", results::add, new PrintStream(err, true, StandardCharsets.UTF_8), Progress.NONE)) {
            assertThat(s.eval("1 + 2")).isTrue();
            assertThat(s.eval("show sids")).isTrue();
        }
        assertThat(results).containsExactly(new Result.Echoed(new Value.Num(3)), new Result.NoRouters());
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
