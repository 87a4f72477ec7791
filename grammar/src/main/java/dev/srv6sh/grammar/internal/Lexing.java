package dev.srv6sh.grammar.internal;

import com.vmware.antlr4c3.CodeCompletionCore;
import dev.srv6sh.grammar.parse.Tokens;
import dev.srv6sh.grammar.parse.Tokens.Kind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;

/**
 * The lexer and the parser's grammar, for the REPL: token classes for highlighting, and with
 * antlr4-c3 the keywords and kinds of name that may come at a caret, for completion. The public
 * face is {@code parse.Tokens} and {@code parse.Completion}.
 */
public final class Lexing {
    private Lexing() {}

    /**
     * Every token of {@code text}, and its comments, in order, as {@link Tokens.Token}s in char
     * offsets (the lexer counts code points; one table converts).
     */
    public static List<Tokens.Token> classify(String text) {
        List<Tokens.Token> out = new ArrayList<>();
        Srv6Lexer lexer = new Srv6Lexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        int[] cps = text.codePoints().toArray();
        int[] charAt = new int[cps.length + 1];
        for (int k = 0; k < cps.length; k++) {
            charAt[k + 1] = charAt[k] + Character.charCount(cps[k]);
        }
        int gap = 0;
        List<Token> tokens = new ArrayList<>();
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            tokens.add(t);
        }
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            comments(cps, charAt, gap, t.getStartIndex(), out);
            gap = t.getStopIndex() + 1;
            if (isBehaviorStart(tokens, i)) {
                int j = i;
                while (j + 2 < tokens.size()
                        && tokens.get(j + 1).getType() == Srv6Lexer.DOT
                        && tokens.get(j + 2).getType() == Srv6Lexer.IDENT
                        && tokens.get(j + 1).getStartIndex() == tokens.get(j).getStopIndex() + 1) {
                    j += 2;
                }
                out.add(new Tokens.Token(
                        Kind.BEHAVIOR,
                        charAt[t.getStartIndex()],
                        charAt[tokens.get(j).getStopIndex() + 1]));
                gap = tokens.get(j).getStopIndex() + 1;
                i = j;
                continue;
            }
            boolean afterDot = i > 0 && tokens.get(i - 1).getType() == Srv6Lexer.DOT;
            out.add(new Tokens.Token(
                    kind(t.getType(), afterDot), charAt[t.getStartIndex()], charAt[t.getStopIndex() + 1]));
        }
        comments(cps, charAt, gap, cps.length, out);
        return out;
    }

    /** {@code End}, {@code H} or a dotted name starting with either: RFC 8986 names every behavior so. */
    private static boolean isBehaviorStart(List<Token> tokens, int i) {
        Token t = tokens.get(i);
        if (t.getType() != Srv6Lexer.IDENT
                || !(t.getText().equals("End") || t.getText().equals("H"))) {
            return false;
        }
        return i == 0 || tokens.get(i - 1).getType() != Srv6Lexer.DOT;
    }

    private static void comments(int[] cps, int[] charAt, int from, int to, List<Tokens.Token> out) {
        for (int i = from; i < to; i++) {
            if (cps[i] == '#') {
                int end = i;
                while (end < to && cps[end] != '\n' && cps[end] != '\r') {
                    end++;
                }
                out.add(new Tokens.Token(Kind.COMMENT, charAt[i], charAt[end]));
                i = end;
            }
        }
    }

    private static Kind kind(int type, boolean afterDot) {
        return switch (type) {
            case Srv6Lexer.IPV4, Srv6Lexer.IPV6, Srv6Lexer.IPV4_PREFIX, Srv6Lexer.IPV6_PREFIX, Srv6Lexer.MAC ->
                Kind.ADDRESS;
            case Srv6Lexer.QUANTITY -> Kind.QUANTITY;
            case Srv6Lexer.NUMBER, Srv6Lexer.HEXNUM -> Kind.NUMBER;
            case Srv6Lexer.STRING, Srv6Lexer.UNTERMINATED_STRING -> Kind.STRING;
            case Srv6Lexer.STRAY -> Kind.ERROR;
            case Srv6Lexer.IDENT -> Kind.NAME;
            default -> isWord(type) ? (afterDot ? Kind.NAME : Kind.KEYWORD) : Kind.PUNCTUATION;
        };
    }

    private static boolean isWord(int type) {
        String literal = Srv6Lexer.VOCABULARY.getLiteralName(type);
        return literal != null && literal.matches("'[a-z][a-z-]*'");
    }

    // ---- completion --------------------------------------------------------------------------------

    /** What may stand where a word starts: the keywords that fit, and the kinds of name expected. */
    public enum Slot {
        /** A value: a declared name, a let, a function. */
        NAME,
        /** A member after a dot ({@code lr.dx4}, {@code r.rtt}). */
        MEMBER,
        /** A SID behavior ({@code End.DX4}). */
        BEHAVIOR,
        /** A policy mode ({@code encap}). */
        POLICY_MODE,
        /** A behavior's argument key ({@code nh}, {@code table}). */
        ARGUMENT
    }

    public record Candidates(List<String> keywords, Set<Slot> slots) {}

    /**
     * The candidates for a word starting at code point {@code offset} of {@code text} (what comes
     * after it is ignored).
     */
    public static Candidates candidatesAt(String text, int offset) {
        String before = new String(text.codePoints().limit(offset).toArray(), 0, offset);
        Srv6Lexer lexer = new Srv6Lexer(CharStreams.fromString(before));
        lexer.removeErrorListeners();
        NewlineFilter filter = new NewlineFilter(lexer, "<completion>", new DiagnosticSink(), Integer.MAX_VALUE);
        CommonTokenStream stream = new CommonTokenStream(filter);
        stream.fill();
        Srv6Parser parser = new Srv6Parser(stream);
        parser.removeErrorListeners();
        CodeCompletionCore core = new CodeCompletionCore(parser, PREFERRED, Set.of());
        CodeCompletionCore.CandidatesCollection c = core.collectCandidates(stream.size() - 1, null);
        Vocabulary v = parser.getVocabulary();
        Set<String> keywords = new TreeSet<>();
        for (int type : c.tokens.keySet()) {
            if (isWord(type)) {
                String lit = v.getLiteralName(type);
                keywords.add(lit.substring(1, lit.length() - 1));
            }
        }
        Set<Slot> slots = EnumSet.noneOf(Slot.class);
        for (Map.Entry<Integer, List<Integer>> e : c.rules.entrySet()) {
            List<Integer> stack = e.getValue();
            List<Integer> seen = c.rulePositions.get(e.getKey());
            if (seen != null && seen.size() == 2 && seen.get(1) >= offset) {
                // antlr4-c3 1.1 also reports a rule that began before the caret and could go on
                // (after `sid x End.DX4 ` the behavior could still take `.More`); its recorded
                // extent then reaches the caret. Only a rule that starts here is a candidate.
                continue;
            }
            switch (e.getKey()) {
                case Srv6Parser.RULE_valueName -> slots.add(Slot.NAME);
                case Srv6Parser.RULE_dotted ->
                    slots.add(stack.contains(Srv6Parser.RULE_policyDecl) ? Slot.POLICY_MODE : Slot.BEHAVIOR);
                case Srv6Parser.RULE_argKey -> {
                    if (stack.contains(Srv6Parser.RULE_sidDecl)) {
                        slots.add(Slot.ARGUMENT);
                    }
                }
                case Srv6Parser.RULE_ident -> {
                    if (!stack.isEmpty() && stack.getLast() == Srv6Parser.RULE_postfixOp) {
                        slots.add(Slot.MEMBER);
                    }
                }
                default -> {}
            }
        }
        return new Candidates(List.copyOf(keywords), slots);
    }

    private static final Set<Integer> PREFERRED = Set.of(
            Srv6Parser.RULE_valueName,
            Srv6Parser.RULE_declName,
            Srv6Parser.RULE_dotted,
            Srv6Parser.RULE_argKey,
            Srv6Parser.RULE_ident,
            Srv6Parser.RULE_settingKey);
}
