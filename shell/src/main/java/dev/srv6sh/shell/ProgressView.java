package dev.srv6sh.shell;

import dev.srv6sh.interpreter.Progress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Renders {@link Progress} events on stderr: on a terminal, a bar redrawn in place and replaced by
 * the result when the operation finishes; otherwise (a CI log, a pipe) one line per finished
 * operation. Colors only on a terminal and never with NO_COLOR.
 */
public final class ProgressView implements Progress {
    private final PrintStream err;
    private final boolean terminal;
    private final boolean color;
    private boolean barShown;

    public ProgressView(PrintStream err, boolean terminal, boolean color) {
        this.err = err;
        this.terminal = terminal;
        this.color = color && terminal;
    }

    /** The view this process's stderr calls for. */
    static ProgressView forThisProcess(PrintStream err) {
        var console = System.console();
        boolean terminal = console != null && console.isTerminal();
        String noColor = System.getenv("NO_COLOR");
        return new ProgressView(err, terminal, noColor == null || noColor.isEmpty());
    }

    @Override
    public synchronized void event(Event e) {
        switch (e.kind()) {
            case STARTED, PROGRESS -> {
                if (terminal) {
                    err.print("\r" + bar(e) + "\u001b[K");
                    err.flush();
                    barShown = true;
                }
            }
            case FAILED -> {
                // the error is printed on its own; only the bar goes
                if (terminal && barShown) {
                    err.print("\r\u001b[K");
                    err.flush();
                    barShown = false;
                }
            }
            case FINISHED -> {
                String line = e.operation() + ": " + e.summary() + " [" + seconds(e.elapsed()) + "]";
                if (terminal && barShown) {
                    err.print("\r\u001b[K");
                    barShown = false;
                }
                err.println(color ? "\u001b[32m✓\u001b[0m " + line : line);
                err.flush();
            }
        }
    }

    static String bar(Event e) {
        int width = 24;
        int filled = (int) Math.round(e.fraction() * width);
        String expected = e.expected() == null ? "" : "/" + seconds(e.expected());
        return e.operation() + " [" + "#".repeat(filled) + ".".repeat(width - filled) + "] "
                + Math.round(e.fraction() * 100) + "% " + seconds(e.elapsed()) + expected;
    }

    private static String seconds(java.time.Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
