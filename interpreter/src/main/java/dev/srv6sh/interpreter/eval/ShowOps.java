package dev.srv6sh.interpreter.eval;

import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.cloud.HostHandle;
import dev.srv6sh.cloud.Provider;
import dev.srv6sh.cloud.RouterHandle;
import dev.srv6sh.dataplane.agent.AgentException;
import dev.srv6sh.dataplane.agent.ConfigView;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.ast.Stmt;
import dev.srv6sh.interpreter.Result;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code show}: the plan, the deployed topology, and one or every router's tables as its agent
 * reports them, or, for a router not applied, its program as declared: {@link Result}s that carry
 * the agent's records, which the renderers show through {@link RouterTables}.
 */
final class ShowOps {
    private final Evaluator ev;
    private final Ops ops;

    ShowOps(Evaluator ev, Ops ops) {
        this.ev = ev;
        this.ops = ops;
    }

    void show(Stmt.ShowStmt s, Env env) {
        if (s.what().equals("fib") && s.target() == null) {
            throw new ScriptError(s.span(), "show fib needs a router: show fib ROUTER");
        }
        if (ev.checkOnly()) {
            return;
        }
        if (RouterTables.PROGRAM.contains(s.what())) {
            program(s, env);
            return;
        }
        switch (s.what()) {
            case "plan" -> {
                Provider pr = ops.provider(s.span());
                ev.results()
                        .accept(new Result.Planned(
                                pr.name(), pr.plan(Lowering.cloud(ev.desired())), Result.Planned.Purpose.SHOW));
            }
            case "topology", "state" -> ev.results().accept(topology(ops.deployment(s.span(), "show " + s.what())));
            case "counters", "runtime", "errors", "neighbors" -> {
                Deployment dep = ops.deployment(s.span(), "show " + s.what());
                List<String> routers = s.target() == null
                        ? dep.routerNames()
                        : List.of(Ops.routerName(
                                ev.exprs().eval(s.target(), env, false),
                                s.target().span()));
                for (String r : routers) {
                    RouterHandle h = Ops.deployed(dep.router(r), "router", r, s.span(), "show " + s.what());
                    if (s.what().equals("neighbors")) {
                        neighbors(h, s.span());
                    } else {
                        routerTable(s.what(), h, s.span());
                    }
                }
            }
            case "fib" -> {
                Deployment dep = ops.deployment(s.span(), "show fib");
                String r = Ops.routerName(
                        ev.exprs().eval(s.target(), env, false), s.target().span());
                fib(Ops.deployed(dep.router(r), "router", r, s.span(), "show fib"), s.span());
            }
            default -> ops.unavailable(s.span(), "show " + s.what());
        }
    }

    /**
     * {@code show sids|policies|steering [ROUTER]}: the program as installed on an applied router; on
     * one not applied (before {@code apply}, or declared since), as declared: the candidate.
     */
    private void program(Stmt.ShowStmt s, Env env) {
        Deployment dep = ops.deployed();
        java.util.LinkedHashSet<String> routers = new java.util.LinkedHashSet<>();
        if (s.target() != null) {
            routers.add(Ops.routerName(
                    ev.exprs().eval(s.target(), env, false), s.target().span()));
        } else {
            routers.addAll(dep == null ? List.of() : dep.routerNames());
            routers.addAll(ev.desired().routers.keySet());
        }
        if (routers.isEmpty()) {
            ev.results().accept(new Result.NoRouters());
        }
        for (String r : routers) {
            if (dep != null && dep.router(r) != null) {
                routerTable(s.what(), dep.router(r), s.span());
            } else if (ev.desired().routers.get(r) != null) {
                ev.results()
                        .accept(new Candidate(ev)
                                .table(s.what(), ev.desired().routers.get(r)));
            }
        }
    }

    /** {@code show fib ROUTER}: every prefix installed, by table, and where a lookup there leads. */
    private void fib(RouterHandle r, Span span) {
        try {
            ev.results()
                    .accept(new Result.RouterView(
                            r.name(), new Result.View.Fib(r.agent().fib())));
        } catch (AgentException e) {
            throw new RuntimeFailure(span, e.getMessage(), e);
        }
    }

    /** {@code show neighbors [ROUTER]}: the neighbor table, static entries and what ARP and ND learned. */
    private void neighbors(RouterHandle r, Span span) {
        try {
            ev.results()
                    .accept(new Result.RouterView(
                            r.name(), new Result.View.Neighbors(r.agent().neighbors())));
        } catch (AgentException e) {
            throw new RuntimeFailure(span, e.getMessage(), e);
        }
    }

    /** {@code show topology|state}: each VPC with its hosts and routers, and what the backend allocated. */
    private static Result.Topology topology(Deployment dep) {
        List<Result.Topology.Vpc> vpcs = new ArrayList<>();
        for (var v : dep.spec().vpcs()) {
            Deployment.VpcInfo i = dep.vpc(v.name());
            List<Result.Topology.Host> hosts = new ArrayList<>();
            for (var h : dep.spec().hosts()) {
                if (h.vpc().equals(v.name())) {
                    HostHandle hh = dep.host(h.name());
                    hosts.add(new Result.Topology.Host(h.name(), hh.address(), hh.address6(), hh.publicAddress()));
                }
            }
            List<Result.Topology.Router> routers = new ArrayList<>();
            for (var r : dep.spec().routers()) {
                if (r.vpc().equals(v.name())) {
                    RouterHandle rh = dep.router(r.name());
                    routers.add(new Result.Topology.Router(r.name(), rh.transitAddress(), rh.locator()));
                }
            }
            vpcs.add(new Result.Topology.Vpc(v.name(), v.region(), i.cidr(), i.ipv6(), hosts, routers));
        }
        return new Result.Topology(vpcs);
    }

    private void routerTable(String what, RouterHandle r, Span span) {
        Result.View view;
        try {
            if (RouterTables.COUNTERS.contains(what)) {
                view = new Result.View.Counters(what, r.agent().counters());
            } else {
                // commit 1 is the backend's topology: a router with nothing more has no program yet
                ConfigView running = r.agent().running();
                view = new Result.View.Program(what, running.generation() <= 1 ? null : running.config());
            }
        } catch (AgentException e) {
            throw new RuntimeFailure(span, e.getMessage(), e);
        }
        ev.results().accept(new Result.RouterView(r.name(), view));
    }
}
