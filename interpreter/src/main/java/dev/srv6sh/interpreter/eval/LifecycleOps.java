package dev.srv6sh.interpreter.eval;

import dev.srv6sh.cloud.Plan;
import dev.srv6sh.cloud.Provider;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.grammar.ast.Stmt;
import dev.srv6sh.interpreter.Result;

/**
 * The life cycle: {@code plan}, {@code apply} and {@code destroy} reconcile the desired state
 * through the backend's {@link Provider}, and give what they planned and did as {@link Result}s.
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
        Plan plan;
        try {
            plan = pr.plan(Lowering.cloud(ev.desired()));
        } catch (dev.srv6sh.cloud.ProviderFailure e) {
            throw new RuntimeFailure(p.span(), e.getMessage(), e.getCause());
        }
        ev.results().accept(new Result.Planned(pr.name(), plan, Result.Planned.Purpose.PLAN));
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
        Provider pr = ops.provider(a.span());
        Plan plan;
        try {
            plan = pr.plan(Lowering.cloud(ev.desired()));
        } catch (dev.srv6sh.cloud.ProviderFailure e) {
            throw new RuntimeFailure(a.span(), e.getMessage(), e.getCause());
        }
        ev.results().accept(new Result.Planned(pr.name(), plan, Result.Planned.Purpose.APPLY));
        try {
            ev.deploy(pr, plan);
            ev.results()
                    .accept(new Result.Applied(
                            pr.name(), plan, ev.desired().routers.size()));
        } catch (ProviderException e) {
            throw new RuntimeFailure(a.span(), e.getMessage(), e);
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
        ops.shells().close(); // and a shell
        try {
            ops.provider(d.span()).destroy();
            ev.results().accept(new Result.Destroyed(ops.provider(d.span()).name()));
        } catch (ProviderException e) {
            throw new RuntimeFailure(d.span(), e.getMessage(), e);
        }
    }
}
