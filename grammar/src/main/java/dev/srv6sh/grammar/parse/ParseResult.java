package dev.srv6sh.grammar.parse;

import dev.srv6sh.grammar.ast.Program;
import dev.srv6sh.grammar.diag.Diagnostic;
import java.util.List;

/**
 * A parsed file and its syntax problems, sorted by position. With errors the program holds the
 * statements that did parse, so a checker or the REPL can still work with them.
 */
public record ParseResult(Program program, List<Diagnostic> diagnostics) {
    public ParseResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean ok() {
        return diagnostics.stream().noneMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
    }
}
