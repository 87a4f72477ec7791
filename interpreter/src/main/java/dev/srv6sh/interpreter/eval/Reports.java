package dev.srv6sh.interpreter.eval;

import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.ast.Stmt;
import dev.srv6sh.interpreter.Result;
import dev.srv6sh.interpreter.report.Charts;
import dev.srv6sh.interpreter.report.Csv;
import dev.srv6sh.interpreter.report.Json;
import dev.srv6sh.interpreter.report.ReportException;
import dev.srv6sh.interpreter.report.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code save} and {@code chart}: a list of records to CSV or JSON, or to an SVG or PNG chart,
 * written relative to the working directory. While checking, the file name's type and the chart's
 * kind are checked and nothing is written.
 */
final class Reports {
    private final Evaluator ev;
    private final Exprs exprs;

    Reports(Evaluator ev, Exprs exprs) {
        this.ev = ev;
        this.exprs = exprs;
    }

    void save(Stmt.SaveStmt s, Env env) {
        String file = fileName(s.file(), env);
        if (file != null) {
            String f = file.toLowerCase(Locale.ROOT);
            if (!f.endsWith(".csv") && !f.endsWith(".json")) {
                throw new ScriptError(s.file().span(), "save writes .csv or .json files, not '" + file + "'");
            }
        }
        Value data = exprs.eval(s.value(), env, false);
        if (file == null || data instanceof Value.Unknown || ev.checkOnly()) {
            return;
        }
        Table t = table(data, false, s.value().span());
        String text = file.toLowerCase(Locale.ROOT).endsWith(".csv") ? Csv.write(t) : Json.write(t);
        write(ev.outputDir().resolve(file), text.getBytes(StandardCharsets.UTF_8), s.span());
        ev.results()
                .accept(new Result.Saved(
                        file,
                        t.rows().size(),
                        t.columns().stream().map(Table.Column::name).toList()));
    }

    void chart(Stmt.ChartStmt c, Env env) {
        String file = fileName(c.file(), env);
        Charts.Format format = file == null ? null : Charts.Format.of(file);
        if (file != null && format == null) {
            throw new ScriptError(c.file().span(), "chart writes .svg or .png files, not '" + file + "'");
        }
        Charts.Kind kind =
                switch (c.kind()) {
                    case "bar" -> Charts.Kind.BAR;
                    case "line" -> Charts.Kind.LINE;
                    default ->
                        throw new ScriptError(c.span(), "unknown chart kind '" + c.kind() + "'; expected bar or line");
                };
        String title = null;
        if (c.title() != null) {
            Value t = exprs.eval(c.title(), env, false);
            if (t instanceof Value.Str str) {
                title = str.value();
            } else if (!(t instanceof Value.Unknown)) {
                title = Render.text(t);
            }
        }
        Value data = exprs.eval(c.data(), env, false);
        if (file == null || data instanceof Value.Unknown || ev.checkOnly()) {
            return;
        }
        Table t = table(data, true, c.data().span());
        byte[] bytes;
        try {
            bytes = Charts.render(t, kind, c.x(), c.y(), c.err(), title, format);
        } catch (ReportException e) {
            throw new RuntimeFailure(c.span(), "chart " + file + ": " + e.getMessage(), e);
        }
        write(ev.outputDir().resolve(file), bytes, c.span());
        ev.results()
                .accept(new Result.Charted(
                        file, c.kind(), c.x(), c.y(), t.rows().size()));
    }

    /** The file name, or null while checking when it is not known yet. */
    private String fileName(dev.srv6sh.grammar.ast.Expr e, Env env) {
        Value v = exprs.eval(e, env, false);
        if (v instanceof Value.Unknown) {
            return null;
        }
        if (!(v instanceof Value.Str s) || s.value().isBlank()) {
            throw new ScriptError(e.span(), "expected a file name (a string), not " + v.describe());
        }
        return s.value();
    }

    private static Table table(Value data, boolean forChart, Span span) {
        try {
            return forChart ? Table.forChart(data) : Table.of(data);
        } catch (ReportException e) {
            throw new RuntimeFailure(span, e.getMessage(), e);
        }
    }

    private static void write(Path p, byte[] bytes, Span span) {
        String file = p.toString();
        try {
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            Files.write(p, bytes);
        } catch (IOException | RuntimeException e) {
            throw new RuntimeFailure(span, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
