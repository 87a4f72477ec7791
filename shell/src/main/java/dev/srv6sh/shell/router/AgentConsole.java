package dev.srv6sh.shell.router;

import dev.srv6sh.dataplane.agent.AgentException;
import dev.srv6sh.dataplane.agent.AgentJson;
import dev.srv6sh.dataplane.agent.CommitInfo;
import dev.srv6sh.dataplane.agent.ConfigView;
import dev.srv6sh.dataplane.agent.FibEntry;
import dev.srv6sh.dataplane.agent.PacketTrace;
import dev.srv6sh.dataplane.agent.RouterAgent;
import dev.srv6sh.dataplane.agent.Traces;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * The smallest console that runs lines against a {@link RouterAgent}: {@code show running|commits|fib},
 * {@code trace N [SECONDS]} and {@code help}. It stands in for the router shell's command language
 * (the interpreter's {@code RouterShell}) until that is wired in behind {@link RouterConsole}.
 */
public final class AgentConsole implements RouterConsole {
    static final List<String> COMMANDS = List.of("show", "trace", "help", "exit");
    static final List<String> SHOWN = List.of("running", "commits", "fib");

    private final RouterAgent agent;
    private final String prompt;

    public AgentConsole(RouterAgent agent) {
        this.agent = agent;
        String name;
        try {
            name = agent.describe().router();
        } catch (AgentException | RuntimeException e) {
            name = "router";
        }
        this.prompt = name + "# ";
    }

    /** A factory of consoles over one agent. */
    public static RouterConsole.Factory over(RouterAgent agent) {
        return user -> new AgentConsole(agent);
    }

    @Override
    public String prompt() {
        return prompt;
    }

    @Override
    public int execute(String entry, PrintWriter out, PrintWriter err) {
        String[] words = entry.strip().split("\\s+");
        try {
            return switch (words[0]) {
                case "" -> 0;
                case "help" -> {
                    out.println("show running | show commits | show fib | trace N [SECONDS] | exit");
                    yield 0;
                }
                case "show" -> show(words, out, err);
                case "trace" -> trace(words, out, err);
                default -> {
                    err.println("error: unknown command '" + words[0] + "' (help lists them)");
                    yield 2;
                }
            };
        } catch (AgentException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            err.println("interrupted");
            return 1;
        }
    }

    private int show(String[] words, PrintWriter out, PrintWriter err) throws AgentException {
        String what = words.length > 1 ? words[1] : "";
        switch (what) {
            case "running" -> {
                ConfigView v = agent.running();
                out.println("generation " + v.generation());
                out.println(AgentJson.write(v.config()));
            }
            case "commits" -> {
                for (CommitInfo c : agent.commits()) {
                    out.println(c.id() + " " + c.user() + " " + c.time() + " " + c.status() + " "
                            + (c.comment() == null ? "" : c.comment()));
                }
            }
            case "fib" -> {
                for (FibEntry f : agent.fib()) {
                    out.println(f.table() + " " + f.prefix() + " " + f.result());
                }
            }
            default -> {
                err.println("error: show what? (" + String.join(", ", SHOWN) + ")");
                return 2;
            }
        }
        return 0;
    }

    private int trace(String[] words, PrintWriter out, PrintWriter err) throws AgentException, InterruptedException {
        int count;
        int seconds;
        try {
            count = Integer.parseInt(words.length > 1 ? words[1] : "");
            seconds = words.length > 2 ? Integer.parseInt(words[2]) : 1;
        } catch (NumberFormatException e) {
            err.println("error: trace N [SECONDS]");
            return 2;
        }
        Traces t = agent.trace(count, Duration.ofSeconds(seconds));
        for (PacketTrace p : t.live()) {
            out.print(p);
        }
        for (PacketTrace p : t.replayed()) {
            out.print("(replayed) " + p);
        }
        if (t.live().isEmpty() && t.replayed().isEmpty()) {
            out.println("no packets");
        }
        return 0;
    }

    @Override
    public boolean isComplete(String text) {
        int depth = 0;
        for (char c : text.toCharArray()) {
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
        }
        return depth <= 0;
    }

    @Override
    public List<String> complete(String line, int cursor) {
        String before = line.substring(0, Math.min(cursor, line.length())).stripLeading();
        return before.startsWith("show ") ? SHOWN : before.contains(" ") ? List.of() : COMMANDS;
    }
}
