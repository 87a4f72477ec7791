package dev.srv6sh.interpreter.report;

import java.util.List;

/**
 * JSON (RFC 8259) of a {@link Table}: an array of objects, one per row, keyed by the column names
 * (with their units, {@code "rtt_ms"}), numbers in the column's unit, absent fields left out, lists
 * as arrays. The same names and units as the CSV, so either file feeds the same plot.
 */
public final class Json {
    private Json() {}

    public static String write(Table t) {
        StringBuilder sb = new StringBuilder("[");
        boolean firstRow = true;
        for (Object[] row : t.rows()) {
            sb.append(firstRow ? "\n  {" : ",\n  {");
            firstRow = false;
            boolean first = true;
            for (int c = 0; c < row.length; c++) {
                if (row[c] == null) {
                    continue;
                }
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                string(sb, t.columns().get(c).name());
                sb.append(": ");
                value(sb, row[c]);
            }
            sb.append('}');
        }
        return sb.append(firstRow ? "]\n" : "\n]\n").toString();
    }

    /** One value: a number, boolean, string or list of them. */
    public static void value(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case Double d -> sb.append(Double.isFinite(d) ? Csv.number(d) : "null");
            case Boolean b -> sb.append(b);
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    value(sb, l.get(i));
                }
                sb.append(']');
            }
            default -> string(sb, v.toString());
        }
    }

    /** A JSON string with the escapes RFC 8259 §7 requires. */
    public static void string(StringBuilder sb, String s) {
        sb.append(dev.srv6sh.dataplane.agent.JsonText.string(s));
    }
}
