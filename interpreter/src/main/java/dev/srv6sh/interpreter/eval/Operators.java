package dev.srv6sh.interpreter.eval;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.grammar.ast.Expr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Binary operators with dimension checking: {@code 10ms + 5Gbps} is an error, not a number. */
final class Operators {
    private Operators() {}

    /** {@code l op r}; {@code at} gives what a resource stands for as an address or prefix ({@code in}). */
    static Value binary(Expr.Binary b, Value l, Value r, Addressing at) {
        if (b.op().equals("in")) {
            return in(b, l, r, at);
        }
        if (l instanceof Value.Unknown || r instanceof Value.Unknown) {
            return new Value.Unknown(b.op().matches("==|!=|<|<=|>|>=|and|or|in") ? "bool" : "value");
        }
        return switch (b.op()) {
            case "and", "or" -> {
                if (l instanceof Value.Bool x && r instanceof Value.Bool y) {
                    yield new Value.Bool(b.op().equals("and") ? x.value() && y.value() : x.value() || y.value());
                }
                throw mismatch(b, l, r, "booleans");
            }
            case "==" -> new Value.Bool(same(l, r));
            case "!=" -> new Value.Bool(!same(l, r));
            case "<", "<=", ">", ">=" -> {
                int c = compare(b, l, r);
                yield new Value.Bool(
                        switch (b.op()) {
                            case "<" -> c < 0;
                            case "<=" -> c <= 0;
                            case ">" -> c > 0;
                            default -> c >= 0;
                        });
            }
            case "+", "-", "*", "/" -> arithmetic(b, l, r);
            case "|" -> {
                if (l instanceof Value.Pfx p && r instanceof Value.Addr a) {
                    yield new Value.Addr(or(p.prefix().network().address(), a.address()));
                }
                if (l instanceof Value.Addr x && r instanceof Value.Addr y) {
                    yield new Value.Addr(or(x.address(), y.address()));
                }
                throw mismatch(b, l, r, "a prefix and an address of the same family");
            }
            default -> throw new ScriptError(b.span(), "unknown operator '" + b.op() + "'");
        };
    }

    /**
     * Membership in a list or a map's keys; otherwise an address in a prefix, or a prefix within one.
     * A host, VPC, router or SID reference on either side stands for its address or prefix.
     */
    private static Value in(Expr.Binary b, Value l, Value r, Addressing at) {
        String takes = "a list, a map, or a prefix, VPC, router, host or SID on the right,"
                + " with an address or prefix (or a host, VPC, router or SID) on the left";
        if (r instanceof Value.ListV || r instanceof Value.MapV || r instanceof Value.Unknown) {
            if (l instanceof Value.Unknown || r instanceof Value.Unknown) {
                return new Value.Unknown("bool");
            }
            return r instanceof Value.ListV list
                    ? new Value.Bool(list.items().stream().anyMatch(x -> same(l, x)))
                    : new Value.Bool(((Value.MapV) r).entries().containsKey(Render.text(l)));
        }
        Value a = at.address(l, b.left().span());
        Value p = at.prefix(r, b.right().span(), a);
        boolean addressLike = a instanceof Value.Addr || a instanceof Value.Pfx || a instanceof Value.Unknown;
        if (!addressLike || !(p instanceof Value.Pfx || p instanceof Value.Unknown)) {
            throw mismatch(b, l, r, takes);
        }
        if (a instanceof Value.Unknown || p instanceof Value.Unknown) {
            return new Value.Unknown("bool");
        }
        Prefix outer = ((Value.Pfx) p).prefix();
        if (a instanceof Value.Addr x) {
            return new Value.Bool(outer.contains(x.address()));
        }
        Prefix inner = ((Value.Pfx) a).prefix();
        return new Value.Bool(inner.isIpv6() == outer.isIpv6()
                && inner.length() >= outer.length()
                && outer.contains(inner.network().address()));
    }

    private static Value arithmetic(Expr.Binary b, Value l, Value r) {
        String op = b.op();
        if (l instanceof Value.Num x && r instanceof Value.Num y) {
            return new Value.Num(apply(op, x.value(), y.value(), b));
        }
        if (l instanceof Value.Qty x && r instanceof Value.Qty y && (op.equals("+") || op.equals("-"))) {
            if (x.dim() != y.dim()) {
                throw new ScriptError(
                        b.span(),
                        "cannot " + (op.equals("+") ? "add " : "subtract ")
                                + y.dim().article() + (op.equals("+") ? " to " : " from ")
                                + x.dim().article());
            }
            return new Value.Qty(apply(op, x.value(), y.value(), b), x.dim());
        }
        if (l instanceof Value.Qty x && r instanceof Value.Qty y && op.equals("/") && x.dim() == y.dim()) {
            return new Value.Num(apply(op, x.value(), y.value(), b));
        }
        if (l instanceof Value.Qty x && r instanceof Value.Num y && (op.equals("*") || op.equals("/"))) {
            return new Value.Qty(apply(op, x.value(), y.value(), b), x.dim());
        }
        if (l instanceof Value.Num x && r instanceof Value.Qty y && op.equals("*")) {
            return new Value.Qty(x.value() * y.value(), y.dim());
        }
        if (op.equals("+") && l instanceof Value.ListV x && r instanceof Value.ListV y) {
            List<Value> all = new ArrayList<>(x.items());
            all.addAll(y.items());
            return new Value.ListV(all);
        }
        if (op.equals("+") && l instanceof Value.MapV x && r instanceof Value.MapV y) {
            // Terraform's merge(): the left's keys in their order, then the right's new ones; the right wins
            java.util.LinkedHashMap<String, Value> all = new java.util.LinkedHashMap<>(x.entries());
            all.putAll(y.entries());
            return new Value.MapV(all);
        }
        if (op.equals("+") && l instanceof Value.Str x) {
            return new Value.Str(x.value() + Render.text(r));
        }
        if (op.equals("+") && l instanceof Value.Pfx p && r instanceof Value.Num n) {
            return Exprs.nth(p.prefix(), n.value(), b.span());
        }
        throw mismatch(
                b,
                l,
                r,
                op.equals("+")
                        ? "numbers or quantities of the same dimension, two lists, two maps, a string first,"
                                + " or a prefix and a number"
                        : "numbers or quantities of the same dimension");
    }

    private static double apply(String op, double x, double y, Expr.Binary b) {
        return switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            default -> {
                if (y == 0) {
                    throw new RuntimeFailure(b.span(), "division by zero");
                }
                yield x / y;
            }
        };
    }

    static int compare(Expr.Binary b, Value l, Value r) {
        if (l instanceof Value.Num x && r instanceof Value.Num y) {
            return Double.compare(x.value(), y.value());
        }
        if (l instanceof Value.Qty x && r instanceof Value.Qty y && x.dim() == y.dim()) {
            return Double.compare(x.value(), y.value());
        }
        if (l instanceof Value.Str x && r instanceof Value.Str y) {
            return x.value().compareTo(y.value());
        }
        if (l instanceof Value.Qty x && r instanceof Value.Qty y) {
            throw new ScriptError(
                    b.span(),
                    "cannot compare " + x.dim().article() + " with " + y.dim().article());
        }
        throw mismatch(b, l, r, "numbers, quantities of the same dimension, or strings");
    }

    static boolean same(Value l, Value r) {
        if (l instanceof Value.Num x && r instanceof Value.Num y) {
            return x.value() == y.value();
        }
        if (l instanceof Value.Qty x && r instanceof Value.Qty y) {
            return x.dim() == y.dim() && Math.abs(x.value() - y.value()) <= 1e-12 * Math.max(1, Math.abs(x.value()));
        }
        return l.equals(r);
    }

    private static InetAddress or(InetAddress a, InetAddress b) {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        if (x.length != y.length) {
            throw new IllegalArgumentException("address families differ");
        }
        for (int i = 0; i < x.length; i++) {
            x[i] |= y[i];
        }
        return x.length == 4
                ? Addresses.v4(((x[0] & 0xff) << 24) | ((x[1] & 0xff) << 16) | ((x[2] & 0xff) << 8) | (x[3] & 0xff))
                : Addresses.v6(x);
    }

    private static ScriptError mismatch(Expr.Binary b, Value l, Value r, String expected) {
        return new ScriptError(
                b.span(),
                "'" + b.op() + "' cannot combine " + l.describe() + " and " + r.describe() + "; it takes " + expected);
    }
}
