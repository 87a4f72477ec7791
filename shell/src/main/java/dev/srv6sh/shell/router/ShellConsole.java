package dev.srv6sh.shell.router;

import dev.srv6sh.dataplane.agent.RouterAgent;
import dev.srv6sh.interpreter.RouterShell;
import java.io.PrintWriter;
import java.util.List;

/**
 * The router shell's command language ({@link RouterShell}: edits of the candidate through the
 * language's grammar, {@code show}, {@code commit}, {@code rollback}, ...) behind the SSH server's
 * {@link RouterConsole} seam: one shell, and so one agent session and candidate, per SSH channel.
 */
public final class ShellConsole implements RouterConsole {
    private final RouterShell shell;

    ShellConsole(RouterShell shell) {
        this.shell = shell;
    }

    /** Consoles over {@code agent}, each a router shell with {@code options} for the user who logged in. */
    public static RouterConsole.Factory over(RouterAgent agent, RouterShell.Options options) {
        return user -> new ShellConsole(new RouterShell(agent, user, options));
    }

    @Override
    public int execute(String entry, PrintWriter out, PrintWriter err) {
        RouterShell.Result r = shell.execute(entry);
        out.print(r.out());
        out.flush();
        err.print(r.err());
        err.flush();
        return r.exitCode();
    }

    @Override
    public boolean isComplete(String text) {
        return shell.isComplete(text);
    }

    @Override
    public List<String> complete(String line, int cursor) {
        return shell.complete(line, cursor).stream()
                .map(RouterShell.Suggestion::value)
                .toList();
    }

    @Override
    public String prompt() {
        return shell.prompt();
    }

    @Override
    public void close() {
        shell.close();
    }
}
