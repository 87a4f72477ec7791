package dev.srv6sh.interpreter.eval;

import dev.srv6sh.dataplane.config.Addresses;
import java.util.Map;
import java.util.stream.Collectors;

/** Values as people read them: quantities with units, results as short summaries. */
public final class Render {
    private Render() {}

    public static String text(Value v) {
        return switch (v) {
            case Value.Num n -> Dim.num(n.value());
            case Value.Qty q -> Dim.format(q.value(), q.dim());
            case Value.Str s -> s.value();
            case Value.Bool b -> Boolean.toString(b.value());
            case Value.Addr a -> Addresses.format(a.address());
            case Value.Pfx p -> p.prefix().toString();
            case Value.Mac m -> m.mac().toString();
            case Value.ListV l -> l.items().stream().map(Render::literal).collect(Collectors.joining(", ", "[", "]"));
            case Value.MapV m -> fields(m.entries());
            case Value.Rec r ->
                switch (r.type()) {
                    case "PingResult" -> ping(r);
                    case "RttResult" -> rtt(r);
                    case "ThroughputResult" -> throughput(r);
                    default -> fields(r.fields());
                };
            case Value.Res r -> r.name();
            case Value.Family f -> f.base() + "[...]";
            case Value.SidRef s -> s.router() + "." + s.sid();
            case Value.Forward f -> f.name();
            case Value.Fn f -> "fn " + f.decl().name();
            case Value.Unknown u -> "<" + u.type() + ">";
            case Value.Nil n -> "nil";
        };
    }

    /** Strings quoted, as they would be written in a script. */
    static String literal(Value v) {
        return v instanceof Value.Str s ? "\"" + s.value() + "\"" : text(v);
    }

    private static String fields(Map<String, Value> m) {
        return m.entrySet().stream()
                .map(e -> e.getKey() + ": " + literal(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /** A result in one line, for progress logs: the essentials, with units. */
    static String summaryLine(Value v) {
        if (!(v instanceof Value.Rec r)) {
            return text(v);
        }
        Map<String, Value> f = r.fields();
        return switch (r.type()) {
            case "PingResult" ->
                text(f.get("received")) + "/" + text(f.get("sent")) + " replies, " + text(f.get("loss")) + " loss, "
                        + rttLine((Value.Rec) f.get("rtt"))
                        + (f.get("hoplimit") instanceof Value.Nil ? "" : ", hop limit " + text(f.get("hoplimit")));
            case "RttResult" ->
                rttLine(r)
                        + (f.get("hoplimit") == null || f.get("hoplimit") instanceof Value.Nil
                                ? ""
                                : ", hop limit " + text(f.get("hoplimit")));
            case "ThroughputResult" ->
                f.get("retransmits") != null
                        ? text(f.get("rate")) + " (" + text(f.get("streams")) + " stream"
                                + (text(f.get("streams")).equals("1") ? "" : "s") + ", "
                                + text(f.get("retransmits")) + " retransmits)"
                        : text(f.get("rate")) + " (" + text(f.get("packets")) + " of " + text(f.get("sent"))
                                + " datagrams, " + text(f.get("loss")) + " loss, jitter " + text(f.get("jitter")) + ")";
            default -> text(v);
        };
    }

    private static String rttLine(Value.Rec r) {
        Map<String, Value> f = r.fields();
        if (((Value.Num) f.get("count")).value() == 0) {
            return "no replies";
        }
        return "rtt " + ms(f.get("mean")) + " ms ±" + ms(f.get("ci95")) + " ms (n=" + text(f.get("count")) + ")";
    }

    private static String ping(Value.Rec r) {
        Map<String, Value> f = r.fields();
        StringBuilder sb = new StringBuilder();
        sb.append("ping ")
                .append(text(f.get("from")))
                .append(" -> ")
                .append(text(f.get("to")))
                .append(": ");
        sb.append(text(f.get("sent")))
                .append(" sent, ")
                .append(text(f.get("received")))
                .append(" received, ");
        sb.append(text(f.get("loss"))).append(" loss");
        Value hl = f.get("hoplimit");
        if (!(hl instanceof Value.Nil)) {
            sb.append(", hop limit at receiver ").append(text(hl));
        }
        sb.append('\n').append("  ").append(rtt((Value.Rec) f.get("rtt")));
        return sb.toString();
    }

    private static String rtt(Value.Rec r) {
        Map<String, Value> f = r.fields();
        if (((Value.Num) f.get("count")).value() == 0) {
            return "rtt: no replies";
        }
        return "rtt min/mean/max " + ms(f.get("min")) + "/" + ms(f.get("mean")) + "/" + ms(f.get("max")) + " ms"
                + ", stddev " + ms(f.get("stddev")) + " ms, 95% CI ±" + ms(f.get("ci95")) + " ms (n="
                + text(f.get("count")) + ")";
    }

    private static String throughput(Value.Rec r) {
        Map<String, Value> f = r.fields();
        if (f.get("retransmits") != null) {
            String streams = text(f.get("streams"));
            return text(f.get("proto")) + " " + text(f.get("from")) + " -> " + text(f.get("to")) + ": "
                    + text(f.get("rate")) + " over " + text(f.get("duration")) + ", " + text(f.get("bytes"))
                    + " received, " + streams + " stream" + (streams.equals("1") ? "" : "s") + ", "
                    + text(f.get("retransmits")) + " retransmits";
        }
        String s = text(f.get("proto")) + " " + text(f.get("from")) + " -> " + text(f.get("to")) + ": "
                + text(f.get("rate")) + " over " + text(f.get("duration")) + " (offered " + text(f.get("offered"))
                + "), " + text(f.get("packets")) + "/" + text(f.get("sent")) + " datagrams, " + text(f.get("loss"))
                + " loss, " + text(f.get("reordered")) + " reordered, jitter " + text(f.get("jitter"));
        Value hl = f.get("hoplimit");
        return hl instanceof Value.Nil ? s : s + ", hop limit at receiver " + text(hl);
    }

    private static String ms(Value v) {
        return String.format(java.util.Locale.ROOT, "%.3f", ((Value.Qty) v).value() * 1e3);
    }
}
