package dev.srv6sh.interpreter.eval;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.grammar.ast.Expr;
import dev.srv6sh.grammar.ast.MapEntry;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.diag.Names;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Expression evaluation: literals, names, members, operators, built-ins; operations go to {@link Ops}. */
final class Exprs {
    private final Evaluator ev;

    Exprs(Evaluator ev) {
        this.ev = ev;
    }

    /**
     * Evaluates {@code e}. With {@code ahead}, a name not declared yet becomes a {@link Value.Forward}
     * checked later (declarations may refer to resources declared further down).
     */
    Value eval(Expr e, Env env, boolean ahead) {
        return switch (e) {
            case Expr.Ident id -> name(id, env, ahead);
            case Expr.NumberLit n -> new Value.Num(n.value());
            case Expr.QuantityLit q -> quantity(q);
            case Expr.StringLit s -> {
                StringBuilder sb = new StringBuilder();
                for (Expr part : s.parts()) {
                    sb.append(part instanceof Expr.Text t ? t.value() : Render.text(eval(part, env, false)));
                }
                yield new Value.Str(sb.toString());
            }
            case Expr.Text t -> new Value.Str(t.value());
            case Expr.Interpolation i -> new Value.Str(Render.text(eval(i.expr(), env, false)));
            case Expr.BoolLit b -> new Value.Bool(b.value());
            case Expr.AddressLit a -> new Value.Addr(literal(a.text(), a.span()));
            case Expr.PrefixLit p -> {
                try {
                    yield new Value.Pfx(Prefix.parse(p.text()));
                } catch (IllegalArgumentException x) {
                    throw new ScriptError(p.span(), x.getMessage());
                }
            }
            case Expr.MacLit m -> {
                try {
                    yield new Value.Mac(MacAddress.parse(m.text()));
                } catch (IllegalArgumentException x) {
                    throw new ScriptError(m.span(), x.getMessage());
                }
            }
            case Expr.ListLit l -> {
                List<Value> items = new ArrayList<>();
                for (Expr x : l.elements()) {
                    items.add(eval(x, env, ahead));
                }
                yield new Value.ListV(items);
            }
            case Expr.MapLit m -> {
                LinkedHashMap<String, Value> entries = new LinkedHashMap<>();
                for (MapEntry me : m.entries()) {
                    if (entries.put(me.key(), eval(me.value(), env, ahead)) != null) {
                        throw new ScriptError(me.span(), "key '" + me.key() + "' appears twice in this map");
                    }
                }
                yield new Value.MapV(entries);
            }
            case Expr.Member m -> member(m, eval(m.target(), env, ahead));
            case Expr.Index i -> index(i, eval(i.target(), env, ahead), eval(i.index(), env, false));
            case Expr.Slice s -> slice(s, env);
            case Expr.Call c -> Builtins.call(ev, c, env);
            case Expr.Unary u -> unary(u, eval(u.operand(), env, false));
            case Expr.Binary b ->
                Operators.binary(b, eval(b.left(), env, false), eval(b.right(), env, false), ev.addressing());
            case Expr.Ping p -> ev.probes().ping(p, env);
            case Expr.Measure m -> ev.probes().measure(m, env);
        };
    }

    private Value name(Expr.Ident id, Env env, boolean ahead) {
        Value v = env.lookup(id.name());
        if (v != null) {
            return v;
        }
        if (ahead) {
            return new Value.Forward(id.name(), id.span());
        }
        throw new ScriptError(id.span(), "unknown name '" + id.name() + "'", Names.suggest(id.name(), env.names()));
    }

    private static Value quantity(Expr.QuantityLit q) {
        Dim.Unit u = Dim.unit(q.unit());
        if (u == null) {
            throw new ScriptError(
                    q.span(), "unknown unit '" + q.unit() + "'", Names.suggest(q.unit(), Dim.unitNames()));
        }
        return new Value.Qty(q.value() * u.factor(), u.dim());
    }

    static InetAddress literal(String text, Span span) {
        try {
            return Addresses.parse(text);
        } catch (IllegalArgumentException x) {
            throw new ScriptError(span, x.getMessage());
        }
    }

    private Value member(Expr.Member m, Value target) {
        return switch (target) {
            case Value.Rec r -> {
                Value f = r.fields().get(m.name());
                if (f == null) {
                    throw new ScriptError(
                            m.span(),
                            r.type() + " has no field '" + m.name() + "'",
                            Names.suggest(m.name(), r.fields().keySet()));
                }
                yield f;
            }
            case Value.Unknown u -> new Value.Unknown(u.type() + "." + m.name());
            case Value.Res r when r.kind().equals("router") -> new Value.SidRef(r.name(), m.name(), m.span());
            case Value.Forward f -> new Value.SidRef(f.name(), m.name(), f.span());
            case Value.MapV map -> {
                Value f = map.entries().get(m.name());
                if (f == null) {
                    throw new ScriptError(
                            m.span(),
                            "the map has no key '" + m.name() + "'",
                            Names.suggest(m.name(), map.entries().keySet()));
                }
                yield f;
            }
            default ->
                throw new ScriptError(
                        m.span(),
                        Render.text(target) + " is " + target.describe() + ", which has no member '" + m.name() + "'");
        };
    }

    private Value index(Expr.Index i, Value target, Value index) {
        return switch (target) {
            case Value.Family f -> {
                String member = Evaluator.memberName(f.base(), index);
                Value v = ev.globals().lookup(member);
                yield v != null ? v : new Value.Forward(member, i.span());
            }
            case Value.Forward f -> new Value.Forward(Evaluator.memberName(f.name(), index), i.span());
            case Value.ListV l -> {
                int k = intIndex(i.index().span(), index);
                int n = l.items().size();
                int at = k < 0 ? n + k : k;
                if (at < 0 || at >= n) {
                    throw new RuntimeFailure(i.span(), "index " + k + " is out of range for a list of " + n);
                }
                yield l.items().get(at);
            }
            case Value.MapV m -> {
                Value v = m.entries().get(Render.text(index));
                if (v == null) {
                    throw new RuntimeFailure(i.span(), "the map has no key " + Render.literal(index));
                }
                yield v;
            }
            case Value.Unknown u -> new Value.Unknown(u.type());
            default -> throw new ScriptError(i.span(), "cannot index " + target.describe());
        };
    }

    private Value slice(Expr.Slice s, Env env) {
        Value target = eval(s.target(), env, false);
        if (target instanceof Value.Unknown u) {
            return u;
        }
        if (!(target instanceof Value.ListV l)) {
            throw new ScriptError(s.span(), "only lists can be sliced, not " + target.describe());
        }
        int n = l.items().size();
        int from = s.from() == null ? 0 : intIndex(s.from().span(), eval(s.from(), env, false));
        int to = s.to() == null ? n : intIndex(s.to().span(), eval(s.to(), env, false));
        from = Math.max(0, Math.min(n, from < 0 ? n + from : from));
        to = Math.max(from, Math.min(n, to < 0 ? n + to : to));
        return new Value.ListV(List.copyOf(l.items().subList(from, to)));
    }

    static int intIndex(Span span, Value v) {
        if (v instanceof Value.Num n && n.value() == Math.rint(n.value())) {
            return (int) n.value();
        }
        throw new ScriptError(span, "an index must be a whole number, not " + v.describe());
    }

    private static Value unary(Expr.Unary u, Value v) {
        return switch (u.op()) {
            case "-" ->
                switch (v) {
                    case Value.Num n -> new Value.Num(-n.value());
                    case Value.Qty q -> new Value.Qty(-q.value(), q.dim());
                    default -> throw new ScriptError(u.span(), "cannot negate " + v.describe());
                };
            case "not" -> {
                if (v instanceof Value.Bool b) {
                    yield new Value.Bool(!b.value());
                }
                throw new ScriptError(u.span(), "'not' needs a boolean, not " + v.describe());
            }
            default -> throw new ScriptError(u.span(), "unknown operator '" + u.op() + "'");
        };
    }

    /** {@code prefix + n}: the n-th address of the prefix. */
    static Value.Addr nth(Prefix p, double n, Span span) {
        try {
            return new Value.Addr(p.host(BigInteger.valueOf((long) n)));
        } catch (IllegalArgumentException x) {
            throw new RuntimeFailure(span, x.getMessage());
        }
    }

    static boolean isV4(Value v) {
        return v instanceof Value.Addr a && a.address() instanceof Inet4Address;
    }
}
