package dev.srv6sh.interpreter.report;

import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * RFC 4180 CSV of a {@link Table}: a header of column names (with their units, {@code rtt_ms}), one
 * line per row, CRLF line ends, fields quoted only when they hold a comma, quote or line break.
 * Numbers are written plainly (no exponent, at most six significant digits); an absent field is
 * empty; a list is one field, its elements separated by spaces.
 */
public final class Csv {
    private Csv() {}

    public static String write(Table t) {
        StringBuilder sb = new StringBuilder();
        StringJoiner header = new StringJoiner(",");
        t.columns().forEach(c -> header.add(field(c.name())));
        sb.append(header).append("\r\n");
        for (Object[] row : t.rows()) {
            StringJoiner line = new StringJoiner(",");
            for (Object cell : row) {
                line.add(field(text(cell)));
            }
            sb.append(line).append("\r\n");
        }
        return sb.toString();
    }

    static String text(Object cell) {
        return switch (cell) {
            case null -> "";
            case Double d -> number(d);
            case List<?> l -> {
                StringJoiner j = new StringJoiner(" ");
                l.forEach(x -> j.add(text(x)));
                yield j.toString();
            }
            default -> cell.toString();
        };
    }

    /** A number without exponent or trailing zeros: 9.4, 0.000125, 12. */
    static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        String s = new java.math.BigDecimal(d)
                .round(new java.math.MathContext(6))
                .stripTrailingZeros()
                .toPlainString();
        return s.toLowerCase(Locale.ROOT);
    }

    private static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
