package dev.srv6sh.interpreter.report;

import dev.srv6sh.interpreter.eval.Dim;
import dev.srv6sh.interpreter.eval.Render;
import dev.srv6sh.interpreter.eval.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A list of records or maps as a table: one row per element, one column per field (nested records
 * and maps flattened with dotted names, as {@code rtt.mean}), in first-seen order. A column of
 * quantities gets one unit and its name says it ({@code rtt_ms}, {@code udp_Mbps}); cells then hold
 * plain numbers in that unit.
 *
 * <p>For a file ({@link #of}) the unit is fixed by the dimension (durations in ms, rates in Mbps,
 * packet rates in pps, sizes in B, percentages in pct): a program reads yesterday's file and today's
 * with the same column names, however fast or noisy each run was. A chart's axis ({@link
 * #forChart}) is read by people, so it picks the unit that suits its values' magnitude ({@code
 * overhead (µs)}).
 */
public final class Table {
    /** A column: its name with the unit ({@code rtt_ms}), the field it came from, and its unit. */
    public record Column(String name, String field, Unit unit) {}

    /** How a quantity column is written: {@code value / factor} in {@code suffix}. */
    public record Unit(String suffix, String label, double factor) {}

    private final List<Column> columns;
    private final List<Object[]> rows;

    private Table(List<Column> columns, List<Object[]> rows) {
        this.columns = List.copyOf(columns);
        this.rows = rows;
    }

    public List<Column> columns() {
        return columns;
    }

    /** Row cells: a Double, Boolean, String, a List of Double or String, or null when absent. */
    public List<Object[]> rows() {
        return rows;
    }

    public Column column(String field) {
        for (Column c : columns) {
            if (c.field().equals(field)) {
                return c;
            }
        }
        return null;
    }

    public int index(Column c) {
        return columns.indexOf(c);
    }

    /** Field names, for "did you mean" and for saying which exist. */
    public List<String> fields() {
        return columns.stream().map(Column::field).toList();
    }

    /** The table of a value for a file: a list of records or maps (a single record is a one-row table). */
    public static Table of(Value value) throws ReportException {
        return of(value, false);
    }

    /** The same table with each quantity column in the unit that reads best for its values. */
    public static Table forChart(Value value) throws ReportException {
        return of(value, true);
    }

    private static Table of(Value value, boolean byMagnitude) throws ReportException {
        List<Value> items;
        if (value instanceof Value.ListV l) {
            items = l.items();
        } else if (value instanceof Value.Rec || value instanceof Value.MapV) {
            items = List.of(value);
        } else {
            throw new ReportException("expected a list of records or maps, not " + value.describe());
        }
        List<Map<String, Value>> flat = new ArrayList<>();
        LinkedHashMap<String, List<Value>> byField = new LinkedHashMap<>();
        int i = 0;
        for (Value item : items) {
            Map<String, Value> f = new LinkedHashMap<>();
            flatten("", fieldsOf(item, i), f);
            flat.add(f);
            for (var e : f.entrySet()) {
                byField.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
            }
            i++;
        }
        List<Column> columns = new ArrayList<>();
        for (var e : byField.entrySet()) {
            Unit unit = unitOf(e.getKey(), e.getValue(), byMagnitude);
            String name = unit == null ? e.getKey() : e.getKey() + "_" + unit.suffix();
            columns.add(new Column(name, e.getKey(), unit));
        }
        List<Object[]> rows = new ArrayList<>();
        for (Map<String, Value> f : flat) {
            Object[] row = new Object[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                Value v = f.get(columns.get(c).field());
                row[c] = v == null ? null : cell(v, columns.get(c).unit());
            }
            rows.add(row);
        }
        return new Table(columns, rows);
    }

    private static Map<String, Value> fieldsOf(Value item, int index) throws ReportException {
        return switch (item) {
            case Value.Rec r -> r.fields();
            case Value.MapV m -> m.entries();
            default ->
                throw new ReportException(
                        "element " + index + " is " + item.describe() + "; every element must be a record or a map");
        };
    }

    private static void flatten(String prefix, Map<String, Value> fields, Map<String, Value> out) {
        for (var e : fields.entrySet()) {
            String key = prefix + e.getKey();
            switch (e.getValue()) {
                case Value.Rec r -> flatten(key + ".", r.fields(), out);
                case Value.MapV m -> flatten(key + ".", m.entries(), out);
                default -> out.put(key, e.getValue());
            }
        }
    }

    /** One unit for a column of quantities (or lists of them); null for anything else. */
    private static Unit unitOf(String field, List<Value> values, boolean byMagnitude) throws ReportException {
        Dim dim = null;
        List<Double> magnitudes = new ArrayList<>();
        for (Value v : values) {
            List<Value> parts = v instanceof Value.ListV l ? l.items() : List.of(v);
            for (Value p : parts) {
                if (p instanceof Value.Qty q) {
                    if (dim != null && dim != q.dim()) {
                        throw new ReportException("column '" + field + "' mixes " + dim.article() + " and "
                                + q.dim().article() + "; a column has one unit");
                    }
                    dim = q.dim();
                    magnitudes.add(Math.abs(q.value()));
                }
            }
        }
        if (dim == null) {
            return null;
        }
        if (!byMagnitude) {
            return switch (dim) {
                case DURATION -> new Unit("ms", "ms", 1e-3);
                case RATE -> new Unit("Mbps", "Mbps", 1e6);
                case PACKET_RATE -> new Unit("pps", "pps", 1);
                case SIZE -> new Unit("B", "B", 1);
                case PERCENT -> new Unit("pct", "%", 1);
            };
        }
        double[] m =
                magnitudes.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = m.length == 0 ? 0 : m[m.length / 2];
        return switch (dim) {
            case DURATION ->
                median != 0 && median < 1e-3
                        ? new Unit("us", "µs", 1e-6)
                        : median < 1 ? new Unit("ms", "ms", 1e-3) : new Unit("s", "s", 1);
            case RATE -> scaled(median, "bps");
            case PACKET_RATE -> scaled(median, "pps");
            case SIZE -> new Unit("B", "B", 1);
            case PERCENT -> new Unit("pct", "%", 1);
        };
    }

    private static Unit scaled(double v, String base) {
        if (v >= 1e9) {
            return new Unit("G" + base, "G" + base, 1e9);
        }
        if (v >= 1e6) {
            return new Unit("M" + base, "M" + base, 1e6);
        }
        if (v >= 1e3) {
            return new Unit("k" + base, "k" + base, 1e3);
        }
        return new Unit(base, base, 1);
    }

    private static Object cell(Value v, Unit unit) {
        return switch (v) {
            case Value.Num n -> n.value();
            case Value.Qty q -> unit == null ? Render.text(q) : q.value() / unit.factor();
            case Value.Bool b -> b.value();
            case Value.Str s -> s.value();
            case Value.ListV l -> {
                List<Object> out = new ArrayList<>();
                for (Value x : l.items()) {
                    Object c = cell(x, unit);
                    out.add(c == null || c instanceof Double || c instanceof String ? c : String.valueOf(c));
                }
                yield out;
            }
            case Value.Nil n -> null;
            default -> Render.text(v);
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(columns.toString());
        rows.forEach(r -> sb.append('\n').append(Arrays.toString(r)));
        return sb.toString();
    }
}
