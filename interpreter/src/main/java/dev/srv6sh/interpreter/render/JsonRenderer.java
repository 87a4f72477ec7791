package dev.srv6sh.interpreter.render;

import dev.srv6sh.interpreter.Result;
import dev.srv6sh.interpreter.Results;
import dev.srv6sh.interpreter.eval.Render;
import java.io.PrintStream;

/**
 * {@code srv6sh run --output json}: one JSON object per line for each operation result, in the
 * order the script produces them, and the {@code exit} line last (docs/output.md); everything
 * human-readable goes, as the {@link TextRenderer} renders it, to another stream (stderr).
 */
public final class JsonRenderer implements Results {
    private final PrintStream out;
    private final TextRenderer text;

    /** JSON lines on {@code out}, the text of every result on {@code text}. */
    public JsonRenderer(PrintStream out, PrintStream text) {
        this.out = out;
        this.text = new TextRenderer(text);
    }

    @Override
    public void accept(Result r) {
        text.accept(r);
        String line = line(r);
        if (line != null) {
            out.println(line);
            out.flush();
        }
    }

    /** Until every operation returns its results: the renderer of the text beside the JSON lines. */
    public TextRenderer text() {
        return text;
    }

    /** Until every operation returns its results: a JSON line for an operation that does not yet. */
    public void emit(String op, Object... keysAndValues) {
        out.println(JsonLines.line(op, keysAndValues));
        out.flush();
    }

    /** A result's JSON line, or null for one that is text only (a bare value, a saved file). */
    public static String line(Result r) {
        return switch (r) {
            case Result.Printed p -> JsonLines.line("print", "value", p.value());
            case Result.ExpectFailed e ->
                JsonLines.line(
                        "expect",
                        "passed",
                        false,
                        "file",
                        e.file(),
                        "line",
                        e.line(),
                        "column",
                        e.column(),
                        "condition",
                        e.condition(),
                        "left",
                        e.left(),
                        "right",
                        e.right(),
                        "message",
                        e.message() == null ? null : Render.text(e.message()));
            case Result.Exit x -> ExitLine.of(x);
            case Result.Echoed e -> null;
            case Result.Saved s -> null;
            case Result.Charted c -> null;
        };
    }
}
