package dev.srv6sh.interpreter.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.Plan;
import dev.srv6sh.dataplane.agent.CaptureSummary;
import dev.srv6sh.dataplane.agent.FibEntry;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.diag.Diagnostic;
import dev.srv6sh.interpreter.Result;
import dev.srv6sh.interpreter.eval.Dim;
import dev.srv6sh.interpreter.eval.Value;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Result records, made by hand, as the text and the JSON renderer show them (docs/output.md). */
class RenderersTest {
    private static final Plan TWO_NEW = new Plan(
            CloudSpec.empty(),
            List.of(
                    new Plan.Change(Plan.Action.CREATE, "region", "paris", ""),
                    new Plan.Change(Plan.Action.REPLACE, "host", "pc", "settings changed")));

    @Test
    void thePlanIsListedForEveryPurposeButIsAJsonLineOfItsOwnOnlyForThePlanStatement() {
        String listing =
                "+ region paris\n-/+ host pc  (settings changed)\nPlan: 1 to add, 1 to change, 0 to destroy.\n";
        for (Result.Planned.Purpose p : Result.Planned.Purpose.values()) {
            assertThat(TextRenderer.text(new Result.Planned("local", TWO_NEW, p)))
                    .isEqualTo(listing);
        }
        assertThat(JsonRenderer.line(new Result.Planned("local", TWO_NEW, Result.Planned.Purpose.PLAN)))
                .isEqualTo("{\"op\":\"plan\",\"backend\":\"local\",\"changes\":["
                        + "{\"action\":\"create\",\"symbol\":\"+\",\"kind\":\"region\",\"name\":\"paris\",\"detail\":\"\"},"
                        + "{\"action\":\"replace\",\"symbol\":\"-/+\",\"kind\":\"host\",\"name\":\"pc\","
                        + "\"detail\":\"settings changed\"}],\"add\":1,\"change\":1,\"destroy\":0}");
        assertThat(JsonRenderer.line(new Result.Planned("local", TWO_NEW, Result.Planned.Purpose.APPLY)))
                .isNull();
        assertThat(JsonRenderer.line(new Result.Planned("local", TWO_NEW, Result.Planned.Purpose.SHOW)))
                .isNull();
        assertThat(TextRenderer.text(new Result.Planned(
                        "local", new Plan(CloudSpec.empty(), List.of()), Result.Planned.Purpose.SHOW)))
                .isEqualTo("No changes. The topology matches the script.\n");
    }

    @Test
    void applyAndDestroy() {
        Result.Applied applied = new Result.Applied("local", TWO_NEW, 2);
        assertThat(TextRenderer.text(applied))
                .isEqualTo("Apply complete: 1 added, 1 changed, 0 destroyed; 2 router(s) programmed on local.\n");
        assertThat(JsonRenderer.line(applied))
                .startsWith("{\"op\":\"apply\",\"backend\":\"local\",\"changes\":[")
                .endsWith("\"add\":1,\"change\":1,\"destroy\":0,\"routers\":2}");
        assertThat(TextRenderer.text(new Result.Destroyed("local"))).isEqualTo("Destroy complete.\n");
        assertThat(JsonRenderer.line(new Result.Destroyed("local")))
                .isEqualTo("{\"op\":\"destroy\",\"backend\":\"local\"}");
    }

    @Test
    void aPingIsAJsonLineAndTextOnlyWhenTheScriptShowsItsValue() {
        LinkedHashMap<String, Value> rtt = new LinkedHashMap<>();
        rtt.put("count", new Value.Num(1));
        rtt.put("mean", new Value.Qty(0.0096, Dim.DURATION));
        rtt.put("ci95", new Value.Qty(0, Dim.DURATION));
        LinkedHashMap<String, Value> f = new LinkedHashMap<>();
        f.put("sent", new Value.Num(1));
        f.put("received", new Value.Num(1));
        f.put("loss", new Value.Qty(0, Dim.PERCENT));
        f.put("rtt", new Value.Rec("RttResult", rtt));
        f.put("hoplimit", Value.NIL);
        Value ping = new Value.Rec("PingResult", f);
        Result.Pinged r = new Result.Pinged("pc", "lc", false, false, ping);
        assertThat(TextRenderer.text(r)).isEmpty();
        assertThat(JsonRenderer.line(r))
                .isEqualTo("{\"op\":\"ping\",\"from\":\"pc\",\"to\":\"lc\",\"direct\":false,\"ipv6\":false,"
                        + "\"result\":{\"sent\":1,\"received\":1,\"loss\":{\"value\":0,\"unit\":\"%\"},"
                        + "\"rtt\":{\"count\":1,\"mean\":{\"value\":0.0096,\"unit\":\"s\"},"
                        + "\"ci95\":{\"value\":0,\"unit\":\"s\"}},\"hoplimit\":null}}");
        assertThat(JsonRenderer.line(new Result.Printed(new Value.Str("done"))))
                .isEqualTo("{\"op\":\"print\",\"value\":\"done\"}");
        assertThat(TextRenderer.text(new Result.Printed(new Value.Str("done")))).isEqualTo("done\n");
        assertThat(JsonRenderer.line(new Result.Echoed(new Value.Num(3)))).isNull();
    }

    @Test
    void aRoutersTableIsTheRouterShellsUnderItsName() {
        Result.View fib = new Result.View.Fib(
                List.of(new FibEntry(0, "2001:db8::/32", "forward out transit"), new FibEntry(7, "0.0.0.0/0", "drop")));
        assertThat(TextRenderer.table(fib))
                .isEqualTo("table 0:\n  2001:db8::/32" + " ".repeat(32) + "forward out transit\n"
                        + "table 7:\n  0.0.0.0/0" + " ".repeat(36) + "drop\n");
        assertThat(TextRenderer.text(new Result.RouterView("pr", fib)))
                .isEqualTo("router pr:\n" + TextRenderer.table(fib).indent(2));
        assertThat(TextRenderer.text(new Result.RouterView("pr", new Result.View.Program("sids", null))))
                .isEqualTo("router pr:\n  (not programmed)\n");
        assertThat(JsonRenderer.line(new Result.RouterView("pr", fib))).isNull();
        assertThat(TextRenderer.text(new Result.Candidate(
                        "pr",
                        List.of(
                                new Result.Candidate.Sid("(allocated at apply)", "End.DX4", "dx4 nh pc"),
                                new Result.Candidate.Steer("203.0.113.0/24", "out")))))
                .isEqualTo("router pr (candidate: declared, not applied):\n"
                        + "  (allocated at apply)         End.DX4          dx4 nh pc\n"
                        + "  203.0.113.0/24               -> out\n");
    }

    @Test
    void capturesSayWhatTheyWrote() {
        assertThat(TextRenderer.text(new Result.CaptureStarted("pr", null, "a.pcap")))
                .isEqualTo("capturing pr to a.pcap until the script ends\n");
        assertThat(TextRenderer.text(new Result.Captured("pr", "inside", "a.pcap", new CaptureSummary("c1", 12, 3))))
                .isEqualTo("captured 12 frame(s) (3 lost: the reader fell behind) on pr inside to a.pcap\n");
        assertThat(JsonRenderer.line(new Result.Captured("pr", null, "a.pcap", new CaptureSummary("c1", 1, 0))))
                .isNull();
    }

    @Test
    void aFailedExpectAndTheExit() {
        Result.ExpectFailed e = new Result.ExpectFailed(
                "q.srv6",
                7,
                1,
                "r.loss == 0%",
                new Value.Qty(20, Dim.PERCENT),
                new Value.Qty(0, Dim.PERCENT),
                new Value.Str("lost"));
        assertThat(TextRenderer.text(e))
                .isEqualTo("q.srv6:7:1: expect failed: r.loss == 0%\n  left:  20%\n  right: 0%\n  lost\n");
        assertThat(JsonRenderer.line(e))
                .isEqualTo("{\"op\":\"expect\",\"passed\":false,\"file\":\"q.srv6\",\"line\":7,\"column\":1,"
                        + "\"condition\":\"r.loss == 0%\",\"left\":{\"value\":20,\"unit\":\"%\"},"
                        + "\"right\":{\"value\":0,\"unit\":\"%\"},\"message\":\"lost\"}");
        Result.Exit exit = new Result.Exit(
                3,
                0,
                Result.Exit.Kind.RUNTIME,
                List.of(Diagnostic.error(new Span("q.srv6", 6, 9, 6, 12, 0, 3), "nothing is deployed yet")));
        assertThat(TextRenderer.text(exit)).isEmpty();
        assertThat(JsonRenderer.line(exit))
                .isEqualTo("{\"op\":\"exit\",\"code\":3,\"failed_expects\":0,\"errors\":[{\"kind\":\"runtime\","
                        + "\"message\":\"nothing is deployed yet\",\"file\":\"q.srv6\",\"line\":6,\"column\":9,"
                        + "\"notes\":[]}]}");
    }

    @Test
    void theJsonRendererWritesItsLinesOnOneStreamAndTheTextOnTheOther() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        JsonRenderer json = new JsonRenderer(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(text, true, StandardCharsets.UTF_8));
        json.accept(new Result.Planned("local", TWO_NEW, Result.Planned.Purpose.APPLY));
        json.accept(new Result.Applied("local", TWO_NEW, 0));
        json.accept(new Result.Saved("r.csv", 1, List.of("region", "rtt_ms")));
        assertThat(text.toString(StandardCharsets.UTF_8))
                .isEqualTo(TextRenderer.text(new Result.Planned("local", TWO_NEW, Result.Planned.Purpose.APPLY))
                        + "Apply complete: 1 added, 1 changed, 0 destroyed; 0 router(s) programmed on local.\n"
                        + "saved r.csv: 1 row, region, rtt_ms\n");
        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .singleElement()
                .asString()
                .startsWith("{\"op\":\"apply\"");
    }
}
