package dev.srv6sh.shell.repl;

import dev.srv6sh.grammar.diag.Names;
import dev.srv6sh.interpreter.Session;
import dev.srv6sh.interpreter.render.TextRenderer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive shell: {@code srv6sh} with no command. One {@link Session} behind a JLine line
 * reader with the language's own continuation rule, highlighting and completion, a persistent
 * history ({@code $SRV6SH_HOME/history}, by default {@code ~/.srv6sh/history}; Ctrl-R searches it)
 * and the meta commands of {@code :help repl}.
 */
public final class Repl {
    static final String PROMPT = "srv6sh> ";
    static final String CONTINUATION = "   ...> ";

    private final Terminal terminal;
    /**
     * The session is made on a thread of its own, started as the first prompt is drawn (the
     * evaluator, the backends' classes, the parser's warm-up); the first entry or completion that
     * needs it waits for it. On two cores, a thread started any earlier slows the prompt down by
     * taking the CPU the terminal's set-up needs (docs/performance.md).
     */
    private final java.util.concurrent.CompletableFuture<Session> session;

    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();

    private final PrintStream out;
    private final boolean color;
    /** Progress bars and finished lines: on a real terminal only. */
    private final boolean bars;

    private final LineReader reader;

    /**
     * A REPL on {@code terminal}. {@code home} holds the history (null: none); {@code color} turns the
     * highlighting on.
     */
    public Repl(Terminal terminal, Path home, boolean color) {
        this.terminal = terminal;
        this.color = color;
        this.bars = !terminal.getType().startsWith(Terminal.TYPE_DUMB);
        this.out = new PrintStream(terminal.output(), true, terminalCharset(terminal));
        this.session = new java.util.concurrent.CompletableFuture<>();
        LineReaderBuilder b = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("srv6sh")
                .parser(new ReplParser())
                .completer(new ReplCompleter(this::session))
                .highlighter(new ReplHighlighter(color))
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // `!=` is an operator
                .option(LineReader.Option.INSERT_TAB, false);
        Path history = history(home);
        if (history != null) {
            b.variable(LineReader.HISTORY_FILE, history);
        }
        this.reader = b.build();
        reader.getWidgets().put(LineReader.CALLBACK_INIT, () -> {
            startSession();
            return true;
        });
    }

    private void startSession() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().daemon().name("srv6sh-session").start(() -> {
            try {
                // results as text on the terminal; on a terminal, a bar while a ping, a measurement
                // or an apply runs, and a line when it is done (as `srv6sh run` draws them); nothing
                // on a dumb terminal or a pipe
                session.complete(new Session(
                        "local",
                        new TextRenderer(out),
                        out,
                        bars
                                ? new dev.srv6sh.shell.ProgressView(out, true, color)
                                : dev.srv6sh.interpreter.Progress.NONE));
                // Loads and links the lexer and parser (highlighting, isComplete) before the first key.
                Session.isComplete("router r in v {\n  sid s End.DX4 nh h\n}");
                dev.srv6sh.grammar.parse.Tokens.of("let x = ping a -> b count 3");
            } catch (Throwable t) {
                session.completeExceptionally(t);
                return;
            }
            try {
                // while the user types: the first apply on local need not wait for the JIT warm-up
                session.join().prepareBackend();
            } catch (RuntimeException e) {
                // the first apply warms up instead
            }
        });
    }

    private Session session() {
        startSession();
        return session.join();
    }

    private static java.nio.charset.Charset terminalCharset(Terminal t) {
        return t.encoding() == null ? StandardCharsets.UTF_8 : t.encoding();
    }

    /**
     * Makes {@code home} if it is not there, readable by its owner only: what was typed (the history)
     * may hold the addresses and names of someone's network.
     */
    private static void ownerOnly(Path home) throws IOException {
        if (!Files.isDirectory(home)) {
            Files.createDirectories(
                    home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    private static Path history(Path home) {
        if (home == null) {
            return null;
        }
        try {
            ownerOnly(home);
            Path history = home.resolve("history");
            if (!Files.exists(history)) {
                Files.createFile(
                        history, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                try { // a history an older version left readable by others
                    Files.setPosixFilePermissions(history, PosixFilePermissions.fromString("rw-------"));
                } catch (IOException | RuntimeException e) {
                    // not ours to change: JLine warns about it
                }
            }
            return history;
        } catch (IOException | RuntimeException e) {
            return null; // no history rather than no shell
        }
    }

    /** The REPL on this process's terminal (or its piped streams); returns the exit code. */
    public static int start() {
        return start(false);
    }

    /**
     * The REPL on this process's terminal; with {@code paint} (the launcher's {@code -Dsrv6sh.paint},
     * given when both standard input and output are a terminal), the banner and the first prompt are
     * written at once, before the line editor exists. Opening the terminal (JLine's FFM binding makes
     * its downcall handles, about 75 ms) and building the line reader take most of the REPL's
     * start-up; meanwhile the prompt is already there, and what is typed waits in the terminal's own
     * line discipline (echoed by it) until the line editor reads it and draws the line again over
     * the painted one. docs/performance.md has both times.
     */
    public static int start(boolean paint) {
        if (paint) {
            System.out.print(banner() + "\n" + PROMPT);
            System.out.flush();
        }
        Map<String, String> env = System.getenv();
        Path home = env.get("SRV6SH_HOME") != null && !env.get("SRV6SH_HOME").isBlank()
                ? Path.of(env.get("SRV6SH_HOME"))
                : Path.of(System.getProperty("user.home"), ".srv6sh");
        try {
            ownerOnly(home);
        } catch (IOException | RuntimeException e) {
            // no history and no kept terminal capabilities, but a shell
        }
        String term = env.get("TERM");
        TerminalCaps.preload(home, term);
        try (Terminal t = TerminalBuilder.builder()
                .system(true)
                .dumb(true)
                // FFM (Java 22+, always there on the JDK 25 this needs), else a dumb terminal: never a
                // native library of JLine's own, and not the exec provider, which starts `test` and
                // `stty` processes (tens of milliseconds of start-up) to find what FFM asks the kernel
                .ffm(true)
                .exec(false)
                .jni(false)
                .jansi(false)
                .jna(false)
                .build()) {
            TerminalCaps.keep(home, term);
            boolean color = !t.getType().startsWith(Terminal.TYPE_DUMB) && env.get("NO_COLOR") == null;
            return new Repl(t, home, color).run(paint);
        } catch (IOException e) {
            System.err.println("srv6sh: cannot open the terminal: " + e.getMessage());
            return 3;
        }
    }

    /** Reads and runs entries until {@code :quit} or end of input (Ctrl-D); returns the exit code. */
    public int run() {
        return run(false);
    }

    private static String banner() {
        return "srv6sh " + version() + " - :help for help, :quit or Ctrl-D to leave";
    }

    /**
     * As {@link #run()}; {@code painted}: the banner and the first prompt are on the screen already,
     * the cursor after it, maybe behind what the terminal echoed meanwhile: the line editor starts at
     * the line's beginning and draws the prompt and the pending input over them.
     */
    int run(boolean painted) {
        if (painted) {
            out.print('\r');
            out.flush();
        } else {
            out.println(banner());
        }
        try {
            while (true) {
                String line;
                try {
                    line = reader.readLine(PROMPT);
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C at the prompt clears the line
                } catch (EndOfFileException e) {
                    return 0;
                }
                if (line.isBlank()) {
                    continue;
                }
                if (line.strip().startsWith(":")) {
                    if (!meta(line.strip())) {
                        return 0;
                    }
                    continue;
                }
                Terminal.SignalHandler previous =
                        terminal.handle(Terminal.Signal.INT, s -> session().cancel());
                try {
                    session().eval(line);
                } finally {
                    terminal.handle(Terminal.Signal.INT, previous);
                }
            }
        } finally {
            if (session.isDone() && !session.isCompletedExceptionally()) {
                session.join().close();
            }
            out.flush();
        }
    }

    private static String version() {
        String v = Repl.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }

    /** Runs a meta command; false for {@code :quit}. */
    private boolean meta(String line) {
        String[] parts = line.split("\\s+", 2);
        String cmd = parts[0];
        String arg = parts.length > 1 ? unquote(parts[1].strip()) : "";
        switch (cmd) {
            case ":quit", ":q", ":exit" -> {
                return false;
            }
            case ":help", ":h", ":?" -> out.print(Help.text(arg));
            case ":load" -> {
                if (arg.isEmpty()) {
                    out.println("error: :load needs a file (:load FILE)");
                } else {
                    session().load(Path.of(arg));
                }
            }
            case ":save" -> save(arg);
            case ":reset" -> {
                session().reset();
                out.println("The session is empty.");
            }
            case ":backend" -> {
                if (arg.isEmpty()) {
                    out.println("backend: " + session().backend());
                } else {
                    String problem = session().backend(arg);
                    out.println(problem == null ? "backend: " + arg : "error: " + problem);
                }
            }
            default -> {
                String hint = String.join("", Names.suggest(cmd, ReplCompleter.META));
                out.println("error: unknown command '" + cmd + "'" + (hint.isEmpty() ? "" : "; " + hint)
                        + " (:help repl lists them)");
            }
        }
        return true;
    }

    private void save(String file) {
        if (file.isEmpty()) {
            out.println("error: :save needs a file (:save FILE)");
            return;
        }
        String script = session().script();
        try {
            Path p = Path.of(file);
            Files.writeString(p, script);
            long lines = script.lines().count();
            out.println("Saved " + lines + " line" + (lines == 1 ? "" : "s") + " to " + p + ".");
        } catch (IOException | RuntimeException e) {
            out.println("error: cannot write " + file + " (" + e.getMessage() + ")");
        }
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
