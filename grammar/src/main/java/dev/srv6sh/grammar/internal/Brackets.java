package dev.srv6sh.grammar.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/**
 * Whether a text leaves a {@code { [ (} open, from the lexer alone. The REPL's continuation rule needs
 * this before anything the parser says: a router block typed line by line is a syntax error at every
 * line but the last (and its recovery may report a problem well before the end, as in {@code sid d
 * End.DX4 nh pc} followed by the end of the input), yet the user is only half-way through it.
 * Strings, comments and {@code ${...}} are single tokens, so a bracket inside them does not count.
 */
public final class Brackets {
    private Brackets() {}

    /** What the brackets of a text say about it as a REPL entry. */
    public enum State {
        /** Every bracket is closed by its own kind. */
        BALANCED,
        /** A bracket is still open, and none was closed by the wrong kind: the entry goes on. */
        OPEN,
        /** A closing bracket with nothing, or another kind, open: an error whatever follows. */
        MISMATCHED
    }

    public static State of(String text) {
        Srv6Lexer lexer = new Srv6Lexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        Deque<Integer> open = new ArrayDeque<>();
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            switch (t.getType()) {
                case Srv6Lexer.LBRACE -> open.push(Srv6Lexer.RBRACE);
                case Srv6Lexer.LBRACK -> open.push(Srv6Lexer.RBRACK);
                case Srv6Lexer.LPAREN -> open.push(Srv6Lexer.RPAREN);
                case Srv6Lexer.RBRACE, Srv6Lexer.RBRACK, Srv6Lexer.RPAREN -> {
                    Integer expected = open.poll();
                    if (expected == null || expected != t.getType()) {
                        return State.MISMATCHED;
                    }
                }
                default -> {}
            }
        }
        return open.isEmpty() ? State.BALANCED : State.OPEN;
    }
}
