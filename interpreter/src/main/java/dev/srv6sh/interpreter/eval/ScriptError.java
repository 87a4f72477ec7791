package dev.srv6sh.interpreter.eval;

import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.diag.Diagnostic;

/** A script that does not check: unknown names, wrong types, bad arguments. {@code run} exits 2. */
public final class ScriptError extends RuntimeException {
    private final Diagnostic diagnostic;

    public ScriptError(Span span, String message, String... notes) {
        super(message, null, false, false);
        this.diagnostic = Diagnostic.error(span, message, notes);
    }

    public Diagnostic diagnostic() {
        return diagnostic;
    }
}
