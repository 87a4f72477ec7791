package dev.srv6sh.grammar.internal;

import dev.srv6sh.grammar.ast.Expr;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.ast.Stmt;
import dev.srv6sh.grammar.internal.Srv6Parser.ChartOptionContext;
import dev.srv6sh.grammar.internal.Srv6Parser.ChartStmtContext;

/**
 * {@code chart FILE KIND DATA x F y F [err F] [title T]}. The grammar reads the options as plain
 * {@code word value} pairs, so that field names such as {@code region} or {@code rtt} need no
 * special case; this class sorts them into the record and names what is wrong.
 */
final class ChartOptions {
    private ChartOptions() {}

    static Stmt build(ChartStmtContext c, ExprBuilder exprs, DiagnosticSink sink, Span span) {
        String x = null;
        String y = null;
        String err = null;
        Expr title = null;
        for (ChartOptionContext o : c.chartOption()) {
            String key = o.ident(0).getText();
            // `x region`: the grammar reads a lone word as a field name, anything else as a value.
            Expr value = o.field != null ? new Expr.Ident(o.field.getText(), exprs.span(o.field)) : exprs.expr(o.value);
            switch (key) {
                case "x" -> x = field(key, value, sink);
                case "y" -> y = field(key, value, sink);
                case "err" -> err = field(key, value, sink);
                case "title" -> title = value;
                default -> sink.error(exprs.span(o), "unknown chart option '" + key + "'; expected x, y, err or title");
            }
        }
        if (x == null || y == null) {
            sink.error(span, "chart needs 'x FIELD' and 'y FIELD'");
        }
        return new Stmt.ChartStmt(exprs.expr(c.file), c.kind.getText(), exprs.expr(c.data), x, y, err, title, span);
    }

    private static String field(String key, Expr value, DiagnosticSink sink) {
        return switch (value) {
            case Expr.Ident i -> i.name();
            case Expr.StringLit s
            when s.parts().size() == 1 && s.parts().getFirst() instanceof Expr.Text t -> t.value();
            default -> {
                sink.error(value.span(), "chart " + key + " needs a field name");
                yield null;
            }
        };
    }
}
