package dev.srv6sh.interpreter.render;

import dev.srv6sh.cloud.Plan;
import dev.srv6sh.dataplane.agent.CaptureSummary;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.interpreter.Result;
import dev.srv6sh.interpreter.Results;
import dev.srv6sh.interpreter.eval.Render;
import dev.srv6sh.interpreter.eval.RouterTables;
import java.io.PrintStream;

/**
 * Results as people read them: what {@code srv6sh run} prints on stdout, the REPL on its terminal,
 * and (with {@code --output json}) stderr beside the JSON lines. {@link #text} is the one rendering
 * of each record, so every place that shows one shows it the same way.
 */
public final class TextRenderer implements Results {
    private final PrintStream out;

    public TextRenderer(PrintStream out) {
        this.out = out;
    }

    @Override
    public void accept(Result r) {
        String text = text(r);
        if (!text.isEmpty()) {
            out.print(text);
            out.flush();
        }
    }

    /** A result's text, every line ending in a newline; empty for one that has none (a ping, the exit). */
    public static String text(Result r) {
        return switch (r) {
            case Result.Planned p -> plan(p.plan());
            case Result.Applied a ->
                line("Apply complete: " + a.plan().count(Plan.Action.CREATE) + " added, "
                        + (a.plan().count(Plan.Action.UPDATE) + a.plan().count(Plan.Action.REPLACE)) + " changed, "
                        + a.plan().count(Plan.Action.DELETE) + " destroyed; "
                        + a.routers()
                        + " router(s) programmed on " + a.backend() + ".");
            case Result.Destroyed d -> line("Destroy complete.");
            case Result.ShellServed s -> line(s.description());
            case Result.Topology t -> topology(t);
            case Result.RouterView v ->
                "router " + v.router() + ":\n" + table(v.view()).indent(2);
            case Result.Candidate c -> candidate(c);
            case Result.NoRouters n -> line("no router is declared yet");
            case Result.Traced t ->
                RouterTables.trace(t.router(), t.traces().live(), t.traces().replayed(), t.waited());
            case Result.CaptureStarted c ->
                line("capturing " + where(c.router(), c.iface()) + " to " + c.file() + " until the script ends");
            case Result.Captured c ->
                line("captured " + frames(c.summary()) + " on " + where(c.router(), c.iface()) + " to " + c.file());
            case Result.CaptureFailed c ->
                line("capture on " + where(c.router(), c.iface()) + " failed: " + c.message());
            // a probe's result is shown when the script prints it (or leaves it bare: Echoed)
            case Result.Pinged p -> "";
            case Result.RttMeasured m -> "";
            case Result.ThroughputMeasured m -> "";
            case Result.Printed p -> line(Render.text(p.value()));
            case Result.Echoed e -> line(Render.text(e.value()));
            case Result.ExpectFailed e -> expectFailed(e);
            case Result.Saved s ->
                line("saved " + s.file() + ": " + s.rows() + (s.rows() == 1 ? " row, " : " rows, ")
                        + String.join(", ", s.columns()));
            case Result.Charted c ->
                line("charted " + c.file() + ": " + c.kind() + " of " + c.y() + " by " + c.x() + ", " + c.rows()
                        + (c.rows() == 1 ? " row" : " rows"));
            case Result.Exit x -> "";
        };
    }

    /**
     * One of a router's tables, as the router shell shows it and a script's {@code show} under
     * {@code router NAME:}: the one rendering of the agent's records ({@link RouterTables}).
     */
    public static String table(Result.View v) {
        return switch (v) {
            case Result.View.Program p ->
                p.config() == null ? line("(not programmed)") : RouterTables.program(p.what(), p.config());
            case Result.View.Counters c -> RouterTables.counters(c.what(), c.counters());
            case Result.View.Fib f -> RouterTables.fib(f.entries());
            case Result.View.Neighbors n -> RouterTables.neighbors(n.entries());
            case Result.View.Interfaces i -> RouterTables.interfaces(i.config());
        };
    }

    private static String where(String router, String iface) {
        return router + (iface == null ? "" : " " + iface);
    }

    /** {@code 12 frame(s)}, and what the capture lost if its reader fell behind. */
    private static String frames(CaptureSummary s) {
        return s.frames() + " frame(s)"
                + (s.dropped() == 0 ? "" : " (" + s.dropped() + " lost: the reader fell behind)");
    }

    private static String topology(Result.Topology t) {
        StringBuilder sb = new StringBuilder();
        for (Result.Topology.Vpc v : t.vpcs()) {
            sb.append(String.format("vpc %s in %s: %s, ipv6 %s%n", v.name(), v.region(), v.cidr(), v.ipv6()));
            for (Result.Topology.Host h : v.hosts()) {
                sb.append(String.format(
                        "  host %-12s %s%s%n",
                        h.name(),
                        Addresses.format(h.address()),
                        (h.address6() == null ? "" : ", " + Addresses.format(h.address6()))
                                + (h.publicAddress() == null
                                        ? ""
                                        : ", public " + Addresses.format(h.publicAddress()))));
            }
            for (Result.Topology.Router r : v.routers()) {
                sb.append(String.format(
                        "  router %-10s transit %s, locator %s%n",
                        r.name(), Addresses.format(r.transit()), r.locator()));
            }
        }
        return sb.toString();
    }

    private static String candidate(Result.Candidate c) {
        StringBuilder sb = new StringBuilder(line("router " + c.router() + " (candidate: declared, not applied):"));
        for (Result.Candidate.Row row : c.rows()) {
            sb.append("  ")
                    .append(
                            switch (row) {
                                case Result.Candidate.Sid s ->
                                    RouterTables.sidRow(s.address(), s.behavior(), s.nameAndArguments());
                                case Result.Candidate.Policy p ->
                                    RouterTables.policyRow(p.bsid(), p.mode(), p.name(), p.lists());
                                case Result.Candidate.Steer s -> RouterTables.steerRow(s.match(), s.policy());
                            });
        }
        return sb.toString();
    }

    /** A plan's changes, one a line, and its summary. */
    private static String plan(Plan plan) {
        StringBuilder sb = new StringBuilder();
        for (Plan.Change c : plan.changes()) {
            sb.append(line(c.toString()));
        }
        return sb.append(line(plan.isEmpty() ? "No changes. The topology matches the script." : plan.summary()))
                .toString();
    }

    /** {@code file:line:col: expect failed: CONDITION}, then both sides of a comparison and the message. */
    private static String expectFailed(Result.ExpectFailed e) {
        StringBuilder sb = new StringBuilder();
        sb.append(e.file())
                .append(':')
                .append(e.line())
                .append(':')
                .append(e.column())
                .append(": expect failed: ")
                .append(e.condition());
        if (e.left() != null) {
            sb.append("\n  left:  ")
                    .append(Render.text(e.left()))
                    .append("\n  right: ")
                    .append(Render.text(e.right()));
        }
        if (e.message() != null) {
            sb.append("\n  ").append(Render.text(e.message()));
        }
        return line(sb.toString());
    }

    private static String line(String s) {
        return s + "\n";
    }
}
