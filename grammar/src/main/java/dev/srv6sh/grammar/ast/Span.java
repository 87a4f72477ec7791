package dev.srv6sh.grammar.ast;

/**
 * Where a node stands in its source: 1-based line and column of its first and last character, and
 * the 0-based character offsets [start, end) into the text.
 */
public record Span(String file, int line, int column, int endLine, int endColumn, int start, int end) {

    /** A span for values that do not come from a script (command-line parameters, built-ins). */
    public static Span synthetic(String what) {
        return new Span(what, 0, 0, 0, 0, 0, 0);
    }

    /** The smallest span that covers both. */
    public Span to(Span other) {
        return new Span(file, line, column, other.endLine, other.endColumn, start, other.end);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
