package dev.srv6sh.shell.router;

import dev.srv6sh.grammar.parse.Tokens;
import dev.srv6sh.shell.repl.ReplHighlighter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;
import org.jline.reader.Candidate;
import org.jline.reader.EOFError;
import org.jline.reader.Highlighter;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * The router shell's line editor: the REPL's (JLine, the language's token colors, Ctrl-R through a
 * history kept per user) with the console's own continuation rule (Enter inside an open {@code {}
 * block asks for another line) and completion.
 */
final class ConsoleReader {
    private ConsoleReader() {}

    static final String CONTINUATION = "   ...> ";

    /** A line reader for {@code console} on {@code terminal}; {@code history} may be null (none kept). */
    static LineReader build(Terminal terminal, RouterConsole console, Path history, boolean color) {
        LineReaderBuilder b = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("srv6sh-router")
                .parser(new EntryParser(console))
                .completer((reader, line, out) -> {
                    for (String c : console.complete(line.line(), line.cursor())) {
                        out.add(new Candidate(c, c, null, null, null, null, true));
                    }
                })
                .highlighter(new TokenColors(color))
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.INSERT_TAB, false);
        if (history != null) {
            b.variable(LineReader.HISTORY_FILE, history);
        }
        return b.build();
    }

    /**
     * {@code dir/USER}, made owner-only (what a user typed names someone's network), or null when it
     * cannot be: a shell without history rather than no shell.
     */
    static Path history(Path dir, String user) {
        if (dir == null) {
            return null;
        }
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path file = dir.resolve(user); // a plain name: KeyAuthenticator refuses any other
            if (!Files.exists(file)) {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            return file;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Splits the buffer for JLine: the word at the cursor, and "more" while the entry is incomplete. */
    private record EntryParser(RouterConsole console) implements Parser {
        private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.:/-]");

        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) {
            if (context == ParseContext.ACCEPT_LINE && !line.isBlank() && !console.isComplete(line)) {
                throw new EOFError(-1, -1, "incomplete entry", "more");
            }
            int c = Math.max(0, Math.min(cursor, line.length()));
            int start = c;
            while (start > 0
                    && WORD.matcher(String.valueOf(line.charAt(start - 1))).matches()) {
                start--;
            }
            return new dev.srv6sh.shell.repl.WordLine(line, c, start);
        }
    }

    /** The language's token colors, as the REPL shows them. */
    private record TokenColors(boolean color) implements Highlighter {
        @Override
        public AttributedString highlight(LineReader reader, String buffer) {
            if (!color || buffer.isEmpty()) {
                return new AttributedString(buffer);
            }
            AttributedStyle[] styles = new AttributedStyle[buffer.length()];
            for (Tokens.Token t : Tokens.of(buffer)) {
                for (int i = t.start(); i < t.end() && i < styles.length; i++) {
                    styles[i] = ReplHighlighter.style(t.kind());
                }
            }
            AttributedStringBuilder sb = new AttributedStringBuilder(buffer.length() + 32);
            for (int i = 0; i < buffer.length(); i++) {
                sb.style(styles[i] == null ? AttributedStyle.DEFAULT : styles[i]);
                sb.append(buffer.charAt(i));
            }
            return sb.toAttributedString();
        }

        @Override
        public void setErrorPattern(Pattern errorPattern) {}

        @Override
        public void setErrorIndex(int errorIndex) {}
    }
}
