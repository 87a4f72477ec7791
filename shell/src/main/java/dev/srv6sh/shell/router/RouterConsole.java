package dev.srv6sh.shell.router;

import dev.srv6sh.dataplane.agent.AgentException;
import java.io.PrintWriter;
import java.util.List;

/**
 * What the SSH server runs a user's lines with, whether they come one per {@code ssh host 'CMD'}
 * (exec), typed at the router shell's prompt (a PTY), or piped in ({@code ssh -T}). One console per
 * SSH channel, opened for the user who logged in and closed with the channel: it holds that user's
 * agent session (their candidate).
 *
 * <p>This is the seam between the SSH server and the router shell's command language: the server
 * knows lines, exit codes, completion and interrupts; the console knows what a line means.
 */
public interface RouterConsole extends AutoCloseable {

    /**
     * Runs one entry (a line, or several when {@link #isComplete} asked for more) and returns its
     * exit code: 0 done, 1 the command failed (a refused commit, a conflict, an unknown SID), 2 a
     * usage or syntax error, as the CLI's. Ctrl-C interrupts the calling thread: a command that waits
     * (a trace) stops, says so, and returns.
     */
    int execute(String entry, PrintWriter out, PrintWriter err);

    /** False while {@code text} stops in the middle of something (an open {@code policy ... {} block). */
    default boolean isComplete(String text) {
        return true;
    }

    /** Words that may stand at {@code cursor} in {@code line} (the word there is what they replace). */
    default List<String> complete(String line, int cursor) {
        return List.of();
    }

    /** The prompt of the interactive shell. */
    default String prompt() {
        return "router# ";
    }

    /** Ends the console: its agent session and candidate are discarded. */
    @Override
    default void close() {}

    /** Opens a console for a user who logged in. */
    @FunctionalInterface
    interface Factory {
        RouterConsole open(String user) throws AgentException;
    }
}
