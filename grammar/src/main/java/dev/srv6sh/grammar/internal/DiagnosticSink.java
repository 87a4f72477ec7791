package dev.srv6sh.grammar.internal;

import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.diag.Diagnostic;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the problems of one parse. Syntax errors are kept to the first one per line: after a
 * parser error the rest of that line is mostly noise from recovery, while the next line deserves its
 * own report.
 */
final class DiagnosticSink {
    private record Entry(Diagnostic diagnostic, boolean atEnd, int order) {}

    private final List<Entry> entries = new ArrayList<>();
    private final Set<Integer> linesWithSyntaxErrors = new HashSet<>();

    void syntax(Span span, String message, boolean atEnd, String... notes) {
        if (!linesWithSyntaxErrors.add(span.line())) {
            return;
        }
        entries.add(new Entry(Diagnostic.error(span, message, notes), atEnd, entries.size()));
    }

    void error(Span span, String message, String... notes) {
        Diagnostic d = Diagnostic.error(span, message, notes);
        if (entries.stream().noneMatch(e -> e.diagnostic().equals(d))) {
            entries.add(new Entry(d, false, entries.size()));
        }
    }

    boolean hasSyntaxErrors() {
        return !linesWithSyntaxErrors.isEmpty();
    }

    /** True when the earliest problem sits at the end of the input: the REPL should read more lines. */
    boolean firstIsAtEnd() {
        return sorted().stream().findFirst().map(Entry::atEnd).orElse(false);
    }

    List<Diagnostic> diagnostics() {
        return sorted().stream().map(Entry::diagnostic).toList();
    }

    private List<Entry> sorted() {
        return entries.stream()
                .sorted(Comparator.comparingInt(
                                (Entry e) -> e.diagnostic().span().start())
                        .thenComparingInt(Entry::order))
                .toList();
    }
}
