package dev.srv6sh.grammar.internal;

import static dev.srv6sh.grammar.internal.Srv6Lexer.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/**
 * The canonical layout of a script, computed from its tokens so that comments and line breaks are
 * kept: blocks indent by two, a line continued inside ( [ or a map lines up after the bracket that is
 * still open, operators and keywords get one space, punctuation none, blank lines collapse to one,
 * and consecutive lines of the same shape (same first word, same number of tokens) are aligned in
 * columns, as in {@code region paris  aws "eu-west-3"}. A comment after code keeps its column when
 * there is room, so aligned comments stay aligned. Formatting a formatted script changes nothing.
 */
public final class TokenFormatter {
    private static final Set<Integer> NO_SPACE_BEFORE = Set.of(COMMA, SEMI, RPAREN, RBRACK, DOT);
    private static final Set<Integer> WORDS = Set.of(IDENT, RBRACK, RPAREN, STRING);
    private static final Set<Integer> OPERAND_START = Set.of(
            ASSIGN, LPAREN, LBRACK, LBRACE, COMMA, COLON, ARROW, PLUS, MINUS, STAR, SLASH, PIPE, EQ, NE, LT, LE, GT, GE,
            AND, OR, NOT, IN, RETURN, PRINT, EXPECT, NEWLINE, SEMI);
    private static final Set<Integer> CONTINUES =
            Set.of(COMMA, ARROW, ASSIGN, PLUS, MINUS, STAR, SLASH, PIPE, EQ, NE, LT, LE, GT, GE, AND, OR, NOT, IN);

    private static final Set<Integer> STOPS_ALIGNMENT =
            Set.of(ASSIGN, ARROW, PLUS, MINUS, STAR, SLASH, PIPE, EQ, NE, LT, LE, GT, GE, AND, OR);

    private enum Open {
        BLOCK,
        MAP,
        PAREN,
        BRACK
    }

    private record Opener(Open kind, int column, int lineIndent) {}

    /** One source line: its tokens with their text and whether a space goes before each, and a comment. */
    private static final class Line {
        final List<String> cells = new ArrayList<>();
        final List<Boolean> spaced = new ArrayList<>();
        final List<Integer> types = new ArrayList<>();
        String comment;
        int commentColumn;
        int indent;
        boolean continuation;

        boolean blank() {
            return cells.isEmpty() && comment == null;
        }

        String render() {
            StringBuilder sb = new StringBuilder(" ".repeat(indent));
            for (int i = 0; i < cells.size(); i++) {
                if (i > 0 && spaced.get(i)) {
                    sb.append(' ');
                }
                sb.append(cells.get(i));
            }
            if (comment != null) {
                if (!cells.isEmpty()) {
                    sb.append(" ".repeat(Math.max(1, commentColumn - sb.length())));
                }
                sb.append(comment);
            }
            return sb.toString();
        }
    }

    private TokenFormatter() {}

    /** The formatted text; the caller has checked that the script parses. */
    public static String format(String text) {
        int[] cps = text.codePoints().toArray();
        List<? extends Token> tokens = new Srv6Lexer(CharStreams.fromString(text)).getAllTokens();
        List<Line> lines = split(cps, tokens);
        layout(lines);
        align(lines);
        StringBuilder out = new StringBuilder();
        boolean pendingBlank = false;
        for (Line l : lines) {
            if (l.blank()) {
                pendingBlank = out.length() > 0;
                continue;
            }
            if (pendingBlank) {
                out.append('\n');
                pendingBlank = false;
            }
            out.append(l.render().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** Tokens into lines; the text between tokens holds only blanks and comments. */
    private static List<Line> split(int[] cps, List<? extends Token> tokens) {
        List<Line> lines = new ArrayList<>();
        Line line = new Line();
        int previousEnd = 0;
        int lineStart = 0;
        int previousType = NEWLINE;
        for (Token t : tokens) {
            String gap = new String(cps, previousEnd, t.getStartIndex() - previousEnd);
            int hash = gap.indexOf('#');
            if (hash >= 0) {
                line.comment = gap.substring(hash).stripTrailing();
                line.commentColumn = previousEnd + gap.codePointCount(0, hash) - lineStart;
            }
            previousEnd = t.getStopIndex() + 1;
            if (t.getType() == NEWLINE) {
                lines.add(line);
                line = new Line();
                lineStart = previousEnd;
                previousType = NEWLINE;
                continue;
            }
            line.cells.add(t.getText());
            line.types.add(t.getType());
            line.spaced.add(spaceBefore(previousType, t.getType(), gap.isEmpty()));
            previousType = t.getType();
        }
        String tail = new String(cps, previousEnd, cps.length - previousEnd);
        int hash = tail.indexOf('#');
        if (hash >= 0) {
            line.comment = tail.substring(hash).stripTrailing();
            line.commentColumn = previousEnd + tail.codePointCount(0, hash) - lineStart;
        }
        lines.add(line);
        return lines;
    }

    /** Whether one space separates two tokens; brace and colon spacing is settled in {@link #layout}. */
    private static boolean spaceBefore(int a, int b, boolean adjacentInSource) {
        if (a == NEWLINE || NO_SPACE_BEFORE.contains(b) || a == LPAREN || a == LBRACK || a == DOT) {
            return false;
        }
        if ((b == LBRACK || b == LPAREN) && adjacentInSource && (WORDS.contains(a) || isWordLike(a))) {
            return false; // gw[s], subnet(...): an index or a call, as written
        }
        return true;
    }

    private static boolean isWordLike(int type) {
        return type >= REGION && type <= DIRECT; // soft keywords can be names: to[s]
    }

    /** Indentation, brace kinds, colons and unary minus, line by line with a stack of open brackets. */
    private static void layout(List<Line> lines) {
        Deque<Opener> open = new ArrayDeque<>();
        int previous = NEWLINE;
        boolean continued = false;
        int statementIndent = 0;
        for (Line l : lines) {
            if (l.cells.isEmpty()) {
                l.indent = indentFor(open, continued, statementIndent);
                continue;
            }
            int first = l.types.getFirst();
            boolean closerFirst = first == RBRACE || first == RBRACK || first == RPAREN;
            if (closerFirst && !open.isEmpty()) {
                l.indent = open.peek().lineIndent();
            } else {
                l.indent = indentFor(open, continued, statementIndent);
            }
            l.continuation = continued || (!open.isEmpty() && open.peek().kind() != Open.BLOCK);
            if (!l.continuation) {
                statementIndent = l.indent;
            }
            int column = l.indent;
            for (int i = 0; i < l.cells.size(); i++) {
                int type = l.types.get(i);
                Opener top = open.peek();
                if (type == RBRACE && top != null && top.kind() == Open.MAP) {
                    l.spaced.set(i, false);
                }
                if (type == COLON) {
                    l.spaced.set(i, false);
                }
                if (i > 0 && (previous == COLON && top != null && top.kind() != Open.MAP)) {
                    l.spaced.set(i, false); // a slice xs[1:] or a port 127.0.0.1:22
                }
                if (i > 0 && previous == LBRACE && top != null && top.kind() == Open.MAP) {
                    l.spaced.set(i, false);
                }
                if (i > 0 && previous == MINUS && isUnary(l, i - 1)) {
                    l.spaced.set(i, false);
                }
                if (i > 0 && l.spaced.get(i)) {
                    column++;
                }
                column += l.cells.get(i).codePointCount(0, l.cells.get(i).length());
                switch (type) {
                    case LBRACE ->
                        open.push(new Opener(
                                // a '{' that starts a continued line (a map in a list, say) is a map too
                                (OPERAND_START.contains(previous) && previous != NEWLINE)
                                                || (previous == NEWLINE && l.continuation)
                                        ? Open.MAP
                                        : Open.BLOCK,
                                column,
                                statementIndent));
                    case LPAREN -> open.push(new Opener(Open.PAREN, column, statementIndent));
                    case LBRACK -> open.push(new Opener(Open.BRACK, column, statementIndent));
                    case RBRACE, RPAREN, RBRACK -> {
                        if (!open.isEmpty()) {
                            open.pop();
                        }
                    }
                    default -> {}
                }
                previous = type;
            }
            continued = CONTINUES.contains(previous)
                    && (open.isEmpty() || open.peek().kind() == Open.BLOCK);
            previous = NEWLINE;
        }
    }

    private static int indentFor(Deque<Opener> open, boolean continued, int statementIndent) {
        Opener top = open.peek();
        if (top != null && top.kind() != Open.BLOCK) {
            return top.column();
        }
        int blocks = (int) open.stream().filter(o -> o.kind() == Open.BLOCK).count();
        return continued ? statementIndent + 4 : 2 * blocks;
    }

    private static boolean isUnary(Line l, int minusAt) {
        return minusAt == 0 || OPERAND_START.contains(l.types.get(minusAt - 1));
    }

    /**
     * Aligns columns across runs of consecutive lines that start with the same token and have as many
     * tokens, same indentation, none of them a continuation: the way the specification writes
     * {@code region paris  aws "eu-west-3"} above {@code region london aws "eu-west-2"}. Alignment
     * stops at the first operator.
     */
    private static void align(List<Line> lines) {
        int i = 0;
        while (i < lines.size()) {
            int j = i + 1;
            while (j < lines.size() && alike(lines.get(i), lines.get(j))) {
                j++;
            }
            if (j - i > 1) {
                alignRun(lines.subList(i, j));
            }
            i = j;
        }
    }

    private static boolean alike(Line a, Line b) {
        return !a.cells.isEmpty()
                && !a.continuation
                && !b.continuation
                && a.indent == b.indent
                && a.cells.size() == b.cells.size()
                && a.cells.getFirst().equals(b.cells.getFirst())
                && a.spaced.equals(b.spaced);
    }

    private static void alignRun(List<Line> run) {
        int n = run.getFirst().cells.size();
        int[] pad = new int[run.size()];
        int[] width = new int[run.size()];
        for (int k = 0; k < n; k++) {
            if (STOPS_ALIGNMENT.contains(run.getFirst().types.get(k))) {
                return; // names and words line up; `param duration = 20s` keeps its `=` where it is
            }
            if (k > 0 && run.getFirst().spaced.get(k)) {
                int target = 0;
                for (int r = 0; r < run.size(); r++) {
                    target = Math.max(target, width[r]);
                }
                for (int r = 0; r < run.size(); r++) {
                    if (width[r] < target) {
                        String prev = run.get(r).cells.get(k - 1);
                        run.get(r).cells.set(k - 1, prev + " ".repeat(target - width[r]));
                        pad[r] += target - width[r];
                        width[r] = target;
                    }
                }
            }
            for (int r = 0; r < run.size(); r++) {
                String c = run.get(r).cells.get(k);
                width[r] += (k > 0 && run.get(r).spaced.get(k) ? 1 : 0) + c.codePointCount(0, c.length());
            }
        }
    }
}
