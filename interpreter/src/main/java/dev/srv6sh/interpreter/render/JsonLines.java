package dev.srv6sh.interpreter.render;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.interpreter.eval.Value;
import dev.srv6sh.interpreter.report.Json;
import java.util.List;
import java.util.Map;

/**
 * {@code srv6sh run --output json}: one JSON object per line per operation result, documented in
 * docs/output.md. A quantity is {@code {"value": 0.0096, "unit": "s"}} in its base SI unit (s, bps,
 * pps, B, %), at full double precision; a record is an object of its fields; addresses and prefixes
 * are strings; a declared resource is its name.
 */
final class JsonLines {
    private JsonLines() {}

    /** {@code {"op": op, k1: v1, ...}}; values are Java values or script {@link Value}s. */
    static String line(String op, Object... keysAndValues) {
        StringBuilder sb = new StringBuilder("{");
        Json.string(sb, "op");
        sb.append(':');
        Json.string(sb, op);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            sb.append(',');
            Json.string(sb, (String) keysAndValues[i]);
            sb.append(':');
            any(sb, keysAndValues[i + 1]);
        }
        return sb.append('}').toString();
    }

    static void any(StringBuilder sb, Object o) {
        switch (o) {
            case null -> sb.append("null");
            case Value v -> value(sb, v);
            case String s -> Json.string(sb, s);
            case Boolean b -> sb.append(b);
            case Number n -> number(sb, n.doubleValue());
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    any(sb, l.get(i));
                }
                sb.append(']');
            }
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (var e : m.entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    Json.string(sb, e.getKey().toString());
                    sb.append(':');
                    any(sb, e.getValue());
                }
                sb.append('}');
            }
            default -> Json.string(sb, o.toString());
        }
    }

    static void value(StringBuilder sb, Value v) {
        switch (v) {
            case Value.Num n -> number(sb, n.value());
            case Value.Qty q -> {
                sb.append("{\"value\":");
                number(sb, q.value());
                sb.append(",\"unit\":");
                Json.string(sb, q.dim().base());
                sb.append('}');
            }
            case Value.Str s -> Json.string(sb, s.value());
            case Value.Bool b -> sb.append(b.value());
            case Value.Addr a -> Json.string(sb, Addresses.format(a.address()));
            case Value.Pfx p -> Json.string(sb, p.prefix().toString());
            case Value.Mac m -> Json.string(sb, m.mac().toString());
            case Value.ListV l -> any(sb, l.items());
            case Value.MapV m -> any(sb, m.entries());
            case Value.Rec r -> any(sb, r.fields());
            case Value.Res r -> Json.string(sb, r.name());
            case Value.Family f -> Json.string(sb, f.base());
            case Value.SidRef s -> Json.string(sb, s.router() + "." + s.sid());
            case Value.Forward f -> Json.string(sb, f.name());
            case Value.Fn f -> Json.string(sb, "fn " + f.decl().name());
            case Value.Unknown u -> sb.append("null");
            case Value.Nil n -> sb.append("null");
        }
    }

    /** A whole number without a fraction; otherwise the shortest text that reads back as the same double. */
    private static void number(StringBuilder sb, double d) {
        if (!Double.isFinite(d)) {
            sb.append("null");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            sb.append((long) d);
        } else {
            sb.append(d);
        }
    }
}
