package dev.srv6sh.grammar.diag;

import dev.srv6sh.grammar.ast.Span;

/**
 * Renders a diagnostic the way compilers do:
 *
 * <pre>
 * quickstart.srv6:12:29: error: unknown router 'lrr'
 *   policy to_london encap [lrr.dx4]
 *                           ^~~
 *   did you mean 'lr'?
 * </pre>
 *
 * The caret line copies the tabs of the source line, so it lines up however wide a terminal shows a
 * tab. Columns count code points, as the lexer does.
 */
public final class DiagnosticRenderer {
    private DiagnosticRenderer() {}

    public static String render(Diagnostic d, String sourceText) {
        StringBuilder out = new StringBuilder(d.header());
        Span span = d.span();
        String line = line(sourceText, span.line());
        if (line != null) {
            int[] cps = line.codePoints().toArray();
            int column = Math.min(Math.max(span.column(), 1), cps.length + 1);
            StringBuilder pad = new StringBuilder();
            for (int i = 0; i < column - 1; i++) {
                pad.append(cps[i] == '\t' ? '\t' : ' ');
            }
            int width = span.endLine() == span.line() ? span.endColumn() - span.column() + 1 : cps.length - column + 1;
            width = Math.max(1, Math.min(width, cps.length - column + 1));
            out.append("\n  ").append(line.stripTrailing());
            out.append("\n  ").append(pad).append('^').append("~".repeat(width - 1));
        }
        for (String note : d.notes()) {
            out.append("\n  ").append(note);
        }
        return out.toString();
    }

    /** The 1-based line of the text without its line break, or null when there is none. */
    private static String line(String text, int number) {
        if (text == null || number < 1) {
            return null;
        }
        int start = 0;
        for (int n = 1; n < number; n++) {
            start = text.indexOf('\n', start) + 1;
            if (start == 0) {
                return null;
            }
        }
        int end = text.indexOf('\n', start);
        String line = text.substring(start, end < 0 ? text.length() : end);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
