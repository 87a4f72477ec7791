package dev.srv6sh.grammar.internal;

import static dev.srv6sh.grammar.internal.Srv6Parser.*;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Tokens and sets of tokens in words a user understands: {@code 'lc'}, {@code end of line}, {@code
 * an expression}. ANTLR's token names (NEWLINE, IDENT) never reach a message.
 */
final class TokenWords {
    private TokenWords() {}

    private static final Set<Integer> LITERALS = Set.of(
            NUMBER,
            HEXNUM,
            QUANTITY,
            STRING,
            UNTERMINATED_STRING,
            TRUE,
            FALSE,
            IPV4,
            IPV6,
            IPV4_PREFIX,
            IPV6_PREFIX,
            MAC,
            PING,
            MEASURE);
    private static final Set<Integer> EXPRESSION_START = Set.of(LBRACK, LBRACE, LPAREN, MINUS, NOT);
    private static final Set<Integer> STATEMENT_START = Set.of(LET, PARAM, FOR, IF, FN, RETURN, IMPORT);
    private static final Set<Integer> CONTINUATIONS =
            Set.of(DOT, LBRACK, LPAREN, PLUS, MINUS, STAR, SLASH, PIPE, EQ, NE, LT, LE, GT, GE, IN, AND, OR);

    /** The offending token: {@code 'lc'}, {@code ')'}, {@code end of line}. */
    static String token(Token t) {
        int type = t.getType();
        if (type == Token.EOF) {
            return "}".equals(t.getText()) ? "'}'" : "end of input";
        }
        if (type == NEWLINE) {
            return "end of line";
        }
        String text = t.getText() == null ? "" : t.getText();
        if (text.length() > 24) {
            text = text.substring(0, 21) + "...";
        }
        if (type == STRAY) {
            return "character '" + text + "'";
        }
        if (type == STRING) {
            return "string " + text;
        }
        return "'" + text + "'";
    }

    /** What the parser would have accepted, most useful first, or "" when nothing sensible. */
    static String expected(IntervalSet set, Token offending) {
        Set<Integer> types = new LinkedHashSet<>(set.toList());
        types.remove(Token.EPSILON);
        List<String> words = new ArrayList<>();
        if (types.contains(LET) && types.contains(PARAM)) {
            words.add("a statement");
            types.removeAll(STATEMENT_START);
            types.removeIf(TokenWords::isName);
            types.removeAll(LITERALS);
            types.removeAll(EXPRESSION_START);
        } else if (types.stream().anyMatch(LITERALS::contains)) {
            words.add("an expression");
            types.removeIf(TokenWords::isName);
            types.removeAll(LITERALS);
            types.removeAll(EXPRESSION_START);
        } else if (types.contains(IDENT)) {
            words.add("a name");
            types.removeIf(TokenWords::isName);
        }
        Set<Integer> continuations = new LinkedHashSet<>(types);
        continuations.retainAll(CONTINUATIONS);
        types.removeAll(CONTINUATIONS);
        boolean endOfLine = types.remove(NEWLINE) | types.remove(SEMI);
        boolean endOfInput = types.remove(Token.EOF);
        // At the end of the input no newline can come; elsewhere "end of line" already says it.
        if (endOfLine && offending.getType() != Token.EOF) {
            words.add("end of line");
        } else if (endOfInput && offending.getType() != Token.EOF) {
            words.add("end of input");
        }
        types.forEach(t -> words.add(literal(t)));
        if (words.isEmpty()) {
            // Only operators would continue here; name a few rather than say nothing.
            continuations.stream().limit(3).forEach(t -> words.add(literal(t)));
        }
        return join(words);
    }

    private static boolean isName(int type) {
        return type == IDENT || type == DIRECT || (type >= REGION && type <= WEIGHT);
    }

    private static String literal(int type) {
        String name = VOCABULARY.getLiteralName(type);
        return name != null ? name : VOCABULARY.getDisplayName(type).toLowerCase(java.util.Locale.ROOT);
    }

    private static String join(List<String> words) {
        if (words.size() > 5) {
            words = new ArrayList<>(words.subList(0, 4));
            words.add("...");
        }
        if (words.size() <= 1) {
            return words.isEmpty() ? "" : words.getFirst();
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.getLast();
    }
}
