package dev.srv6sh.interpreter.eval;

import dev.srv6sh.grammar.ast.Span;

/** A backend or runtime error while running a correct script. {@code run} exits 3. */
public final class RuntimeFailure extends RuntimeException {
    private final Span span;

    public RuntimeFailure(Span span, String message) {
        super(message, null, false, false);
        this.span = span;
    }

    public RuntimeFailure(Span span, String message, Throwable cause) {
        super(message, cause, false, false);
        this.span = span;
    }

    public Span span() {
        return span;
    }
}
