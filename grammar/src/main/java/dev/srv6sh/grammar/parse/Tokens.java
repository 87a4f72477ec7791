package dev.srv6sh.grammar.parse;

import dev.srv6sh.grammar.internal.Lexing;
import java.util.List;

/**
 * The lexer's view of a text, for syntax highlighting: every token (and comment) with its class.
 * Offsets are {@code char} indexes into the text, as a terminal line editor counts them.
 */
public final class Tokens {
    private Tokens() {}

    public enum Kind {
        /** A word of the language: {@code router}, {@code ping}, {@code in}. */
        KEYWORD,
        /** A SID behavior: {@code End.DX4}, {@code H.Encaps}. */
        BEHAVIOR,
        /** An IPv4/IPv6 address or prefix, or a MAC address. */
        ADDRESS,
        /** A number with a unit: {@code 9.4ms}, {@code 10%}. */
        QUANTITY,
        NUMBER,
        STRING,
        COMMENT,
        /** Any other word: a declared name, a field, a function. */
        NAME,
        PUNCTUATION,
        /** A character the language has no use for. */
        ERROR
    }

    /** One classified stretch of text: chars [start, end). */
    public record Token(Kind kind, int start, int end) {}

    /** The tokens and comments of {@code text}, in order; never throws. */
    public static List<Token> of(String text) {
        String t = text == null ? "" : text;
        try {
            return Lexing.classify(t);
        } catch (RuntimeException bug) {
            return List.of(); // highlighting is a nicety: a lexer bug leaves the line plain
        }
    }
}
