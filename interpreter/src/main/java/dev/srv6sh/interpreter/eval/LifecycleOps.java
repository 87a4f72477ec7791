package dev.srv6sh.interpreter.eval;

import dev.srv6sh.cloud.Plan;
import dev.srv6sh.cloud.Provider;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.grammar.ast.Stmt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The life cycle: {@code plan}, {@code apply} and {@code destroy} reconcile the desired state
 * through the backend's {@link Provider}.
 */
final class LifecycleOps {
    private final Evaluator ev;
    private final Ops ops;

    LifecycleOps(Evaluator ev, Ops ops) {
        this.ev = ev;
        this.ops = ops;
    }

    void plan(Stmt.PlanStmt p) {
        new Resolver(ev.desired()).check();
        if (ev.checkOnly()) {
            return;
        }
        Provider pr = ops.provider(p.span());
        Plan plan = pr.plan(Lowering.cloud(ev.desired()));
        printPlan(plan);
        ev.emit("plan", planFields(pr, plan));
    }

    /** A plan's changes and counts, as JSON result fields. */
    private static Object[] planFields(Provider pr, Plan plan) {
        List<Map<String, Object>> changes = new ArrayList<>();
        for (Plan.Change c : plan.changes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("action", c.action().name().toLowerCase(java.util.Locale.ROOT));
            m.put("symbol", c.action().symbol());
            m.put("kind", c.kind());
            m.put("name", c.name());
            m.put("detail", c.detail());
            changes.add(m);
        }
        return new Object[] {
            "backend",
            pr.name(),
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

    void printPlan(Plan plan) {
        for (Plan.Change c : plan.changes()) {
            ev.out().println(c);
        }
        ev.out().println(plan.isEmpty() ? "No changes. The topology matches the script." : plan.summary());
    }

    void apply(Stmt.ApplyStmt a) {
        new Resolver(ev.desired()).check();
        if (ev.checkOnly()) {
            return;
        }
        if (!a.auto()) {
            throw new RuntimeFailure(
                    a.span(),
                    "'apply' asks for confirmation, which a batch run cannot give; "
                            + "write 'apply auto' to apply without asking");
        }
        checkDeployable();
        Provider pr = ops.provider(a.span());
        Plan plan = pr.plan(Lowering.cloud(ev.desired()));
        printPlan(plan);
        try {
            ev.deploy(pr, plan);
            ev.out()
                    .println("Apply complete: " + plan.count(Plan.Action.CREATE) + " added, "
                            + (plan.count(Plan.Action.UPDATE) + plan.count(Plan.Action.REPLACE)) + " changed, "
                            + plan.count(Plan.Action.DELETE) + " destroyed; "
                            + ev.desired().routers.size()
                            + " router(s) programmed on " + pr.name() + ".");
            Object[] fields = planFields(pr, plan);
            Object[] withRouters = java.util.Arrays.copyOf(fields, fields.length + 2);
            withRouters[fields.length] = "routers";
            withRouters[fields.length + 1] = ev.desired().routers.size();
            ev.emit("apply", withRouters);
        } catch (ProviderException e) {
            throw new RuntimeFailure(a.span(), e.getMessage(), e);
        }
    }

    /** What no backend of this version can deploy: a router's SSH shell. */
    void checkDeployable() {
        for (Desired.Router r : ev.desired().routers.values()) {
            if (r.ssh != null) {
                throw new RuntimeFailure(
                        r.ssh,
                        "router " + r.name + ": the SSH router shell is not available in this "
                                + "version of srv6sh; remove 'ssh' to deploy without it");
            }
        }
    }

    void destroy(Stmt.DestroyStmt d) {
        if (ev.checkOnly()) {
            return;
        }
        if (!d.auto()) {
            throw new RuntimeFailure(
                    d.span(),
                    "'destroy' asks for confirmation, which a batch run cannot give; " + "write 'destroy auto'");
        }
        ops.stopCaptures(); // a capture ends with the routers it watches
        try {
            ops.provider(d.span()).destroy();
            ev.out().println("Destroy complete.");
            ev.emit("destroy", "backend", ops.provider(d.span()).name());
        } catch (ProviderException e) {
            throw new RuntimeFailure(d.span(), e.getMessage(), e);
        }
    }
}
