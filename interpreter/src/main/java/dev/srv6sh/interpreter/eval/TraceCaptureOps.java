package dev.srv6sh.interpreter.eval;

import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.RouterHandle;
import dev.srv6sh.dataplane.agent.AgentException;
import dev.srv6sh.dataplane.agent.CaptureFile;
import dev.srv6sh.dataplane.agent.CaptureSummary;
import dev.srv6sh.grammar.ast.Stmt;
import dev.srv6sh.interpreter.Result;
import java.time.Duration;

/**
 * {@code trace} and {@code capture}: packets through a deployed router's graph, node by node, and
 * its frames to a pcap file, through the router's agent; what they saw and wrote are {@link
 * Result}s.
 */
final class TraceCaptureOps {
    private final Evaluator ev;
    private final Ops ops;

    TraceCaptureOps(Evaluator ev, Ops ops) {
        this.ev = ev;
        this.ops = ops;
    }

    /** How long {@code trace} waits for new packets before it replays the most recent ones. */
    static final Duration TRACE_WAIT = Duration.ofSeconds(1);

    /** {@code trace ROUTER [N]}: the next N packets' path through the router's graph, node by node. */
    void trace(Stmt.TraceStmt t, Env env) {
        Value rv = ev.exprs().eval(t.router(), env, false);
        int count = 1;
        if (t.count() != null) {
            Value c = ev.exprs().eval(t.count(), env, false);
            if (c instanceof Value.Num n && n.value() == Math.rint(n.value()) && n.value() >= 1 && n.value() <= 1000) {
                count = (int) n.value();
            } else if (!(c instanceof Value.Unknown)) {
                throw new ScriptError(
                        t.count().span(),
                        "trace counts 1 to 1000 packets, not "
                                + (c instanceof Value.Num ? Render.text(c) : c.describe()));
            }
        }
        if (rv instanceof Value.Unknown) {
            return;
        }
        String name = Ops.routerName(rv, t.router().span());
        if (ev.checkOnly()) {
            return;
        }
        RouterHandle r =
                Ops.deployed(ops.deployment(t.span(), "trace").router(name), "router", name, t.span(), "trace");
        try {
            ev.results().accept(new Result.Traced(name, r.agent().trace(count, TRACE_WAIT), TRACE_WAIT));
        } catch (AgentException e) {
            throw new RuntimeFailure(t.span(), e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(t.span(), "trace was interrupted");
        }
    }

    /** {@code capture ROUTER [IFACE] to "file.pcap" [for D]}. */
    void capture(Stmt.CaptureStmt c, Env env) {
        Value rv = ev.exprs().eval(c.router(), env, false);
        Value fv = ev.exprs().eval(c.file(), env, false);
        Value dv = c.duration() == null ? null : ev.exprs().eval(c.duration(), env, false);
        if (fv instanceof Value.Str f
                && !f.value().toLowerCase(java.util.Locale.ROOT).endsWith(".pcap")) {
            throw new ScriptError(c.file().span(), "capture writes a .pcap file, not '" + f.value() + "'");
        } else if (!(fv instanceof Value.Str) && !(fv instanceof Value.Unknown)) {
            throw new ScriptError(c.file().span(), "expected a file name (a string), not " + fv.describe());
        }
        if (dv != null
                && !(dv instanceof Value.Unknown)
                && !(dv instanceof Value.Qty q && q.dim() == Dim.DURATION && q.value() > 0)) {
            throw new ScriptError(
                    c.duration().span(), "capture ... for needs a duration such as 2s, not " + dv.describe());
        }
        if (rv instanceof Value.Unknown || fv instanceof Value.Unknown || ev.checkOnly()) {
            return;
        }
        String name = Ops.routerName(rv, c.router().span());
        String file = ((Value.Str) fv).value();
        java.nio.file.Path path = ev.outputDir().resolve(file);
        RouterHandle r =
                Ops.deployed(ops.deployment(c.span(), "capture").router(name), "router", name, c.span(), "capture");
        try {
            if (path.getParent() != null) {
                java.nio.file.Files.createDirectories(path.getParent());
            }
            CaptureFile cap = CaptureFile.start(r.agent(), c.iface(), path);
            if (dv == null) {
                ev.results().accept(new Result.CaptureStarted(name, c.iface(), file));
                ops.openCaptures.add(() -> {
                    try {
                        ev.results().accept(new Result.Captured(name, c.iface(), file, cap.stop()));
                    } catch (AgentException e) {
                        ev.results().accept(new Result.CaptureFailed(name, c.iface(), file, e.getMessage()));
                    }
                });
                return;
            }
            CaptureSummary n;
            try {
                // on the deployment's clock: on local, D of virtual time, which passes as fast as the
                // events in it (none, between a script's operations) take to run
                ops.deployment(c.span(), "capture")
                        .sleep(Duration.ofNanos(Math.max(1, Math.round(((Value.Qty) dv).value() * 1e9))));
            } finally {
                n = cap.stop(); // also when interrupted: the file is closed, the engine stops copying
            }
            ev.results().accept(new Result.Captured(name, c.iface(), file, n));
        } catch (AgentException | ProviderException e) {
            throw new RuntimeFailure(c.span(), e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new RuntimeFailure(c.span(), "cannot write " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(c.span(), "capture was interrupted");
        }
    }
}
