package dev.srv6sh.interpreter.render;

import dev.srv6sh.cloud.Plan;
import dev.srv6sh.interpreter.Result;
import dev.srv6sh.interpreter.Results;
import dev.srv6sh.interpreter.eval.Render;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code srv6sh run --output json}: one JSON object per line for each operation result, in the
 * order the script produces them, and the {@code exit} line last (docs/output.md); everything
 * human-readable goes, as the {@link TextRenderer} renders it, to another stream (stderr).
 */
public final class JsonRenderer implements Results {
    private final PrintStream out;
    private final TextRenderer text;

    /** JSON lines on {@code out}, the text of every result on {@code text}. */
    public JsonRenderer(PrintStream out, PrintStream text) {
        this.out = out;
        this.text = new TextRenderer(text);
    }

    @Override
    public void accept(Result r) {
        text.accept(r);
        String line = line(r);
        if (line != null) {
            out.println(line);
            out.flush();
        }
    }

    /** A plan's changes and counts, as JSON result fields. */
    private static Object[] plan(String backend, Plan plan) {
        List<Map<String, Object>> changes = new ArrayList<>();
        for (Plan.Change c : plan.changes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("action", c.action().name().toLowerCase(Locale.ROOT));
            m.put("symbol", c.action().symbol());
            m.put("kind", c.kind());
            m.put("name", c.name());
            m.put("detail", c.detail());
            changes.add(m);
        }
        return new Object[] {
            "backend",
            backend,
            "changes",
            changes,
            "add",
            plan.count(Plan.Action.CREATE),
            "change",
            plan.count(Plan.Action.UPDATE) + plan.count(Plan.Action.REPLACE),
            "destroy",
            plan.count(Plan.Action.DELETE)
        };
    }

    /** A result's JSON line, or null for one that is text only (a bare value, a saved file). */
    public static String line(Result r) {
        return switch (r) {
            case Result.Planned p ->
                p.purpose() == Result.Planned.Purpose.PLAN ? JsonLines.line("plan", plan(p.backend(), p.plan())) : null;
            case Result.Applied a -> {
                Object[] fields = plan(a.backend(), a.plan());
                Object[] withRouters = Arrays.copyOf(fields, fields.length + 2);
                withRouters[fields.length] = "routers";
                withRouters[fields.length + 1] = a.routers();
                yield JsonLines.line("apply", withRouters);
            }
            case Result.Destroyed d -> JsonLines.line("destroy", "backend", d.backend());
            case Result.Pinged p ->
                JsonLines.line(
                        "ping",
                        "from",
                        p.from(),
                        "to",
                        p.to(),
                        "direct",
                        p.direct(),
                        "ipv6",
                        p.ipv6(),
                        "result",
                        p.result());
            case Result.RttMeasured m ->
                JsonLines.line(
                        "measure rtt",
                        "from",
                        m.from(),
                        "to",
                        m.to(),
                        "direct",
                        m.direct(),
                        "ipv6",
                        m.ipv6(),
                        "result",
                        m.result());
            case Result.ThroughputMeasured m ->
                JsonLines.line(
                        "measure throughput",
                        "proto",
                        m.proto(),
                        "from",
                        m.from(),
                        "to",
                        m.to(),
                        "direct",
                        m.direct(),
                        "result",
                        m.result());
            case Result.Printed p -> JsonLines.line("print", "value", p.value());
            case Result.ExpectFailed e ->
                JsonLines.line(
                        "expect",
                        "passed",
                        false,
                        "file",
                        e.file(),
                        "line",
                        e.line(),
                        "column",
                        e.column(),
                        "condition",
                        e.condition(),
                        "left",
                        e.left(),
                        "right",
                        e.right(),
                        "message",
                        e.message() == null ? null : Render.text(e.message()));
            case Result.Exit x -> ExitLine.of(x);
            case Result.Echoed e -> null;
            case Result.ShellServed s -> null;
            case Result.Topology t -> null;
            case Result.RouterView v -> null;
            case Result.Candidate c -> null;
            case Result.NoRouters n -> null;
            case Result.Traced t -> null;
            case Result.CaptureStarted c -> null;
            case Result.Captured c -> null;
            case Result.CaptureFailed c -> null;
            case Result.Saved s -> null;
            case Result.Charted c -> null;
        };
    }
}
