package dev.srv6sh.interpreter;

/**
 * Where a running script's {@link Result}s go, one by one, in the order the script produces them:
 * a renderer that whoever drives the evaluator chose (the shell: text, or JSON lines with {@code
 * --output json}), so that the interpreter itself never prints. Results arrive on the interpreter's
 * thread; {@link Progress} events are separate.
 */
@FunctionalInterface
public interface Results {
    void accept(Result r);

    /** Ignores everything: a check, which has no results. */
    Results NONE = r -> {};
}
