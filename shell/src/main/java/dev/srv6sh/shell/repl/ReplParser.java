package dev.srv6sh.shell.repl;

import dev.srv6sh.interpreter.Session;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

/**
 * How JLine splits the buffer: Enter on an entry that stops in the middle of something (an open
 * brace, a trailing operator; the language parser's {@code isComplete}) asks for another line with
 * the continuation prompt; the word at the cursor, for completion, is a name with its dots
 * ({@code lr.dx4}, {@code End.DX4}) or, after {@code import}, {@code save}, {@code chart},
 * {@code :load} and {@code :save}, a file path.
 */
final class ReplParser implements Parser {
    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        if (context == ParseContext.ACCEPT_LINE
                && !line.strip().startsWith(":")
                && !line.isBlank()
                && !Session.isComplete(line)) {
            throw new EOFError(-1, -1, "incomplete entry", "more");
        }
        int c = Math.max(0, Math.min(cursor, line.length()));
        int start = ReplCompleter.isPathPosition(line.substring(0, c)) ? pathStart(line, c) : wordStart(line, c);
        return new WordLine(line, c, start);
    }

    static int wordStart(String line, int cursor) {
        int i = cursor;
        while (i > 0 && (Character.isLetterOrDigit(line.charAt(i - 1)) || "_.".indexOf(line.charAt(i - 1)) >= 0)) {
            i--;
        }
        return i;
    }

    private static int pathStart(String line, int cursor) {
        int i = cursor;
        while (i > 0 && !Character.isWhitespace(line.charAt(i - 1)) && line.charAt(i - 1) != '"') {
            i--;
        }
        return i;
    }
}
