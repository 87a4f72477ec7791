package dev.srv6sh.interpreter.eval;

import dev.srv6sh.grammar.ast.DeclName;
import dev.srv6sh.grammar.ast.Expr;
import dev.srv6sh.grammar.ast.Program;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.ast.Stmt;
import dev.srv6sh.grammar.diag.Diagnostic;
import dev.srv6sh.grammar.diag.Names;
import dev.srv6sh.grammar.parse.Parser;
import dev.srv6sh.interpreter.Result;
import dev.srv6sh.interpreter.Results;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a program's statements in order. Declarations go to {@link Declarations} and build the
 * {@link Desired} state; operations go to {@link Ops}' jobs. Nothing is printed: what a script shows
 * (an operation's result, a {@code print}, a failed {@code expect}) is a {@link Result} given to the
 * {@link Results} sink of whoever runs it. With {@code checkOnly}, operations have no effect and
 * yield {@link Value.Unknown}, so {@code srv6sh check} walks the whole script safely.
 */
public final class Evaluator {
    private final boolean checkOnly;
    private final Map<String, String> params;
    private final Set<String> usedParams = new HashSet<>();
    private final Set<Path> imported = new HashSet<>();
    /** The chain of files being imported right now, innermost first: a repeat is a cycle. */
    private final java.util.Deque<Path> importing = new java.util.ArrayDeque<>();

    private final Env globals = new Env(null);
    private final Desired desired = new Desired();
    private final Exprs exprs = new Exprs(this);
    private final Addressing addressing = new Addressing(this);
    private final Reports reports = new Reports(this, exprs);
    private final Declarations declarations = new Declarations(this);
    private final Ops ops;
    private final LifecycleOps lifecycle;
    private final ProbeOps probes;
    private final ShowOps shows;
    private final TraceCaptureOps traces;
    private final Results results;
    private final Map<String, String> sources = new java.util.HashMap<>();
    private int failedExpects;
    private final List<Diagnostic> problems = new ArrayList<>();
    private final Set<String> poisoned = new HashSet<>();

    /** Thrown by {@code return}; carries the value out of the function body. */
    private static final class Return extends RuntimeException {
        final Value value;

        Return(Value value) {
            super(null, null, false, false);
            this.value = value;
        }
    }

    /** An evaluator whose results go to {@code results}, a renderer that whoever runs it chose. */
    public Evaluator(boolean checkOnly, Map<String, String> params, Ops.Backend backend, Results results) {
        this.checkOnly = checkOnly;
        this.params = params;
        this.results = results;
        this.ops = new Ops(this, backend);
        this.lifecycle = new LifecycleOps(this, ops);
        this.probes = new ProbeOps(this, ops);
        this.shows = new ShowOps(this, ops);
        this.traces = new TraceCaptureOps(this, ops);
    }

    public void run(Program program, String source) {
        sources.put(program.file(), source);
        Path self = path(program.file());
        if (self != null) {
            imported.add(self);
            importing.push(self);
        }
        if (!checkOnly) {
            for (Stmt s : program.statements()) {
                exec(s, globals, null);
            }
            return;
        }
        // Checking goes on past a problem, statement by statement, so that one run reports them all;
        // a declaration that failed poisons its name, and what only follows from it is not repeated.
        for (Stmt s : program.statements()) {
            try {
                exec(s, globals, null);
            } catch (ScriptError e) {
                report(e);
                poison(s);
            }
        }
        new Resolver(desired).checkAll().forEach(this::report);
    }

    private void report(ScriptError e) {
        String m = e.diagnostic().message();
        if (poisoned.stream().noneMatch(n -> m.contains("'" + n + "'"))
                && problems.stream()
                        .noneMatch(p -> p.span().equals(e.diagnostic().span())
                                && p.message().equals(m))) {
            problems.add(e.diagnostic());
        }
    }

    private void poison(Stmt s) {
        switch (s) {
            case Stmt.RegionDecl d -> poisoned.add(d.name().name());
            case Stmt.VpcDecl d -> poisoned.add(d.name().name());
            case Stmt.HostDecl d -> poisoned.add(d.name().name());
            case Stmt.RouterDecl d -> poisoned.add(d.name().name());
            case Stmt.LetDecl d -> poisoned.add(d.name());
            case Stmt.ParamDecl d -> poisoned.add(d.name());
            case Stmt.FnDecl d -> poisoned.add(d.name());
            default -> {}
        }
    }

    // ---- a REPL session: one long-lived evaluator fed one entry at a time --------------------------

    private boolean replacing;

    /**
     * Session mode: a declaration whose name exists replaces the earlier one (a region, VPC, host or
     * router; a SID or policy on a router; a top-level {@code let}) instead of being an error.
     */
    public void replaceDeclarations() {
        replacing = true;
    }

    boolean replacing() {
        return replacing;
    }

    /** Switches the backend that operations use (the REPL's {@code :backend}); the old one is closed. */
    public void backend(Ops.Backend next) {
        ops.backend(next);
    }

    /** Runs one REPL entry's statements (no check pass: each statement is checked as it runs). */
    public void entry(Program program, String source) {
        sources.put(program.file(), source);
        for (Stmt s : program.statements()) {
            try {
                exec(s, globals, null);
            } catch (Return r) {
                throw new ScriptError(s.span(), "'return' belongs inside a function");
            }
        }
    }

    /**
     * Runs router items ({@link dev.srv6sh.grammar.parse.Parser#parseRouterItems}) as if they stood
     * in {@code router}'s block: the router shell's edits, checked as a script's are.
     */
    void routerItem(Stmt item, String file, String source, Desired.Router router) {
        sources.put(file, source);
        exec(item, globals, router);
    }

    /** The declarations and global bindings as they are now, to {@link #restore} after a failed entry. */
    public Object snapshot() {
        return new Object[] {desired.copy(), globals.snapshot()};
    }

    @SuppressWarnings("unchecked")
    public void restore(Object snapshot) {
        Object[] s = (Object[]) snapshot;
        desired.restore((Desired) s[0]);
        globals.restore((Map<String, Value>) s[1]);
    }

    /** Every global name (declared resources, lets, params, functions), for completion. */
    public List<String> globalNames() {
        return List.copyOf(globals.names());
    }

    /**
     * What may follow {@code name.}: a router's SIDs and policies, a record's fields, a map's keys.
     * Empty when {@code name} is unbound or has no members.
     */
    public List<String> members(String name) {
        Value v = globals.lookup(name);
        List<String> out = new ArrayList<>();
        switch (v) {
            case Value.Res r
            when r.kind().equals("router") && desired.routers.containsKey(r.name()) -> {
                out.addAll(desired.routers.get(r.name()).sids.keySet());
                out.addAll(desired.routers.get(r.name()).policies.keySet());
            }
            case Value.Rec r -> out.addAll(r.fields().keySet());
            case Value.MapV m -> out.addAll(m.entries().keySet());
            case null, default -> {}
        }
        return out;
    }

    /** What a check found, in the order of the script (empty after a run, which stops at the first). */
    public List<Diagnostic> problems() {
        return problems;
    }

    /** --param names that no {@code param} statement declared: a typo the user should hear about. */
    public List<String> unusedParams() {
        return params.keySet().stream()
                .filter(p -> !usedParams.contains(p))
                .sorted()
                .toList();
    }

    /** The routers the script declares, in order (after a {@link #run}, checking or not). */
    public List<String> routerNames() {
        return List.copyOf(desired.routers.keySet());
    }

    /**
     * Router {@code name}'s data plane configuration as {@code provider} deploys it: the script's
     * topology is applied there (nothing else the script does runs) and its SRv6 program bound to the
     * addresses the provider chose. Without {@code backendNeighbors}, the static neighbors the backend
     * gives (on local, the VPC's gateway and hosts) are left out and only the script's {@code neighbor}
     * lines stay: for a replay, which answers ARP and ND for every link itself. Failures are {@link
     * RuntimeFailure}s at the declaration involved.
     */
    public dev.srv6sh.dataplane.config.DataplaneConfig routerConfig(
            String name, dev.srv6sh.cloud.Provider provider, boolean backendNeighbors)
            throws dev.srv6sh.cloud.ProviderException {
        return lowerRouter(name, provider, backendNeighbors).config();
    }

    /** A router's configuration and the locator its SIDs were placed in (what its router shell places new ones in). */
    public record LoweredRouter(
            dev.srv6sh.dataplane.config.DataplaneConfig config, dev.srv6sh.dataplane.config.Prefix locator) {}

    /** {@link #routerConfig}, with the router's locator. */
    public LoweredRouter lowerRouter(String name, dev.srv6sh.cloud.Provider provider, boolean backendNeighbors)
            throws dev.srv6sh.cloud.ProviderException {
        new Resolver(desired).check();
        dev.srv6sh.cloud.Deployment dep = provider.apply(provider.plan(Lowering.cloud(desired)));
        return new LoweredRouter(
                new Binder(desired, dep).config(desired.routers.get(name), backendNeighbors),
                dep.router(name).locator());
    }

    /**
     * The script's topology as a provider reconciles it (after a {@link #run}, checking or not).
     * Failures are {@link ScriptError}s at the declaration involved.
     */
    public dev.srv6sh.cloud.CloudSpec cloudSpec() {
        new Resolver(desired).check();
        return Lowering.cloud(desired);
    }

    /**
     * Carries {@code plan} out on {@code provider} and programs every router with the script's SRv6
     * program, bound to the addresses the provider chose: what {@code apply} does in a script.
     */
    public dev.srv6sh.cloud.Deployment deploy(dev.srv6sh.cloud.Provider provider, dev.srv6sh.cloud.Plan plan)
            throws dev.srv6sh.cloud.ProviderException {
        long start = System.nanoTime();
        progress.event(new dev.srv6sh.interpreter.Progress.Event(
                dev.srv6sh.interpreter.Progress.Kind.STARTED, "apply", 0, java.time.Duration.ZERO, null, null));
        dev.srv6sh.cloud.Deployment dep = provider.apply(plan);
        Binder binder = new Binder(desired, dep);
        int n = desired.routers.size();
        int done = 0;
        for (Desired.Router r : desired.routers.values()) {
            // half for the resources, half for programming the routers one by one
            progress.event(new dev.srv6sh.interpreter.Progress.Event(
                    dev.srv6sh.interpreter.Progress.Kind.PROGRESS,
                    "apply: programming router " + r.name,
                    0.5 + 0.5 * done / Math.max(1, n),
                    java.time.Duration.ofNanos(System.nanoTime() - start),
                    null,
                    null));
            dep.router(r.name).configure(binder.config(r));
            done++;
        }
        dep.programmed();
        progress.event(new dev.srv6sh.interpreter.Progress.Event(
                dev.srv6sh.interpreter.Progress.Kind.FINISHED,
                "apply",
                1,
                java.time.Duration.ofNanos(System.nanoTime() - start),
                null,
                plan.count(dev.srv6sh.cloud.Plan.Action.CREATE) + " added, "
                        + (plan.count(dev.srv6sh.cloud.Plan.Action.UPDATE)
                                + plan.count(dev.srv6sh.cloud.Plan.Action.REPLACE))
                        + " changed, " + plan.count(dev.srv6sh.cloud.Plan.Action.DELETE) + " destroyed, " + n
                        + " router(s) programmed on " + provider.name()));
        ops.shells().sync(desired, dep, results); // after the progress bar is gone: a line for each new shell
        return dep;
    }

    /** Ends what the operations started (the local backend's emulation). */
    public void close() {
        ops.close();
    }

    public int failedExpects() {
        return failedExpects;
    }

    public boolean checkOnly() {
        return checkOnly;
    }

    Env globals() {
        return globals;
    }

    Desired desired() {
        return desired;
    }

    Exprs exprs() {
        return exprs;
    }

    Ops ops() {
        return ops;
    }

    LifecycleOps lifecycle() {
        return lifecycle;
    }

    ProbeOps probes() {
        return probes;
    }

    Addressing addressing() {
        return addressing;
    }

    /** Where results go. */
    Results results() {
        return results;
    }

    private java.nio.file.Path outputDir = java.nio.file.Path.of("");
    private dev.srv6sh.interpreter.Progress progress = dev.srv6sh.interpreter.Progress.NONE;

    /** Where progress events of long operations go. */
    public void progress(dev.srv6sh.interpreter.Progress p) {
        progress = p == null ? dev.srv6sh.interpreter.Progress.NONE : p;
    }

    dev.srv6sh.interpreter.Progress progress() {
        return progress;
    }

    /** Where relative file names of save and chart are written. */
    public void outputDir(java.nio.file.Path dir) {
        outputDir = dir;
    }

    java.nio.file.Path outputDir() {
        return outputDir;
    }

    /** The text of a node as written, for expect messages. */
    String sourceOf(Span span) {
        String src = sources.get(span.file());
        if (src == null || span.start() < 0 || span.end() > src.length() || span.start() >= span.end()) {
            return "";
        }
        return src.substring(span.start(), span.end());
    }

    void exec(Stmt s, Env env, Desired.Router router) {
        switch (s) {
            case Stmt.RegionDecl d -> declarations.region(d, env);
            case Stmt.RttDecl d -> declarations.rtt(d, env);
            case Stmt.VpcDecl d -> declarations.vpc(d, env);
            case Stmt.HostDecl d -> declarations.host(d, env);
            case Stmt.RouterDecl d -> declarations.router(d, env);
            case Stmt.Locator d -> declarations.locator(d, env, need(router, d.span(), "locator"));
            case Stmt.RouterProperty d ->
                declarations.property(
                        d, env, need(router, d.span(), d.property().key()));
            case Stmt.InterfaceDecl d -> declarations.iface(d, env, need(router, d.span(), "interface"));
            case Stmt.RouteDecl d -> declarations.route(d, env, need(router, d.span(), "route"));
            case Stmt.NeighborDecl d -> declarations.neighbor(d, env, need(router, d.span(), "neighbor"));
            case Stmt.SrDomainDecl d -> declarations.srDomain(d, env, need(router, d.span(), "sr-domain"));
            case Stmt.SidDecl d -> declarations.sid(d, env, router);
            case Stmt.PolicyDecl d -> declarations.policy(d, env, router);
            case Stmt.SteerDecl d -> declarations.steer(d, env, router);
            case Stmt.ParamDecl d -> param(d, env);
            case Stmt.LetDecl d -> {
                if (env.definedHere(d.name()) && !(replacing && env == globals)) {
                    throw new ScriptError(
                            d.span(),
                            "'" + d.name() + "' is already bound in this scope; rebind it with '" + d.name()
                                    + " = ...'");
                }
                env.define(d.name(), exprs.eval(d.value(), env, false));
            }
            case Stmt.Assign d -> {
                Value v = exprs.eval(d.value(), env, false);
                if (!env.assign(d.name(), v)) {
                    throw new ScriptError(
                            d.span(),
                            "'" + d.name() + "' is not bound; declare it with 'let " + d.name() + " = ...'",
                            Names.suggest(d.name(), env.names()));
                }
            }
            case Stmt.ForStmt f -> loop(f, env, router);
            case Stmt.IfStmt i -> {
                Value c = exprs.eval(i.condition(), env, false);
                if (c instanceof Value.Unknown) {
                    block(i.then(), new Env(env), router);
                    block(i.otherwise(), new Env(env), router);
                } else if (!(c instanceof Value.Bool b)) {
                    throw new ScriptError(i.condition().span(), "'if' needs a boolean, not " + c.describe());
                } else {
                    block(b.value() ? i.then() : i.otherwise(), new Env(env), router);
                }
            }
            case Stmt.FnDecl f -> env.define(f.name(), new Value.Fn(f, env));
            case Stmt.ReturnStmt r -> {
                if (callDepth == 0) { // a script's top level, or a block in it: nothing to return from
                    throw new ScriptError(r.span(), "'return' belongs inside a function");
                }
                throw new Return(r.value() == null ? Value.NIL : exprs.eval(r.value(), env, false));
            }
            case Stmt.ImportStmt i -> importFile(i);
            case Stmt.PlanStmt p -> lifecycle.plan(p);
            case Stmt.ApplyStmt a -> lifecycle.apply(a);
            case Stmt.DestroyStmt d -> lifecycle.destroy(d);
            case Stmt.ShowStmt sh -> shows.show(sh, env);
            case Stmt.TraceStmt t -> traces.trace(t, env);
            case Stmt.CaptureStmt c -> traces.capture(c, env);
            case Stmt.SaveStmt sv -> reports.save(sv, env);
            case Stmt.ChartStmt ch -> reports.chart(ch, env);
            case Stmt.ExpectStmt e -> expect(e, env);
            case Stmt.PrintStmt p -> {
                Value v = exprs.eval(p.value(), env, false);
                if (!checkOnly) {
                    results.accept(new Result.Printed(v));
                }
            }
            case Stmt.ExprStmt e -> {
                Value v = exprs.eval(e.expr(), env, false);
                // A script prints a bare result record (ping, measure); a REPL entry any value.
                if (!checkOnly && (v instanceof Value.Rec || replacing && !(v instanceof Value.Nil))) {
                    results.accept(new Result.Echoed(v));
                }
            }
        }
    }

    private static Desired.Router need(Desired.Router router, Span span, String what) {
        if (router == null) {
            throw new ScriptError(span, "'" + what + "' belongs inside a router block");
        }
        return router;
    }

    private void block(List<Stmt> body, Env env, Desired.Router router) {
        for (Stmt s : body) {
            exec(s, env, router);
        }
    }

    private void loop(Stmt.ForStmt f, Env env, Desired.Router router) {
        Value it = exprs.eval(f.iterable(), env, false);
        List<Value> items =
                switch (it) {
                    case Value.ListV l -> l.items();
                    case Value.MapV m ->
                        m.entries().keySet().stream()
                                .map(k -> (Value) new Value.Str(k))
                                .toList();
                    case Value.Unknown u -> List.of(u);
                    default ->
                        throw new ScriptError(
                                f.iterable().span(), "'for' goes over a list or a map, not " + it.describe());
                };
        for (int i = 0; i < items.size(); i++) {
            Env scope = new Env(env);
            scope.define(f.var(), items.get(i));
            if (f.indexVar() != null) {
                scope.define(f.indexVar(), new Value.Num(i));
            }
            block(f.body(), scope, router);
        }
    }

    /**
     * How deeply calls of the script's functions may nest: far beyond what a network script needs,
     * and well inside the JVM's stack, so that a function calling itself without end is an error at
     * the call rather than a StackOverflowError.
     */
    static final int MAX_CALL_DEPTH = 200;

    private int callDepth;

    Value invoke(Value.Fn fn, List<Value> args, Span span) {
        Stmt.FnDecl d = fn.decl();
        if (args.size() != d.params().size()) {
            throw new ScriptError(span, d.name() + " takes " + d.params().size() + " argument(s), not " + args.size());
        }
        if (callDepth >= MAX_CALL_DEPTH) {
            throw new RuntimeFailure(
                    span,
                    "calls of " + d.name() + " nest deeper than " + MAX_CALL_DEPTH
                            + " (a function that calls itself without end?)");
        }
        Env scope = new Env(fn.closure());
        for (int i = 0; i < args.size(); i++) {
            scope.define(d.params().get(i), args.get(i));
        }
        callDepth++;
        try {
            block(d.body(), scope, null);
        } catch (Return r) {
            return r.value;
        } finally {
            callDepth--;
        }
        return Value.NIL;
    }

    private void param(Stmt.ParamDecl d, Env env) {
        String override = params.get(d.name());
        Value v;
        if (override != null) {
            usedParams.add(d.name());
            v = parseParam(d.name(), override, d.span());
        } else {
            v = exprs.eval(d.value(), env, false);
        }
        env.define(d.name(), v);
    }

    /** A --param value is an srv6sh expression ({@code 2s}, {@code 10.0.0.0/8}); anything else is a string. */
    private Value parseParam(String name, String text, Span span) {
        var parsed = Parser.parse("--param " + name, "let __param = " + text + "\n");
        if (parsed.ok()
                && parsed.program().statements().size() == 1
                && parsed.program().statements().getFirst() instanceof Stmt.LetDecl let
                && !(let.value() instanceof Expr.Ident)) {
            try {
                return exprs.eval(let.value(), globals, false);
            } catch (ScriptError e) {
                throw new ScriptError(span, "--param " + name + "=" + text + ": " + e.getMessage());
            }
        }
        return new Value.Str(text);
    }

    private void expect(Stmt.ExpectStmt e, Env env) {
        Value left = null;
        Value right = null;
        Value result;
        if (e.condition() instanceof Expr.Binary b && b.op().matches("==|!=|<|<=|>|>=")) {
            left = exprs.eval(b.left(), env, false);
            right = exprs.eval(b.right(), env, false);
            result = Operators.binary(b, left, right, addressing);
        } else {
            result = exprs.eval(e.condition(), env, false);
        }
        if (result instanceof Value.Unknown) {
            return;
        }
        if (!(result instanceof Value.Bool ok)) {
            throw new ScriptError(e.condition().span(), "'expect' needs a condition, not " + result.describe());
        }
        if (ok.value()) {
            return;
        }
        failedExpects++;
        Span at = e.span();
        Value message = e.message() == null ? null : exprs.eval(e.message(), env, false);
        results.accept(new Result.ExpectFailed(
                at.file(), at.line(), at.column(), sourceOf(e.condition().span()), left, right, message));
    }

    /** A script's path, or null when its name is not one (a REPL snippet, a fuzzer's bytes). */
    private static Path path(String file) {
        try {
            return file == null ? null : Path.of(file).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    private void importFile(Stmt.ImportStmt i) {
        Path from = path(i.span().file());
        Path target;
        try {
            target = (from == null ? Path.of("").toAbsolutePath() : from.getParent())
                    .resolve(i.path())
                    .normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new ScriptError(i.span(), "'" + i.path() + "' is not a file path");
        }
        if (importing.contains(target)) {
            List<String> cycle = new ArrayList<>();
            importing
                    .descendingIterator()
                    .forEachRemaining(p -> cycle.add(p.getFileName().toString()));
            cycle.add(target.getFileName().toString());
            throw new ScriptError(
                    i.span(),
                    "import cycle: "
                            + String.join(
                                    " -> ",
                                    cycle.subList(
                                            cycle.indexOf(target.getFileName().toString()), cycle.size())));
        }
        if (!imported.add(target)) {
            return; // each file once
        }
        String text;
        try {
            text = Files.readString(target);
        } catch (IOException e) {
            throw new ScriptError(i.span(), "cannot read '" + i.path() + "' (" + target + ")");
        }
        var parsed = Parser.parse(target.toString(), text);
        if (!parsed.ok()) {
            List<Diagnostic> ds = new ArrayList<>(parsed.diagnostics());
            throw new ScriptError(
                    ds.getFirst().span(),
                    ds.getFirst().message(),
                    ds.getFirst().notes().toArray(String[]::new));
        }
        sources.put(target.toString(), text);
        importing.push(target);
        try {
            for (Stmt s : parsed.program().statements()) {
                exec(s, globals, null);
            }
        } finally {
            importing.pop();
        }
    }

    /** The name a declaration gives: {@code pc}, or {@code gw[paris]} for an indexed family member. */
    String declName(DeclName n, Env env) {
        if (!n.indexed()) {
            return n.name();
        }
        return memberName(n.name(), exprs.eval(n.index(), env, false));
    }

    static String memberName(String base, Value index) {
        return base + "[" + Render.text(index) + "]";
    }
}
