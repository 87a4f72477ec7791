package dev.srv6sh.shell.router;

import dev.srv6sh.dataplane.agent.AgentException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.channel.ChannelSession;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The router shell of an SSH session. With a PTY: the line editor at a prompt, until {@code exit} or
 * Ctrl-D; Ctrl-C at the prompt clears the line, during a command interrupts the command (not the
 * session). Without one ({@code ssh -T}, or a file piped in): entries read line by line with no
 * prompt, stopping at the first that fails, whose exit status the session ends with (a script
 * should not commit after a refused edit).
 */
final class ShellSession extends ChannelCommand {
    private final RouterConsole.Factory consoles;
    private final Path historyDir;

    ShellSession(RouterConsole.Factory consoles, Path historyDir, Consumer<String> log) {
        super(log);
        this.consoles = consoles;
        this.historyDir = historyDir;
    }

    @Override
    protected String what() {
        return "shell";
    }

    @Override
    protected int run(ChannelSession channel, Environment env, String user) throws Exception {
        return hasPty(channel) ? interactive(env, user) : piped(user);
    }

    private int interactive(Environment env, String user) throws Exception {
        try (Terminal t = SshTerminal.open(in, out, env)) {
            PrintWriter w = t.writer();
            RouterConsole console;
            try {
                console = consoles.open(user);
            } catch (AgentException e) {
                w.println("error: " + e.getMessage());
                w.flush();
                return 1;
            }
            try (console) {
                boolean color = !t.getType().startsWith(Terminal.TYPE_DUMB)
                        && !env.getEnv().containsKey("NO_COLOR");
                LineReader reader = ConsoleReader.build(t, console, ConsoleReader.history(historyDir, user), color);
                w.println("srv6sh router shell - help lists the commands, exit or Ctrl-D leaves");
                w.flush();
                while (!destroyed) {
                    String line;
                    try {
                        line = reader.readLine(console.prompt());
                    } catch (UserInterruptException e) {
                        continue; // Ctrl-C at the prompt: a fresh line
                    } catch (EndOfFileException e) {
                        break;
                    }
                    if (isExit(line)) {
                        break;
                    }
                    if (!line.isBlank()) {
                        interruptible(t, console, line, w);
                        w.flush();
                    }
                }
                return 0;
            }
        }
    }

    /** Runs an entry with Ctrl-C (the terminal's INT, from the client's 0x03) interrupting this thread. */
    private static int interruptible(Terminal t, RouterConsole console, String entry, PrintWriter w) {
        Thread self = Thread.currentThread();
        Object guard = new Object();
        boolean[] running = {true};
        Terminal.SignalHandler previous = t.handle(Terminal.Signal.INT, s -> {
            synchronized (guard) {
                if (running[0]) {
                    self.interrupt();
                }
            }
        });
        try {
            return execute(console, entry, w, w);
        } finally {
            synchronized (guard) {
                running[0] = false;
            }
            Thread.interrupted(); // a Ctrl-C the command did not wait to see must not end the next read
            t.handle(Terminal.Signal.INT, previous);
        }
    }

    private int piped(String user) throws Exception {
        PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8));
        RouterConsole console;
        try {
            console = consoles.open(user);
        } catch (AgentException x) {
            e.println("error: " + x.getMessage());
            e.flush();
            return 1;
        }
        try (console) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            StringBuilder entry = new StringBuilder();
            String line;
            int status = 0;
            while (status == 0 && (line = r.readLine()) != null) {
                if (entry.isEmpty() && isExit(line)) {
                    break;
                }
                entry.append(line);
                if (!console.isComplete(entry.toString())) {
                    entry.append('\n');
                    continue;
                }
                String text = entry.toString();
                entry.setLength(0);
                if (!text.isBlank()) {
                    status = execute(console, text, o, e);
                    o.flush();
                    e.flush();
                }
            }
            if (status == 0 && !entry.isEmpty()) { // cut off inside a block: the console says what is missing
                status = execute(console, entry.toString(), o, e);
            }
            o.flush();
            e.flush();
            return status;
        }
    }
}
