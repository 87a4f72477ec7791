package dev.srv6sh.grammar.internal;

import dev.srv6sh.grammar.ast.Arg;
import dev.srv6sh.grammar.ast.Expr;
import dev.srv6sh.grammar.ast.MapEntry;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.internal.Srv6Parser.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Expression parse trees to {@link Expr} records; literals are checked on the way. */
final class ExprBuilder {
    private final String file;
    private final DiagnosticSink sink;
    private final StringDecoder strings;

    ExprBuilder(String file, DiagnosticSink sink, StringDecoder strings) {
        this.file = file;
        this.sink = sink;
        this.strings = strings;
    }

    /** Null in, null out: optional parts of a rule stay null in the AST. */
    Expr expr(ParseTree tree) {
        return switch (tree) {
            case null -> null;
            case ExprContext c -> expr(c.orExpr());
            case ExprOnlyContext c -> expr(c.expr());
            case NotExprContext c when c.NOT() != null -> new Expr.Unary("not", expr(c.notExpr()), span(c));
            case NotExprContext c -> expr(c.comparison());
            case UnaryContext c when c.MINUS() != null -> new Expr.Unary("-", expr(c.unary()), span(c));
            case UnaryContext c -> expr(c.postfix());
            case PostfixContext c -> postfix(c);
            case PrimaryContext c -> primary(c);
            case ListLitContext c -> new Expr.ListLit(list(c.expr()), span(c));
            // or, and, comparison, |, + -, * /: all left-associative chains
            case ParserRuleContext c -> chain(c);
            default -> throw new IllegalStateException("not an expression: " + tree.getClass());
        };
    }

    List<Expr> list(List<? extends ParseTree> trees) {
        List<Expr> out = new ArrayList<>();
        trees.forEach(t -> out.add(expr(t)));
        return List.copyOf(out);
    }

    /** Options that are words on their own: {@code direct} (no SRv6 routers), {@code ipv6}. */
    private static final java.util.Set<String> FLAGS = java.util.Set.of("direct", "ipv6");

    List<Arg> options(List<OptionContext> options) {
        List<Arg> out = new ArrayList<>();
        for (OptionContext o : options) {
            String key = o.DIRECT() != null ? "direct" : o.argKey().getText();
            Expr value = o.DIRECT() != null || (o.expr() == null && FLAGS.contains(key))
                    ? null
                    : o.expr() != null ? expr(o.expr()) : missingValue(o.argKey());
            out.add(new Arg(key, value, span(o)));
        }
        return List.copyOf(out);
    }

    /** {@code count} with nothing after it: reported here, kept in the AST as a null value. */
    Expr missingValue(ParserRuleContext key) {
        sink.error(span(key), "'" + key.getText() + "' needs a value");
        return null;
    }

    Span span(ParserRuleContext c) {
        return Spans.of(file, c);
    }

    private Expr chain(ParserRuleContext c) {
        Expr left = null;
        String op = null;
        for (ParseTree child : c.children) {
            if (child instanceof TerminalNode t) {
                op = t.getText();
            } else {
                Expr right = expr(child);
                left = left == null
                        ? right
                        : new Expr.Binary(op, left, right, left.span().to(right.span()));
            }
        }
        return left;
    }

    private Expr postfix(PostfixContext c) {
        Expr e = expr(c.primary());
        for (PostfixOpContext op : c.postfixOp()) {
            Span span = Spans.of(file, c.getStart(), op.getStop());
            e = switch (op) {
                case MemberOpContext m -> new Expr.Member(e, m.ident().getText(), span);
                case SliceOpContext s -> new Expr.Slice(e, expr(s.from), expr(s.to), span);
                case IndexOpContext i -> new Expr.Index(e, expr(i.expr()), span);
                case CallOpContext call -> new Expr.Call(e, list(call.expr()), span);
                default -> throw new IllegalStateException("postfix " + op.getClass());
            };
        }
        return e;
    }

    private Expr primary(PrimaryContext c) {
        Span span = span(c);
        return switch (c) {
            case NumberLitContext n -> new Expr.NumberLit(Literals.number(n.getText()), n.getText(), span);
            case QuantityLitContext q -> quantity(q.getText(), span);
            case StringLitContext s -> strings.decode(s.STRING().getSymbol());
            case BoolLitContext b -> new Expr.BoolLit(b.TRUE() != null, span);
            case AddressLitContext a -> address(a.getStart(), span);
            case PrefixLitContext p -> {
                check(span, Literals.prefix(p.getText()));
                yield new Expr.PrefixLit(p.getText(), span);
            }
            case MacLitContext m -> new Expr.MacLit(m.getText(), span);
            case ListPrimaryContext l -> expr(l.listLit());
            case MapLitContext m -> new Expr.MapLit(entries(m.mapEntry()), span);
            case ParenExprContext p -> expr(p.expr());
            case PingExprContext p -> new Expr.Ping(expr(p.from), expr(p.to), options(p.option()), span);
            case MeasureExprContext m ->
                new Expr.Measure(
                        m.metric.getText(),
                        m.proto == null ? null : m.proto.getText(),
                        expr(m.from),
                        expr(m.to),
                        options(m.option()),
                        span);
            case IdentExprContext i -> new Expr.Ident(i.getText(), span);
            default -> throw new IllegalStateException("primary " + c.getClass());
        };
    }

    private Expr address(Token t, Span span) {
        String text = t.getText();
        check(span, t.getType() == Srv6Parser.IPV6 ? Literals.ipv6(text) : Literals.ipv4(text));
        return new Expr.AddressLit(text, span);
    }

    private Expr quantity(String text, Span span) {
        int at = Literals.unitStart(text);
        String unit = text.substring(at);
        if (!Literals.UNITS.contains(unit)) {
            sink.error(span, "unknown unit '" + unit + "' in '" + text + "'", Literals.UNIT_NOTE);
        }
        return new Expr.QuantityLit(Literals.number(text.substring(0, at)), unit, text, span);
    }

    private List<MapEntry> entries(List<MapEntryContext> entries) {
        List<MapEntry> out = new ArrayList<>();
        for (MapEntryContext e : entries) {
            String key = e.STRING() != null
                    ? strings.plain(e.STRING().getSymbol())
                    : e.ident().getText();
            out.add(new MapEntry(key, expr(e.expr()), span(e)));
        }
        return List.copyOf(out);
    }

    private void check(Span span, Optional<String> problem) {
        problem.ifPresent(p -> sink.error(span, p));
    }
}
