package dev.srv6sh.interpreter.eval;

import dev.srv6sh.grammar.ast.Expr;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.diag.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Built-in functions: subnet, len, keys, range, str, min, max, mean, ci95, supports; then user
 * functions.
 */
final class Builtins {
    static final Set<String> NAMES =
            Set.of("subnet", "len", "keys", "range", "str", "min", "max", "mean", "ci95", "supports");

    private Builtins() {}

    static Value call(Evaluator ev, Expr.Call c, Env env) {
        List<Value> args = new ArrayList<>();
        for (Expr a : c.args()) {
            args.add(ev.exprs().eval(a, env, false));
        }
        if (!(c.callee() instanceof Expr.Ident id) || env.lookup(id.name()) != null) {
            Value f = ev.exprs().eval(c.callee(), env, false);
            if (f instanceof Value.Fn fn) {
                return ev.invoke(fn, args, c.span());
            }
            throw new ScriptError(c.callee().span(), Render.text(f) + " is " + f.describe() + ", not a function");
        }
        String name = id.name();
        if (name.equals("supports")) {
            return supports(ev, c, args);
        }
        if (args.stream().anyMatch(a -> a instanceof Value.Unknown)) {
            return new Value.Unknown(name + "()");
        }
        return switch (name) {
            case "subnet" -> {
                arity(c, 3);
                if (!(args.get(0) instanceof Value.Pfx p)) {
                    throw new ScriptError(
                            c.args().get(0).span(),
                            "subnet() takes a prefix first, not " + args.get(0).describe());
                }
                int newbits = whole(c.args().get(1).span(), args.get(1));
                int index = whole(c.args().get(2).span(), args.get(2));
                try {
                    yield new Value.Pfx(p.prefix().subnet(newbits, index));
                } catch (IllegalArgumentException x) {
                    throw new RuntimeFailure(c.span(), x.getMessage());
                }
            }
            case "len" -> {
                arity(c, 1);
                yield new Value.Num(
                        switch (args.get(0)) {
                            case Value.ListV l -> l.items().size();
                            case Value.MapV m -> m.entries().size();
                            case Value.Str s -> s.value().length();
                            default -> throw new ScriptError(c.span(), "len() takes a list, a map or a string");
                        });
            }
            case "keys" -> {
                arity(c, 1);
                if (args.get(0) instanceof Value.MapV m) {
                    yield new Value.ListV(m.entries().keySet().stream()
                            .map(k -> (Value) new Value.Str(k))
                            .toList());
                }
                throw new ScriptError(
                        c.span(), "keys() takes a map, not " + args.get(0).describe());
            }
            case "range" -> {
                arity(c, 1);
                int n = whole(c.args().get(0).span(), args.get(0));
                List<Value> xs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    xs.add(new Value.Num(i));
                }
                yield new Value.ListV(xs);
            }
            case "str" -> {
                arity(c, 1);
                yield new Value.Str(Render.text(args.get(0)));
            }
            case "min", "max", "mean", "ci95" -> aggregate(c, name, args);
            default -> throw new ScriptError(id.span(), "unknown function '" + name + "'", Names.suggest(name, NAMES));
        };
    }

    private static Value aggregate(Expr.Call c, String name, List<Value> args) {
        List<Value> xs = args.size() == 1 && args.get(0) instanceof Value.ListV l ? l.items() : args;
        if (xs.isEmpty()) {
            throw new RuntimeFailure(c.span(), name + "() of an empty list");
        }
        Dim dim = null;
        double[] v = new double[xs.size()];
        for (int i = 0; i < v.length; i++) {
            switch (xs.get(i)) {
                case Value.Num n -> v[i] = n.value();
                case Value.Qty q -> {
                    if (dim != null && dim != q.dim()) {
                        throw new ScriptError(c.span(), name + "() of mixed dimensions");
                    }
                    dim = q.dim();
                    v[i] = q.value();
                }
                default ->
                    throw new ScriptError(
                            c.span(),
                            name + "() takes numbers or quantities, not "
                                    + xs.get(i).describe());
            }
        }
        double r =
                switch (name) {
                    case "min" -> java.util.Arrays.stream(v).min().orElseThrow();
                    case "max" -> java.util.Arrays.stream(v).max().orElseThrow();
                    case "mean" -> Stats.mean(v);
                    default -> Stats.ci95(v);
                };
        return dim == null ? new Value.Num(r) : new Value.Qty(r, dim);
    }

    /**
     * {@code supports("tcp")}: whether the backend the script runs on has a feature ({@link
     * dev.srv6sh.cloud.Provider#FEATURES}), so that one script measures what each backend can. The
     * name is checked always; while checking, the answer is unknown and both branches of an {@code if}
     * are checked. Asking starts the backend, as an {@code apply} would.
     */
    private static Value supports(Evaluator ev, Expr.Call c, List<Value> args) {
        arity(c, 1);
        if (args.get(0) instanceof Value.Unknown) {
            return new Value.Unknown("supports()");
        }
        if (!(args.get(0) instanceof Value.Str s)) {
            throw new ScriptError(
                    c.args().get(0).span(),
                    "supports() takes a feature's name, a string, not "
                            + args.get(0).describe());
        }
        var features = dev.srv6sh.cloud.Provider.FEATURES;
        if (!features.containsKey(s.value())) {
            throw new ScriptError(
                    c.args().get(0).span(),
                    "supports(): no feature '" + s.value() + "'"
                            + String.join(
                                    "",
                                    java.util.Arrays.stream(Names.suggest(s.value(), features.keySet()))
                                            .map(n -> " (" + n + ")")
                                            .toList())
                            + "; the features are: "
                            + String.join(", ", new java.util.TreeSet<>(features.keySet())));
        }
        if (ev.checkOnly()) {
            return new Value.Unknown("supports()");
        }
        return new Value.Bool(ev.ops().provider(c.span()).supports(s.value()));
    }

    private static void arity(Expr.Call c, int n) {
        if (c.args().size() != n) {
            throw new ScriptError(
                    c.span(),
                    "this function takes " + n + " argument" + (n == 1 ? "" : "s") + ", not "
                            + c.args().size());
        }
    }

    static int whole(Span span, Value v) {
        return Exprs.intIndex(span, v);
    }
}
