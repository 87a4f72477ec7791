package dev.srv6sh.grammar.internal;

import dev.srv6sh.grammar.internal.Srv6Parser.MeasureExprContext;
import dev.srv6sh.grammar.internal.Srv6Parser.PingExprContext;
import dev.srv6sh.grammar.internal.Srv6Parser.SteerDeclContext;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.FailedPredicateException;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * ANTLR's recovery with our own words. DefaultErrorStrategy decides how to resynchronise (skip a
 * token, pretend one was there, or skip to the end of the statement); only the report methods are
 * replaced, so messages say "unexpected ')'; expected an expression" instead of ANTLR's wording.
 */
final class SyntaxErrorStrategy extends DefaultErrorStrategy {
    private final String file;
    private final DiagnosticSink sink;
    private final int textLength;
    private final NewlineFilter brackets;

    SyntaxErrorStrategy(String file, DiagnosticSink sink, int textLength, NewlineFilter brackets) {
        this.file = file;
        this.sink = sink;
        this.textLength = textLength;
        this.brackets = brackets;
    }

    @Override
    protected void reportNoViableAlternative(Parser parser, NoViableAltException e) {
        unexpected(parser, e.getOffendingToken(), e.getExpectedTokens());
    }

    @Override
    protected void reportInputMismatch(Parser parser, InputMismatchException e) {
        unexpected(parser, e.getOffendingToken(), e.getExpectedTokens());
    }

    @Override
    protected void reportFailedPredicate(Parser parser, FailedPredicateException e) {
        unexpected(parser, e.getOffendingToken(), new IntervalSet());
    }

    @Override
    protected void reportUnwantedToken(Parser parser) {
        if (inErrorRecoveryMode(parser)) {
            return;
        }
        beginErrorCondition(parser);
        unexpected(parser, parser.getCurrentToken(), getExpectedTokens(parser));
    }

    @Override
    protected void reportMissingToken(Parser parser) {
        if (inErrorRecoveryMode(parser)) {
            return;
        }
        beginErrorCondition(parser);
        Token t = parser.getCurrentToken();
        IntervalSet expected = getExpectedTokens(parser);
        String where = context(parser, expected);
        String message = "expected " + TokenWords.expected(expected, t)
                + (where.isEmpty() ? " before " + TokenWords.token(t) : where);
        report(t, message, expected);
    }

    private void unexpected(Parser parser, Token t, IntervalSet expected) {
        String words = expected == null ? "" : TokenWords.expected(expected, t);
        String message = "unexpected " + TokenWords.token(t)
                + (words.isEmpty() ? "" : "; expected " + words + context(parser, expected));
        report(t, message, expected);
    }

    /** The few places where the rule says more than the token: the arrow of ping, measure, steer. */
    private static String context(Parser parser, IntervalSet expected) {
        if (expected == null || !expected.contains(Srv6Parser.ARROW)) {
            return "";
        }
        return switch (parser.getContext()) {
            case PingExprContext p -> " after the source host";
            case MeasureExprContext m -> " after the source host";
            case SteerDeclContext s -> " after what to steer";
            default -> "";
        };
    }

    private void report(Token t, String message, IntervalSet expected) {
        boolean atEnd = t.getType() == Token.EOF && t.getStartIndex() >= textLength;
        // A block brace left open is worth a note only where a '}' would have fitted.
        boolean closes = atEnd || (expected != null && expected.contains(Srv6Parser.RBRACE));
        Token open = brackets.unclosed(closes, t);
        if (open != null && (atEnd || open.getLine() < t.getLine())) {
            String where = open.getLine() + ":" + (open.getCharPositionInLine() + 1);
            sink.syntax(
                    Spans.of(file, t), message, atEnd, "the '" + open.getText() + "' at " + where + " is not closed");
        } else {
            sink.syntax(Spans.of(file, t), message, atEnd);
        }
    }
}
