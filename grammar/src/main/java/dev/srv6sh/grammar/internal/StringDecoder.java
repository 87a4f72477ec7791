package dev.srv6sh.grammar.internal;

import dev.srv6sh.grammar.ast.Expr;
import dev.srv6sh.grammar.ast.Span;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.Token;

/**
 * Turns one STRING token into {@link Expr.StringLit} parts: text with escapes resolved, and {@code
 * ${expr}} pieces. The lexer has already matched the braces of an interpolation; its expression is
 * parsed again by {@link FrontEnd#interpolation} over the same character stream, so every node in it
 * keeps its true line and column.
 */
final class StringDecoder {
    private final FrontEnd front;
    private final String file;
    private final DiagnosticSink sink;

    StringDecoder(FrontEnd front, String file, DiagnosticSink sink) {
        this.front = front;
        this.file = file;
        this.sink = sink;
    }

    Expr.StringLit decode(Token token) {
        int[] cps = token.getText().codePoints().toArray();
        List<Expr> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int textStart = 1;
        int i = 1;
        while (i < cps.length && cps[i] != '"') {
            int c = cps[i];
            if (c == '\\' && i + 1 < cps.length) {
                text.append(escape(token, i, cps[i + 1]));
                i += 2;
            } else if (c == '$' && i + 1 < cps.length && cps[i + 1] == '{') {
                int close = matchingBrace(cps, i + 2);
                if (close < 0) {
                    sink.error(Spans.within(token, file, i, i + 2), "unterminated '${' in a string");
                    text.appendCodePoint(c);
                    i++;
                    continue;
                }
                flush(parts, text, token, textStart, i);
                Expr inner = front.interpolation(token, i + 2, close);
                Span span = Spans.within(token, file, i, close + 1);
                parts.add(new Expr.Interpolation(inner, span));
                i = close + 1;
                textStart = i;
            } else {
                text.appendCodePoint(c);
                i++;
            }
        }
        flush(parts, text, token, textStart, i);
        return new Expr.StringLit(List.copyOf(parts), Spans.of(file, token));
    }

    /** The text of a string that may not interpolate (map keys, import paths). */
    String plain(Token token) {
        Expr.StringLit lit = decode(token);
        StringBuilder out = new StringBuilder();
        for (Expr part : lit.parts()) {
            if (part instanceof Expr.Text t) {
                out.append(t.value());
            } else {
                sink.error(part.span(), "this string cannot contain '${...}'");
            }
        }
        return out.toString();
    }

    private void flush(List<Expr> parts, StringBuilder text, Token token, int from, int to) {
        if (to > from) {
            parts.add(new Expr.Text(text.toString(), Spans.within(token, file, from, to)));
        }
        text.setLength(0);
    }

    private String escape(Token token, int at, int c) {
        return switch (c) {
            case 'n' -> "\n";
            case 't' -> "\t";
            case 'r' -> "\r";
            case '"' -> "\"";
            case '\\' -> "\\";
            case '$' -> "$";
            default -> {
                sink.error(
                        Spans.within(token, file, at, at + 2),
                        "unknown escape '\\" + Character.toString(c) + "' in a string",
                        "escapes: \\\" \\\\ \\n \\t \\r \\$");
                yield Character.toString(c);
            }
        };
    }

    /** The index of the '}' closing an interpolation that starts at {@code from}, or -1. */
    private static int matchingBrace(int[] cps, int from) {
        int depth = 0;
        boolean inString = false;
        for (int i = from; i < cps.length; i++) {
            int c = cps[i];
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth-- == 0) {
                    return i;
                }
            }
        }
        return -1;
    }
}
