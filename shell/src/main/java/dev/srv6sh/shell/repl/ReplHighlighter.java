package dev.srv6sh.shell.repl;

import dev.srv6sh.grammar.diag.Diagnostic;
import dev.srv6sh.grammar.parse.ParseResult;
import dev.srv6sh.grammar.parse.Parser;
import dev.srv6sh.grammar.parse.Tokens;
import dev.srv6sh.interpreter.Session;
import java.util.regex.Pattern;
import org.jline.reader.Highlighter;
import org.jline.reader.LineReader;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Colors from the lexer: keywords, behaviors, addresses, quantities and numbers, strings, comments;
 * a character the language has no use for, and the first syntax error of an entry that is complete
 * (so not the end of a line still being typed), in red.
 */
public final class ReplHighlighter implements Highlighter {
    private final boolean color;

    ReplHighlighter(boolean color) {
        this.color = color;
    }

    @Override
    public AttributedString highlight(LineReader reader, String buffer) {
        if (!color || buffer.isEmpty() || buffer.startsWith(":")) {
            return new AttributedString(buffer);
        }
        AttributedStyle[] styles = new AttributedStyle[buffer.length()];
        for (Tokens.Token t : Tokens.of(buffer)) {
            AttributedStyle s = style(t.kind());
            for (int i = t.start(); i < t.end() && i < styles.length; i++) {
                styles[i] = s;
            }
        }
        if (Session.isComplete(buffer)) {
            ParseResult parsed = Parser.parse("<entry>", buffer);
            for (Diagnostic d : parsed.diagnostics()) {
                int from = offset(buffer, d.span().line(), d.span().column());
                int to = d.span().endLine() == d.span().line()
                        ? from + Math.max(1, d.span().endColumn() - d.span().column() + 1)
                        : from + 1;
                for (int i = Math.max(0, from); i < Math.min(to, styles.length); i++) {
                    styles[i] = AttributedStyle.DEFAULT
                            .foreground(AttributedStyle.RED)
                            .underline();
                }
            }
        }
        AttributedStringBuilder sb = new AttributedStringBuilder(buffer.length() + 32);
        for (int i = 0; i < buffer.length(); i++) {
            sb.style(styles[i] == null ? AttributedStyle.DEFAULT : styles[i]);
            sb.append(buffer.charAt(i));
        }
        return sb.toAttributedString();
    }

    private static int offset(String text, int line, int column) {
        int at = 0;
        for (int l = 1; l < line; l++) {
            at = text.indexOf('\n', at) + 1;
            if (at == 0) {
                return text.length();
            }
        }
        return Math.min(text.length(), at + Math.max(0, column - 1));
    }

    /** The color of a kind of token, in the REPL and the router shell alike. */
    public static AttributedStyle style(Tokens.Kind kind) {
        AttributedStyle d = AttributedStyle.DEFAULT;
        return switch (kind) {
            case KEYWORD -> d.foreground(AttributedStyle.BLUE).bold();
            case BEHAVIOR -> d.foreground(AttributedStyle.MAGENTA).bold();
            case ADDRESS -> d.foreground(AttributedStyle.CYAN);
            case QUANTITY, NUMBER -> d.foreground(AttributedStyle.YELLOW);
            case STRING -> d.foreground(AttributedStyle.GREEN);
            case COMMENT -> d.foreground(AttributedStyle.BRIGHT).italic();
            case ERROR -> d.foreground(AttributedStyle.RED).underline();
            case NAME, PUNCTUATION -> d;
        };
    }

    @Override
    public void setErrorPattern(Pattern errorPattern) {}

    @Override
    public void setErrorIndex(int errorIndex) {}
}
