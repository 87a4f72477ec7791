package dev.srv6sh.grammar.internal;

import static dev.srv6sh.grammar.internal.Srv6Lexer.*;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenFactory;
import org.antlr.v4.runtime.TokenSource;

/**
 * Decides which newlines end a statement, so the grammar can treat NEWLINE as a plain separator.
 *
 * <p>A newline is dropped inside ( ) [ ] and map braces, after a token that cannot end an expression
 * ({@code , -> = {} and binary operators), before {@code else}, and when it repeats. Inside the
 * braces of a router, vpc, for, if or fn body it is kept. A {@code {} opens a map when the token
 * before it cannot end an operand ({@code = ( [ , :} an operator, or a statement start); otherwise
 * it opens a block, as after {@code paris} in {@code vpc pv in paris {}.
 *
 * <p>Words that start a statement ({@code print}, {@code trace}, {@code region}, ...) keep their
 * token type only where a statement can start (first in the input, after a newline, {@code ;} or
 * {@code {}); elsewhere they become names.
 *
 * <p>It also reports strings left open at the end of a line and hands them on as strings, so one
 * missing quote is one error. With {@code stopAt} it ends the stream early: that is how a {@code
 * ${expr}} inside a string is parsed with the real positions of the file.
 */
final class NewlineFilter implements TokenSource {
    private static final int MAP = -100;
    private static final int BLOCK = -101;

    private static final Set<Integer> CONTINUES = Set.of(
            COMMA, ARROW, ASSIGN, LBRACE, LPAREN, LBRACK, PLUS, MINUS, STAR, SLASH, PIPE, EQ, NE, LT, LE, GT, GE, AND,
            OR, NOT, IN, NEWLINE, SEMI);

    private static final Set<Integer> MAP_AFTER = Set.of(
            ASSIGN, LPAREN, LBRACK, LBRACE, COMMA, COLON, ARROW, PLUS, MINUS, STAR, SLASH, PIPE, EQ, NE, LT, LE, GT, GE,
            AND, OR, NOT, IN, RETURN, PRINT, EXPECT, NEWLINE, SEMI);

    /** Words that start a statement; anywhere else they are plain names ({@code print trace}). */
    private static final Set<Integer> STATEMENT_WORDS = Set.of(
            REGION, VPC, ROUTER, SID, POLICY, STEER, PLAN, APPLY, DESTROY, SHOW, TRACE, CAPTURE, EXPECT, PRINT, SAVE,
            CHART);

    private final TokenSource source;
    private final String file;
    private final DiagnosticSink sink;
    private final int stopAt;
    private final Deque<Token> ahead = new ArrayDeque<>();
    private final Deque<Token> open = new ArrayDeque<>();
    private final Deque<Integer> openKinds = new ArrayDeque<>();
    private int previous = -1;
    private Token eof;

    NewlineFilter(TokenSource source, String file, DiagnosticSink sink, int stopAt) {
        this.source = source;
        this.file = file;
        this.sink = sink;
        this.stopAt = stopAt;
    }

    @Override
    public Token nextToken() {
        while (true) {
            Token t = pull();
            int type = t.getType();
            if (type == NEWLINE) {
                if (dropsNewline() || peekSignificant() == ELSE) {
                    continue;
                }
            } else if (type == UNTERMINATED_STRING) {
                boolean atEnd = peek().getType() == EOF && peek().getStartIndex() >= t.getStopIndex() + 1;
                sink.syntax(Spans.of(file, t), "unterminated string", atEnd && stopAt == Integer.MAX_VALUE);
                ((CommonToken) t).setType(STRING);
            } else if (STATEMENT_WORDS.contains(type) && !atStatementStart()) {
                // The grammar reads these words as the statement they start; elsewhere no statement
                // can start, so they are names, and `let trace = 3` can be followed by `print trace`.
                ((CommonToken) t).setType(IDENT);
                type = IDENT;
            }
            track(type, t);
            previous = type;
            return t;
        }
    }

    /** Whether the next token is the first of a statement (an interpolation is an expression). */
    private boolean atStatementStart() {
        if (previous == -1) {
            return stopAt == Integer.MAX_VALUE;
        }
        return previous == NEWLINE || previous == SEMI || previous == LBRACE;
    }

    private boolean dropsNewline() {
        Integer top = openKinds.peek();
        return previous == -1 || CONTINUES.contains(previous) || (top != null && top != BLOCK);
    }

    private void track(int type, Token t) {
        switch (type) {
            case LPAREN, LBRACK -> opens(type, t);
            case LBRACE -> opens(MAP_AFTER.contains(previous) || previous == -1 ? MAP : BLOCK, t);
            case RPAREN, RBRACK, RBRACE -> {
                open.poll();
                openKinds.poll();
            }
            default -> {}
        }
    }

    private void opens(int kind, Token t) {
        openKinds.push(kind);
        open.push(t);
    }

    /**
     * The innermost bracket still open, for "the '[' at 5:9 is not closed"; null when none. A block
     * brace counts only at the end of the input: inside a router body it is no news.
     */
    Token unclosed(boolean atEnd, Token before) {
        var kinds = openKinds.iterator();
        for (Token t : open) {
            int kind = kinds.next();
            // The parser lags behind this filter: skip what was opened at or after the error.
            if (t.getStartIndex() < before.getStartIndex()) {
                return kind == BLOCK && !atEnd ? null : t;
            }
        }
        return null;
    }

    private int peekSignificant() {
        for (Token t : ahead) {
            if (t.getType() != NEWLINE) {
                return t.getType();
            }
        }
        while (true) {
            Token t = fetch();
            ahead.addLast(t);
            if (t.getType() != NEWLINE) {
                return t.getType();
            }
        }
    }

    private Token peek() {
        if (ahead.isEmpty()) {
            ahead.addLast(fetch());
        }
        return ahead.peekFirst();
    }

    private Token pull() {
        return ahead.isEmpty() ? fetch() : ahead.removeFirst();
    }

    private Token fetch() {
        if (eof != null) {
            return eof;
        }
        Token t = source.nextToken();
        if (t.getType() != EOF && t.getStartIndex() >= stopAt) {
            // The closing '}' of an interpolation: the expression ends here.
            CommonToken end = new CommonToken(t);
            end.setType(EOF);
            end.setText("}");
            end.setStopIndex(end.getStartIndex() - 1);
            t = end;
        }
        if (t.getType() == EOF) {
            eof = t;
        }
        return t;
    }

    @Override
    public int getLine() {
        return source.getLine();
    }

    @Override
    public int getCharPositionInLine() {
        return source.getCharPositionInLine();
    }

    @Override
    public CharStream getInputStream() {
        return source.getInputStream();
    }

    @Override
    public String getSourceName() {
        return file;
    }

    @Override
    public void setTokenFactory(TokenFactory<?> factory) {
        source.setTokenFactory(factory);
    }

    @Override
    public TokenFactory<?> getTokenFactory() {
        return source.getTokenFactory();
    }
}
