package dev.srv6sh.grammar.diag;

import dev.srv6sh.grammar.ast.Span;
import java.util.List;

/**
 * One problem in a script: where, what, and optional notes such as {@code did you mean 'lr'?}.
 * Syntax errors (grammar) and check errors (interpreter) share this type and its rendering.
 */
public record Diagnostic(Severity severity, Span span, String message, List<String> notes) {

    public enum Severity {
        ERROR,
        WARNING;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static Diagnostic error(Span span, String message, String... notes) {
        return new Diagnostic(Severity.ERROR, span, message, List.of(notes));
    }

    /** The header line alone: {@code file:line:col: error: message}. */
    public String header() {
        return span.file() + ":" + span.line() + ":" + span.column() + ": " + severity.label() + ": " + message;
    }
}
