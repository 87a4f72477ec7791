package dev.srv6sh.grammar.parse;

import dev.srv6sh.grammar.diag.Diagnostic;
import dev.srv6sh.grammar.internal.TokenFormatter;
import java.util.List;

/**
 * {@code srv6sh fmt}: the canonical layout of a script, keeping its comments and line breaks. A script
 * that does not parse is not formatted: its diagnostics come back instead.
 */
public final class Formatter {
    private Formatter() {}

    /** The formatted text (null when the script does not parse) and the syntax problems. */
    public record Result(String text, List<Diagnostic> diagnostics) {
        public boolean ok() {
            return text != null;
        }
    }

    public static Result format(String file, String text) {
        ParseResult parsed = Parser.parse(file, text);
        if (!parsed.ok()) {
            return new Result(null, parsed.diagnostics());
        }
        return new Result(TokenFormatter.format(text), List.of());
    }
}
