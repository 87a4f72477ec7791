package dev.srv6sh.interpreter;

import dev.srv6sh.grammar.ast.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * The router shell's reading of an entry before the grammar: where its statements are ({@link
 * #segments}: split at newlines and {@code ;} outside brackets and strings, as the language ends a
 * statement) and, for commands, their words ({@link #words}). Edit statements are not read here: the
 * grammar reads them, at their place in the entry, so that its diagnostics point into the entry as
 * typed.
 */
final class ShellText {
    private ShellText() {}

    /** A statement: chars [start, end) of the entry, and its first word (empty for a comment or a blank). */
    record Segment(int start, int end, String first) {}

    /** A word of a command: chars [start, end), and its text (a quoted string without quotes, unescaped). */
    record Word(int start, int end, String text, boolean quoted) {}

    /**
     * The statements of {@code text}. A newline inside brackets, or after {@code ,}, {@code ->}, an
     * opening bracket or a binary operator, does not end one, as in the language.
     */
    static List<Segment> segments(String text) {
        List<Segment> out = new ArrayList<>();
        int depth = 0;
        boolean string = false;
        int start = 0;
        char last = 0; // the last character that is not blank nor in a comment
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (string) {
                if (c == '\\') {
                    i++;
                }
                if (c != '\n') {
                    string = c != '"';
                    last = c;
                    continue;
                }
                string = false; // unterminated: the string ends with its line, and so may the statement
            }
            if (c == '#') {
                while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
                    i++;
                }
                continue;
            }
            switch (c) {
                case '"' -> string = true;
                case '(', '[', '{' -> depth++;
                case ')', ']', '}' -> depth = Math.max(0, depth - 1);
                default -> {}
            }
            boolean ends = depth == 0 && (c == ';' || c == '\n' && !continues(last));
            if (ends) {
                add(out, text, start, i);
                start = i + 1;
                last = 0;
            } else if (!Character.isWhitespace(c)) {
                last = c;
            }
        }
        add(out, text, start, text.length());
        return out;
    }

    private static boolean continues(char last) {
        return switch (last) {
            case ',', '>', '{', '(', '[', '+', '*', '/', '|', '=', '-' -> true;
            default -> false;
        };
    }

    private static void add(List<Segment> out, String text, int start, int end) {
        List<Word> w = words(text, start, end);
        if (!w.isEmpty()) {
            out.add(new Segment(
                    start, end, w.getFirst().quoted() ? "\"" : w.getFirst().text()));
        }
    }

    /** The words of chars [start, end): blank-separated, a string in quotes one word, a comment none. */
    static List<Word> words(String text, int start, int end) {
        List<Word> out = new ArrayList<>();
        int i = start;
        while (i < end) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == ';') {
                i++;
            } else if (c == '#') {
                break;
            } else if (c == '"') {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                boolean closed = false;
                while (j < end && text.charAt(j) != '\n') {
                    char d = text.charAt(j);
                    if (d == '"') {
                        closed = true;
                        j++;
                        break;
                    }
                    if (d == '\\' && j + 1 < end) {
                        char e = text.charAt(++j);
                        sb.append(
                                switch (e) {
                                    case 'n' -> '\n';
                                    case 't' -> '\t';
                                    default -> e;
                                });
                    } else {
                        sb.append(d);
                    }
                    j++;
                }
                out.add(new Word(i, j, closed ? sb.toString() : null, true));
                i = j;
            } else {
                int j = i;
                while (j < end && !Character.isWhitespace(text.charAt(j)) && text.charAt(j) != ';') {
                    j++;
                }
                out.add(new Word(i, j, text.substring(i, j), false));
                i = j;
            }
        }
        return out;
    }

    /**
     * {@code text} with everything outside {@code keep} blanked (line breaks and {@code ;} stay, so
     * that statements stay apart): what the grammar
     * reads of an entry's edit statements, at the positions they have in the entry.
     */
    static String only(String text, List<Segment> keep) {
        char[] out = text.toCharArray();
        for (int i = 0; i < out.length; i++) {
            int at = i;
            boolean kept = keep.stream().anyMatch(s -> at >= s.start() && at < s.end());
            if (!kept && out[i] != '\n' && out[i] != '\r' && out[i] != ';') {
                out[i] = ' ';
            }
        }
        return new String(out);
    }

    /** The span of chars [start, end) of {@code text} in entry {@code file}, in lines and code-point columns. */
    static Span span(String file, String text, int start, int end) {
        int[] from = position(text, start);
        int[] to = position(text, Math.max(start, end - 1));
        return new Span(
                file,
                from[0],
                from[1],
                to[0],
                to[1],
                text.codePointCount(0, start),
                text.codePointCount(0, Math.max(start, end)));
    }

    private static int[] position(String text, int offset) {
        int line = 1;
        int lineStart = 0;
        int at = Math.min(offset, text.length());
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new int[] {line, text.codePointCount(lineStart, at) + 1};
    }
}
