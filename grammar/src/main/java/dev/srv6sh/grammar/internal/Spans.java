package dev.srv6sh.grammar.internal;

import dev.srv6sh.grammar.ast.Span;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/** Token positions to {@link Span}s: ANTLR columns are 0-based, ours 1-based with an inclusive end. */
final class Spans {
    private Spans() {}

    static Span of(String file, Token token) {
        return of(file, token, token);
    }

    static Span of(String file, Token first, Token last) {
        if (last == null || last.getStopIndex() < first.getStartIndex()) {
            last = first;
        }
        int length = Math.max(0, last.getStopIndex() - last.getStartIndex() + 1);
        int endColumn = last.getCharPositionInLine() + Math.max(length, 1);
        int end = Math.max(first.getStartIndex(), last.getStopIndex() + 1);
        return new Span(
                file,
                first.getLine(),
                first.getCharPositionInLine() + 1,
                last.getLine(),
                endColumn,
                first.getStartIndex(),
                end);
    }

    static Span of(String file, ParserRuleContext ctx) {
        return of(file, ctx.getStart(), ctx.getStop());
    }

    /** A span inside one token that does not cross a line, such as a piece of a string. */
    static Span within(Token token, String file, int from, int to) {
        int line = token.getLine();
        int column = token.getCharPositionInLine() + 1 + from;
        int start = token.getStartIndex() + from;
        return new Span(
                file, line, column, line, column + Math.max(to - from, 1) - 1, start, token.getStartIndex() + to);
    }
}
