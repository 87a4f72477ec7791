package dev.srv6sh.interpreter.eval;

import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.cloud.HostHandle;
import dev.srv6sh.cloud.Plan;
import dev.srv6sh.cloud.Provider;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.RouterHandle;
import dev.srv6sh.dataplane.agent.AgentException;
import dev.srv6sh.dataplane.agent.CaptureFile;
import dev.srv6sh.dataplane.agent.CaptureSummary;
import dev.srv6sh.dataplane.agent.ConfigView;
import dev.srv6sh.dataplane.agent.Traces;
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
    private final Shells shells = new Shells();

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

    /**
     * The deployed handle of {@code kind} {@code name}, which is null for one declared since the last
     * apply: an error that says so.
     */
    private static <T> T deployed(T handle, String kind, String name, Span span, String what) {
        if (handle == null) {
            throw new RuntimeFailure(
                    span,
                    kind + " " + name + " is not deployed: '" + what + "' needs an 'apply' after its declaration");
        }
        return handle;
    }

    /** What the backend deployed, or null before an apply. */
    Deployment deployed() {
        return provider == null ? null : provider.deployment();
    }

    void plan(Stmt.PlanStmt p) {
        new Resolver(ev.desired()).check();
        if (ev.checkOnly()) {
            return;
        }
        Provider pr = provider(p.span());
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
        Provider pr = provider(a.span());
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

    /** The routers' SSH shells the deployment serves ({@code ssh ADDRESS:PORT}). */
    Shells shells() {
        return shells;
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
        stopCaptures(); // a capture ends with the routers it watches
        shells.close(); // and a shell
        try {
            provider(d.span()).destroy();
            ev.out().println("Destroy complete.");
            ev.emit("destroy", "backend", provider.name());
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
        stopCaptures();
        shells.close();
        if (provider != null) {
            provider.close();
        }
    }

    // ---- ping and measure -----------------------------------------------------------------------

    private record Probe(
            String from,
            String to,
            int count,
            Duration interval,
            int size,
            Duration timeout,
            boolean direct,
            boolean ipv6) {}

    private Probe probe(Expr fromE, Expr toE, List<Arg> options, Env env, Span span) {
        String from = hostName(ev.exprs().eval(fromE, env, true), fromE.span());
        String to = hostName(ev.exprs().eval(toE, env, true), toE.span());
        int count = 5;
        Duration interval = DEFAULT_INTERVAL;
        int size = 56;
        Duration timeout = DEFAULT_TIMEOUT;
        boolean direct = false;
        boolean ipv6 = false;
        for (Arg o : options) {
            if (o.key().equals("direct")) {
                direct = flag(o);
                continue;
            }
            if (o.key().equals("ipv6")) {
                ipv6 = flag(o);
                continue;
            }
            if (o.value() == null) {
                throw new ScriptError(o.span(), "'" + o.key() + "' needs a value");
            }
            Value v = ev.exprs().eval(o.value(), env, false);
            switch (o.key()) {
                case "count" -> {
                    count = Builtins.whole(o.value().span(), v);
                    if (count < 1 || count > 65_535) {
                        // the echo sequence number is 16 bits
                        throw new ScriptError(o.value().span(), "count is 1..65535");
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
                            Names.suggest(o.key(), List.of("count", "interval", "size", "timeout", "direct", "ipv6")));
            }
        }
        if (direct && ipv6) {
            throw new ScriptError(
                    span,
                    "'direct' reaches a host at its public IPv4 address; IPv6 between VPCs already goes straight"
                            + " through the internet gateways: use one or the other");
        }
        return new Probe(from, to, count, interval, size, timeout, direct, ipv6);
    }

    /** {@code direct} is a word on its own: the same pair reached without the SRv6 routers. */
    private static boolean flag(Arg o) {
        if (o.value() != null) {
            throw new ScriptError(o.value().span(), "'" + o.key() + "' takes no value");
        }
        return true;
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
        String op =
                "ping " + pr.from() + " -> " + pr.to() + (pr.direct() ? " direct" : "") + (pr.ipv6() ? " ipv6" : "");
        Value result = tracked(op, probeTime(pr), () -> pingResult(pr, run(pr, p.span())));
        ev.emit("ping", "from", pr.from(), "to", pr.to(), "direct", pr.direct(), "ipv6", pr.ipv6(), "result", result);
        return result;
    }

    Value measure(Expr.Measure m, Env env) {
        if (!m.metric().equals("rtt")) {
            Throughput t = throughput(m, env);
            if (ev.checkOnly()) {
                return new Value.Unknown("ThroughputResult");
            }
            String op = "measure throughput " + t.proto() + " " + t.from() + " -> " + t.to()
                    + (t.direct() ? " direct" : "");
            Value result = tracked(op, t.duration(), () -> throughputResult(t, udp(t, m.span())));
            ev.emit(
                    "measure throughput",
                    "proto",
                    t.proto(),
                    "from",
                    t.from(),
                    "to",
                    t.to(),
                    "direct",
                    t.direct(),
                    "result",
                    result);
            return result;
        }
        Probe pr = probe(m.from(), m.to(), m.options(), env, m.span());
        if (ev.checkOnly()) {
            return new Value.Unknown("RttResult");
        }
        String op = "measure rtt " + pr.from() + " -> " + pr.to() + (pr.direct() ? " direct" : "")
                + (pr.ipv6() ? " ipv6" : "");
        Value result = tracked(op, probeTime(pr), () -> rttResult(run(pr, m.span())));
        ev.emit(
                "measure rtt",
                "from",
                pr.from(),
                "to",
                pr.to(),
                "direct",
                pr.direct(),
                "ipv6",
                pr.ipv6(),
                "result",
                result);
        return result;
    }

    /** How long a ping run takes when every reply comes back at once. */
    private static Duration probeTime(Probe pr) {
        return pr.interval().multipliedBy(Math.max(0, pr.count() - 1)).plusMillis(1);
    }

    /**
     * The clock operations take their time on: the deployment's (on local the emulation's virtual
     * clock, which runs as fast as the events can be processed), else the real one.
     */
    private dev.srv6sh.dataplane.Clock clock() {
        Deployment dep = provider == null ? null : provider.deployment();
        return dep == null ? dev.srv6sh.dataplane.Clock.SYSTEM : dep.clock();
    }

    /**
     * Runs an operation between STARTED and FINISHED events, with PROGRESS every 100 ms of real time
     * reckoned on the deployment's clock: on local, the share of the operation's virtual length done
     * ({@link Tracker}).
     */
    private Value tracked(String op, Duration expected, java.util.function.Supplier<Value> body) {
        Tracker tracker = new Tracker(ev.progress(), op, expected, clock(), Tracker.REAL);
        Value result = null;
        try {
            result = body.get();
            return result;
        } finally {
            tracker.finish(result);
        }
    }

    /**
     * The UDP default rate: far above iperf3's 1 Mbit/s (which says nothing about a link) and within
     * every AWS limit (5 Gbit/s per flow), so that a flow measures the path loss-free. On local any
     * rate is emulated exactly (virtual time), but each datagram costs the emulator ~6 µs of real time
     * on an idle core and ~18 µs on a busy two-core machine: at 500 Mbit/s the campaign's six 20 s
     * flows take about a minute and a half there, at 1 Gbit/s over three (docs/emulation.md). A script
     * asks for more with {@code rate}.
     */
    static final long DEFAULT_UDP_RATE = 500_000_000L;

    /** The UDP default datagram size: fits a 1500-byte path with a one-SID encapsulation (1436 B). */
    static final int DEFAULT_UDP_SIZE = 1400;

    static final Duration DEFAULT_UDP_DURATION = Duration.ofSeconds(10);
    static final int MIN_UDP_SIZE = 44;
    static final int MAX_UDP_SIZE = 9000;

    private record Throughput(
            String proto, String from, String to, Duration duration, long rate, int size, boolean direct) {}

    /**
     * A throughput measurement's hosts, protocol and options ({@code for D}, {@code rate R}, {@code size
     * S}, {@code direct}), checked in check mode as at run time.
     */
    private Throughput throughput(Expr.Measure m, Env env) {
        if (!m.metric().equals("throughput")) {
            throw new ScriptError(
                    m.span(),
                    "unknown measurement '" + m.metric() + "'; measure rtt or throughput",
                    Names.suggest(m.metric(), List.of("rtt", "throughput")));
        }
        String from = hostName(ev.exprs().eval(m.from(), env, true), m.from().span());
        String to = hostName(ev.exprs().eval(m.to(), env, true), m.to().span());
        if (m.proto() == null) {
            throw new ScriptError(m.span(), "'measure throughput' needs a protocol: udp or tcp");
        }
        Duration duration = DEFAULT_UDP_DURATION;
        long rate = DEFAULT_UDP_RATE;
        int size = DEFAULT_UDP_SIZE;
        boolean direct = false;
        for (Arg o : m.options()) {
            if (o.key().equals("direct")) {
                direct = flag(o);
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
            if (o.value() == null) {
                throw new ScriptError(o.span(), "'" + o.key() + "' needs " + want.article());
            }
            Value v = ev.exprs().eval(o.value(), env, false);
            if (v instanceof Value.Unknown) {
                continue;
            }
            if (!(v instanceof Value.Qty q && q.dim() == want && q.value() > 0)) {
                throw new ScriptError(
                        o.value().span(), "'" + o.key() + "' takes " + want.article() + ", not " + v.describe());
            }
            switch (o.key()) {
                case "for" -> {
                    if (q.value() < 1e-3 || q.value() > 3600) {
                        throw new ScriptError(o.value().span(), "'for' is 1ms..1h");
                    }
                    duration = Duration.ofNanos(Math.round(q.value() * 1e9));
                }
                case "rate" -> {
                    if (q.value() < 1e3 || q.value() > 100e9) {
                        throw new ScriptError(o.value().span(), "'rate' is 1kbps..100Gbps");
                    }
                    rate = Math.round(q.value());
                }
                default -> {
                    if (q.value() < MIN_UDP_SIZE || q.value() > MAX_UDP_SIZE || q.value() != Math.rint(q.value())) {
                        throw new ScriptError(
                                o.value().span(),
                                "'size' is the IPv4 datagram's size, " + MIN_UDP_SIZE + "B.." + MAX_UDP_SIZE
                                        + "B: 28 bytes of IPv4 and UDP headers and at least the 16 bytes of"
                                        + " sequence number and timestamp each datagram carries");
                    }
                    size = (int) q.value();
                }
            }
        }
        return new Throughput(m.proto(), from, to, duration, rate, size, direct);
    }

    private HostHandle.UdpReport udp(Throughput t, Span span) {
        Deployment dep = deployment(span, "measure throughput");
        if (t.proto().equals("tcp")) {
            throw new RuntimeFailure(
                    span,
                    "'measure throughput tcp' needs a real TCP stack at both ends: it runs on the netns and aws"
                            + " backends (iperf3 in the hosts), not on " + provider.name()
                            + ", whose hosts are emulated; measure throughput udp here");
        }
        HostHandle from = deployed(dep.host(t.from()), "host", t.from(), span, "measure throughput");
        HostHandle to = deployed(dep.host(t.to()), "host", t.to(), span, "measure throughput");
        try {
            return from.udp(to, target(to, t.direct(), span), new HostHandle.UdpFlow(t.rate(), t.size(), t.duration()));
        } catch (ProviderException e) {
            throw new RuntimeFailure(span, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(span, "interrupted");
        }
    }

    /** The address a measurement aims at: the host's own, or with {@code direct} its public one. */
    private java.net.InetAddress target(HostHandle to, boolean direct, Span span) {
        if (!direct) {
            return to.address();
        }
        if (to.publicAddress() == null) {
            throw new RuntimeFailure(
                    span,
                    "host " + to.name() + " has no public address on the " + provider.name()
                            + " backend, so there is no direct path to it");
        }
        return to.publicAddress();
    }

    static Value.Rec throughputResult(Throughput t, HostHandle.UdpReport r) {
        double seconds = r.duration().toNanos() / 1e9;
        LinkedHashMap<String, Value> f = new LinkedHashMap<>();
        f.put("proto", new Value.Str(t.proto()));
        f.put("from", new Value.Str(t.from()));
        f.put("to", new Value.Str(t.to()));
        f.put("duration", new Value.Qty(seconds, Dim.DURATION));
        f.put("bytes", new Value.Qty(r.bytes(), Dim.SIZE));
        f.put("rate", new Value.Qty(r.bytes() * 8 / seconds, Dim.RATE));
        f.put("offered", new Value.Qty(r.sent() * (double) t.size() * 8 / seconds, Dim.RATE));
        f.put("sent", new Value.Num(r.sent()));
        f.put("packets", new Value.Num(r.received()));
        f.put("loss", new Value.Qty(r.sent() == 0 ? 0 : 100.0 * r.lost() / r.sent(), Dim.PERCENT));
        f.put("jitter", new Value.Qty(r.jitterNanos() / 1e9, Dim.DURATION));
        f.put("reordered", new Value.Num(r.reordered()));
        f.put("hoplimit", r.hopLimit() < 0 ? Value.NIL : new Value.Num(r.hopLimit()));
        return new Value.Rec("ThroughputResult", f);
    }

    private List<HostHandle.Probe> run(Probe pr, Span span) {
        Deployment dep = deployment(span, "ping");
        HostHandle from = deployed(dep.host(pr.from()), "host", pr.from(), span, "ping");
        HostHandle to = deployed(dep.host(pr.to()), "host", pr.to(), span, "ping");
        try {
            java.net.InetAddress target = pr.ipv6() ? to.address6() : target(to, pr.direct(), span);
            if (target == null) {
                throw new RuntimeFailure(
                        span, "host " + to.name() + " has no IPv6 address on the " + provider.name() + " backend");
            }
            return from.ping(target, pr.count(), pr.interval(), pr.size(), pr.timeout());
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
            case "plan" -> printPlan(provider(s.span()).plan(Lowering.cloud(ev.desired())));
            case "topology", "state" -> topology(deployment(s.span(), "show " + s.what()));
            case "counters", "runtime", "errors", "neighbors" -> {
                Deployment dep = deployment(s.span(), "show " + s.what());
                List<String> routers = s.target() == null
                        ? dep.routerNames()
                        : List.of(routerName(
                                ev.exprs().eval(s.target(), env, false),
                                s.target().span()));
                for (String r : routers) {
                    RouterHandle h = deployed(dep.router(r), "router", r, s.span(), "show " + s.what());
                    if (s.what().equals("neighbors")) {
                        neighbors(h, s.span());
                    } else {
                        routerTable(s.what(), h, s.span());
                    }
                }
            }
            case "fib" -> {
                Deployment dep = deployment(s.span(), "show fib");
                String r = routerName(
                        ev.exprs().eval(s.target(), env, false), s.target().span());
                fib(deployed(dep.router(r), "router", r, s.span(), "show fib"), s.span());
            }
            default -> unavailable(s.span(), "show " + s.what());
        }
    }

    /**
     * {@code show sids|policies|steering [ROUTER]}: the program as installed on an applied router; on
     * one not applied (before {@code apply}, or declared since), as declared: the candidate.
     */
    private void program(Stmt.ShowStmt s, Env env) {
        Deployment dep = deployed();
        java.util.LinkedHashSet<String> routers = new java.util.LinkedHashSet<>();
        if (s.target() != null) {
            routers.add(routerName(
                    ev.exprs().eval(s.target(), env, false), s.target().span()));
        } else {
            routers.addAll(dep == null ? List.of() : dep.routerNames());
            routers.addAll(ev.desired().routers.keySet());
        }
        if (routers.isEmpty()) {
            ev.out().println("no router is declared yet");
        }
        for (String r : routers) {
            if (dep != null && dep.router(r) != null) {
                routerTable(s.what(), dep.router(r), s.span());
            } else if (ev.desired().routers.get(r) != null) {
                new Candidate(ev).print(s.what(), ev.desired().routers.get(r));
            }
        }
    }

    /** {@code show fib ROUTER}: every prefix installed, by table, and where a lookup there leads. */
    private void fib(RouterHandle r, Span span) {
        try {
            var entries = r.agent().fib();
            ev.out().println("router " + r.name() + ":");
            ev.out().print(RouterTables.fib(entries).indent(2));
        } catch (AgentException e) {
            throw new RuntimeFailure(span, e.getMessage(), e);
        }
    }

    /** {@code show neighbors [ROUTER]}: the neighbor table, static entries and what ARP and ND learned. */
    private void neighbors(RouterHandle r, Span span) {
        try {
            var entries = r.agent().neighbors();
            ev.out().println("router " + r.name() + ":");
            ev.out().print(RouterTables.neighbors(entries).indent(2));
        } catch (AgentException e) {
            throw new RuntimeFailure(span, e.getMessage(), e);
        }
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
        String name = routerName(rv, t.router().span());
        if (ev.checkOnly()) {
            return;
        }
        RouterHandle r = deployed(deployment(t.span(), "trace").router(name), "router", name, t.span(), "trace");
        try {
            Traces traces = r.agent().trace(count, TRACE_WAIT);
            ev.out().print(RouterTables.trace(name, traces.live(), traces.replayed(), TRACE_WAIT));
        } catch (AgentException e) {
            throw new RuntimeFailure(t.span(), e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(t.span(), "trace was interrupted");
        }
    }

    /** Captures still running (no 'for'): stopped, and their files closed, when the script ends. */
    private final List<Runnable> openCaptures = new ArrayList<>();

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
        String name = routerName(rv, c.router().span());
        String file = ((Value.Str) fv).value();
        java.nio.file.Path path = ev.outputDir().resolve(file);
        RouterHandle r = deployed(deployment(c.span(), "capture").router(name), "router", name, c.span(), "capture");
        String where = name + (c.iface() == null ? "" : " " + c.iface());
        try {
            if (path.getParent() != null) {
                java.nio.file.Files.createDirectories(path.getParent());
            }
            CaptureFile cap = CaptureFile.start(r.agent(), c.iface(), path);
            if (dv == null) {
                ev.out().println("capturing " + where + " to " + file + " until the script ends");
                openCaptures.add(() -> {
                    try {
                        ev.out().println("captured " + frames(cap.stop()) + " on " + where + " to " + file);
                    } catch (AgentException e) {
                        ev.out().println("capture on " + where + " failed: " + e.getMessage());
                    }
                });
                return;
            }
            CaptureSummary n;
            try {
                // on the deployment's clock: on local, D of virtual time, which passes as fast as the
                // events in it (none, between a script's operations) take to run
                deployment(c.span(), "capture")
                        .sleep(Duration.ofNanos(Math.max(1, Math.round(((Value.Qty) dv).value() * 1e9))));
            } finally {
                n = cap.stop(); // also when interrupted: the file is closed, the engine stops copying
            }
            ev.out().println("captured " + frames(n) + " on " + where + " to " + file);
        } catch (AgentException | ProviderException e) {
            throw new RuntimeFailure(c.span(), e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new RuntimeFailure(c.span(), "cannot write " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(c.span(), "capture was interrupted");
        }
    }

    /** {@code 12 frame(s)}, and what the capture lost if its reader fell behind. */
    private static String frames(CaptureSummary s) {
        return s.frames() + " frame(s)"
                + (s.dropped() == 0 ? "" : " (" + s.dropped() + " lost: the reader fell behind)");
    }

    private void stopCaptures() {
        openCaptures.forEach(Runnable::run);
        openCaptures.clear();
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
                    HostHandle hh = dep.host(h.name());
                    ev.out()
                            .printf(
                                    "  host %-12s %s%s%n",
                                    h.name(),
                                    Addresses.format(hh.address()),
                                    (hh.address6() == null ? "" : ", " + Addresses.format(hh.address6()))
                                            + (hh.publicAddress() == null
                                                    ? ""
                                                    : ", public " + Addresses.format(hh.publicAddress())));
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
        ev.out().println("router " + r.name() + ":");
        if (RouterTables.COUNTERS.contains(what)) {
            try {
                ev.out().print(RouterTables.counters(what, r.agent().counters()).indent(2));
            } catch (AgentException e) {
                throw new RuntimeFailure(span, e.getMessage(), e);
            }
            return;
        }
        // commit 1 is the backend's topology: a router with nothing more has no program yet
        ConfigView running;
        try {
            running = r.agent().running();
        } catch (AgentException e) {
            throw new RuntimeFailure(span, e.getMessage(), e);
        }
        DataplaneConfig c = running.generation() <= 1 ? null : running.config();
        if (c == null) {
            ev.out().println("  (not programmed)");
            return;
        }
        ev.out().print(RouterTables.program(what, c).indent(2));
    }
}
