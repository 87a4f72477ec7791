package dev.srv6sh.interpreter.eval;

import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.cloud.HostHandle;
import dev.srv6sh.cloud.Plan;
import dev.srv6sh.cloud.Provider;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.RouterHandle;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.grammar.ast.Arg;
import dev.srv6sh.grammar.ast.Expr;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.ast.Stmt;
import dev.srv6sh.grammar.diag.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Operations: the only place where a script has effects. plan/apply/destroy reconcile the desired
 * state through a {@link Provider}; ping and measure drive deployed hosts. While checking, nothing
 * happens and results are {@link Value.Unknown}.
 */
public final class Ops {
    /** Where the provider comes from; asked only when the script first needs it. */
    public interface Backend {
        Provider provider() throws ProviderException;
    }

    static final Duration DEFAULT_INTERVAL = Duration.ofMillis(200);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final Evaluator ev;
    private Backend backend;
    private Provider provider;

    Ops(Evaluator ev, Backend backend) {
        this.ev = ev;
        this.backend = backend;
    }

    private Provider provider(Span span) {
        if (provider == null) {
            try {
                provider = backend.provider();
            } catch (ProviderException e) {
                throw new RuntimeFailure(span, e.getMessage(), e);
            }
        }
        return provider;
    }

    private Deployment deployment(Span span, String what) {
        Deployment dep = provider == null ? null : provider.deployment();
        if (dep == null) {
            throw new RuntimeFailure(span, "nothing is deployed yet: '" + what + "' needs an 'apply' before it");
        }
        return dep;
    }

    void plan(Stmt.PlanStmt p) {
        new Resolver(ev.desired()).check();
        if (ev.checkOnly()) {
            return;
        }
        printPlan(provider(p.span()).plan(Lowering.cloud(ev.desired())));
    }

    private void printPlan(Plan plan) {
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
        for (Desired.Router r : ev.desired().routers.values()) {
            if (r.ssh != null) {
                throw new RuntimeFailure(
                        r.ssh,
                        "router " + r.name + ": the SSH router shell is not available in this "
                                + "version of srv6sh; remove 'ssh' to deploy without it");
            }
        }
        Provider pr = provider(a.span());
        Plan plan = pr.plan(Lowering.cloud(ev.desired()));
        printPlan(plan);
        try {
            Deployment dep = pr.apply(plan);
            Binder binder = new Binder(ev.desired(), dep);
            for (Desired.Router r : ev.desired().routers.values()) {
                dep.router(r.name).configure(binder.config(r));
            }
            ev.out()
                    .println("Apply complete: " + plan.count(Plan.Action.CREATE) + " added, "
                            + (plan.count(Plan.Action.UPDATE) + plan.count(Plan.Action.REPLACE)) + " changed, "
                            + plan.count(Plan.Action.DELETE) + " destroyed; "
                            + ev.desired().routers.size()
                            + " router(s) programmed on " + pr.name() + ".");
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
        try {
            provider(d.span()).destroy();
            ev.out().println("Destroy complete.");
        } catch (ProviderException e) {
            throw new RuntimeFailure(d.span(), e.getMessage(), e);
        }
    }

    void unavailable(Span span, String what) {
        if (!ev.checkOnly()) {
            throw new RuntimeFailure(span, "'" + what + "' is not available in this version of srv6sh");
        }
    }

    /** From now on, operations use {@code next}; what the current backend deployed is torn down. */
    void backend(Backend next) {
        close();
        provider = null;
        backend = next;
    }

    /** Closes the provider (the local backend's emulation thread). */
    public void close() {
        if (provider != null) {
            provider.close();
        }
    }

    // ---- ping and measure -----------------------------------------------------------------------

    private record Probe(String from, String to, int count, Duration interval, int size, Duration timeout) {}

    private Probe probe(Expr fromE, Expr toE, List<Arg> options, Env env, Span span) {
        String from = hostName(ev.exprs().eval(fromE, env, true), fromE.span());
        String to = hostName(ev.exprs().eval(toE, env, true), toE.span());
        int count = 5;
        Duration interval = DEFAULT_INTERVAL;
        int size = 56;
        Duration timeout = DEFAULT_TIMEOUT;
        for (Arg o : options) {
            if (o.key().equals("direct")) {
                if (!ev.checkOnly()) {
                    throw new RuntimeFailure(
                            o.span(), "the 'direct' baseline is not available in this version of srv6sh");
                }
                continue;
            }
            if (o.value() == null) {
                throw new ScriptError(o.span(), "'" + o.key() + "' needs a value");
            }
            Value v = ev.exprs().eval(o.value(), env, false);
            switch (o.key()) {
                case "count" -> {
                    count = Builtins.whole(o.value().span(), v);
                    if (count < 1 || count > 100_000) {
                        throw new ScriptError(o.value().span(), "count is 1..100000");
                    }
                }
                case "interval" -> interval = duration(v, o);
                case "timeout" -> timeout = duration(v, o);
                case "size" -> {
                    if (!(v instanceof Value.Qty q && q.dim() == Dim.SIZE) || q.value() < 0 || q.value() > 65_507) {
                        throw new ScriptError(o.value().span(), "size is a size such as 56B (0B..65507B)");
                    }
                    size = (int) q.value();
                }
                default ->
                    throw new ScriptError(
                            o.span(),
                            "unknown option '" + o.key() + "'",
                            Names.suggest(o.key(), List.of("count", "interval", "size", "timeout", "direct")));
            }
        }
        return new Probe(from, to, count, interval, size, timeout);
    }

    private static Duration duration(Value v, Arg o) {
        if (v instanceof Value.Qty q && q.dim() == Dim.DURATION && q.value() >= 0) {
            return Duration.ofNanos(Math.round(q.value() * 1e9));
        }
        throw new ScriptError(o.value().span(), "'" + o.key() + "' is a duration such as 200ms, not " + v.describe());
    }

    private String hostName(Value v, Span span) {
        return switch (v) {
            case Value.Res r when r.kind().equals("host") -> r.name();
            case Value.Forward f ->
                throw new ScriptError(
                        span,
                        "unknown host '" + f.name() + "'",
                        Names.suggest(f.name(), ev.desired().hosts.keySet()));
            default -> throw new ScriptError(span, "expected a host, but '" + Render.text(v) + "' is " + v.describe());
        };
    }

    Value ping(Expr.Ping p, Env env) {
        Probe pr = probe(p.from(), p.to(), p.options(), env, p.span());
        if (ev.checkOnly()) {
            return new Value.Unknown("PingResult");
        }
        return pingResult(pr, run(pr, p.span()));
    }

    Value measure(Expr.Measure m, Env env) {
        if (!m.metric().equals("rtt")) {
            throughputOptions(m, env);
            if (!ev.checkOnly()) {
                throw new RuntimeFailure(
                        m.span(),
                        "'measure " + m.metric() + (m.proto() == null ? "" : " " + m.proto())
                                + "' is not available in this version of srv6sh"
                                + ("tcp".equals(m.proto())
                                        ? "; TCP throughput also needs the netns or aws backend"
                                        : ""));
            }
            return new Value.Unknown("ThroughputResult");
        }
        Probe pr = probe(m.from(), m.to(), m.options(), env, m.span());
        if (ev.checkOnly()) {
            return new Value.Unknown("RttResult");
        }
        return rttResult(run(pr, m.span()));
    }

    /** Checks a throughput measurement's hosts, protocol and options ({@code for D}, {@code rate R}, {@code size S}). */
    private void throughputOptions(Expr.Measure m, Env env) {
        hostName(ev.exprs().eval(m.from(), env, true), m.from().span());
        hostName(ev.exprs().eval(m.to(), env, true), m.to().span());
        if (m.proto() == null) {
            throw new ScriptError(m.span(), "'measure throughput' needs a protocol: udp or tcp");
        }
        for (Arg o : m.options()) {
            if (o.key().equals("direct")) {
                continue;
            }
            Dim want =
                    switch (o.key()) {
                        case "for" -> Dim.DURATION;
                        case "rate" -> Dim.RATE;
                        case "size" -> Dim.SIZE;
                        default ->
                            throw new ScriptError(
                                    o.span(),
                                    "unknown option '" + o.key() + "'",
                                    Names.suggest(o.key(), List.of("for", "rate", "size", "direct")));
                    };
            Value v = o.value() == null ? Value.NIL : ev.exprs().eval(o.value(), env, false);
            if (!(v instanceof Value.Unknown) && !(v instanceof Value.Qty q && q.dim() == want && q.value() > 0)) {
                throw new ScriptError(
                        o.value() == null ? o.span() : o.value().span(),
                        "'" + o.key() + "' takes " + want.article() + ", not " + v.describe());
            }
        }
    }

    private List<HostHandle.Probe> run(Probe pr, Span span) {
        Deployment dep = deployment(span, "ping");
        HostHandle from = dep.host(pr.from());
        HostHandle to = dep.host(pr.to());
        try {
            return from.ping(to.address(), pr.count(), pr.interval(), pr.size(), pr.timeout());
        } catch (ProviderException e) {
            throw new RuntimeFailure(span, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(span, "interrupted");
        }
    }

    private static Value pingResult(Probe pr, List<HostHandle.Probe> probes) {
        Value.Rec rtt = rttResult(probes);
        long received = probes.stream().filter(HostHandle.Probe::answered).count();
        LinkedHashMap<String, Value> f = new LinkedHashMap<>();
        f.put("from", new Value.Str(pr.from()));
        f.put("to", new Value.Str(pr.to()));
        f.put("sent", new Value.Num(probes.size()));
        f.put("received", new Value.Num(received));
        f.put("loss", new Value.Qty(100.0 * (probes.size() - received) / probes.size(), Dim.PERCENT));
        f.put("rtt", rtt);
        f.put("hoplimit", rtt.fields().get("hoplimit"));
        return new Value.Rec("PingResult", f);
    }

    static Value.Rec rttResult(List<HostHandle.Probe> probes) {
        double[] s = probes.stream()
                .filter(HostHandle.Probe::answered)
                .mapToDouble(p -> p.rttNanos() / 1e9)
                .toArray();
        LinkedHashMap<String, Value> f = new LinkedHashMap<>();
        f.put("count", new Value.Num(s.length));
        Value none = Value.NIL;
        f.put("mean", s.length == 0 ? none : new Value.Qty(Stats.mean(s), Dim.DURATION));
        f.put(
                "min",
                s.length == 0
                        ? none
                        : new Value.Qty(java.util.Arrays.stream(s).min().orElseThrow(), Dim.DURATION));
        f.put(
                "max",
                s.length == 0
                        ? none
                        : new Value.Qty(java.util.Arrays.stream(s).max().orElseThrow(), Dim.DURATION));
        f.put("stddev", s.length == 0 ? none : new Value.Qty(Stats.stddev(s), Dim.DURATION));
        f.put("ci95", s.length == 0 ? none : new Value.Qty(Stats.ci95(s), Dim.DURATION));
        List<Value> samples = new ArrayList<>();
        for (double x : s) {
            samples.add(new Value.Qty(x, Dim.DURATION));
        }
        f.put("samples", new Value.ListV(samples));
        f.put("hoplimit", hopLimit(probes));
        return new Value.Rec("RttResult", f);
    }

    /** The hop limit the replies arrived with (the most common one, should paths differ). */
    private static Value hopLimit(List<HostHandle.Probe> probes) {
        Map<Integer, Integer> seen = new java.util.TreeMap<>();
        probes.stream().filter(HostHandle.Probe::answered).forEach(p -> seen.merge(p.hopLimit(), 1, Integer::sum));
        return seen.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .<Value>map(e -> new Value.Num(e.getKey()))
                .orElse(Value.NIL);
    }

    // ---- show -----------------------------------------------------------------------------------

    void show(Stmt.ShowStmt s, Env env) {
        if (ev.checkOnly()) {
            return;
        }
        switch (s.what()) {
            case "plan" -> printPlan(provider(s.span()).plan(Lowering.cloud(ev.desired())));
            case "topology", "state" -> topology(deployment(s.span(), "show " + s.what()));
            case "sids", "policies", "steering", "counters", "runtime", "errors" -> {
                Deployment dep = deployment(s.span(), "show " + s.what());
                List<String> routers = s.target() == null
                        ? dep.routerNames()
                        : List.of(routerName(
                                ev.exprs().eval(s.target(), env, false),
                                s.target().span()));
                for (String r : routers) {
                    routerTable(s.what(), dep.router(r), s.span());
                }
            }
            default -> unavailable(s.span(), "show " + s.what());
        }
    }

    private String routerName(Value v, Span span) {
        if (v instanceof Value.Res r && r.kind().equals("router")) {
            return r.name();
        }
        throw new ScriptError(span, "expected a router, not " + v.describe());
    }

    private void topology(Deployment dep) {
        for (var v : dep.spec().vpcs()) {
            Deployment.VpcInfo i = dep.vpc(v.name());
            ev.out().printf("vpc %s in %s: %s, ipv6 %s%n", v.name(), v.region(), i.cidr(), i.ipv6());
            for (var h : dep.spec().hosts()) {
                if (h.vpc().equals(v.name())) {
                    ev.out()
                            .printf(
                                    "  host %-12s %s%n",
                                    h.name(),
                                    Addresses.format(dep.host(h.name()).address()));
                }
            }
            for (var r : dep.spec().routers()) {
                if (r.vpc().equals(v.name())) {
                    RouterHandle rh = dep.router(r.name());
                    ev.out()
                            .printf(
                                    "  router %-10s transit %s, locator %s%n",
                                    r.name(), Addresses.format(rh.transitAddress()), rh.locator());
                }
            }
        }
    }

    private void routerTable(String what, RouterHandle r, Span span) {
        DataplaneConfig c = r.config();
        ev.out().println("router " + r.name() + ":");
        if (what.equals("counters") || what.equals("runtime") || what.equals("errors")) {
            try {
                var counters = r.counters();
                String table =
                        switch (what) {
                            case "runtime" -> counters.runtimeTable();
                            case "errors" -> counters.errorsTable();
                            default -> counters.toString();
                        };
                ev.out().println(table.indent(2).stripTrailing());
            } catch (ProviderException e) {
                throw new RuntimeFailure(span, e.getMessage(), e);
            }
            return;
        }
        if (c == null) {
            ev.out().println("  (not programmed)");
            return;
        }
        switch (what) {
            case "sids" ->
                c.sids().forEach(x -> ev.out()
                        .printf(
                                "  %-28s %-16s %s%n",
                                Addresses.format(x.address()),
                                x.behavior().text(),
                                x.name() + (x.nextHop() == null ? "" : " nh " + Addresses.format(x.nextHop()))));
            case "policies" ->
                c.policies().forEach(p -> ev.out()
                        .printf(
                                "  %-28s %-10s %s %s%n",
                                Addresses.format(p.bsid()),
                                p.mode().text(),
                                p.name(),
                                p.lists().stream()
                                        .map(l -> l.sids().stream()
                                                        .map(Addresses::format)
                                                        .toList() + " weight " + l.weight())
                                        .toList()));
            default ->
                c.steering().forEach(st -> ev.out()
                        .printf(
                                "  %-28s -> %s%n",
                                st.prefix() != null ? st.prefix() : "interface " + st.iface(), st.policy()));
        }
    }
}
