package dev.srv6sh.interpreter;

import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.Providers;
import dev.srv6sh.grammar.ast.DeclName;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.ast.Stmt;
import dev.srv6sh.grammar.diag.Diagnostic;
import dev.srv6sh.grammar.diag.DiagnosticRenderer;
import dev.srv6sh.grammar.parse.Formatter;
import dev.srv6sh.grammar.parse.ParseResult;
import dev.srv6sh.grammar.parse.Parser;
import dev.srv6sh.interpreter.eval.Evaluator;
import dev.srv6sh.interpreter.eval.RuntimeFailure;
import dev.srv6sh.interpreter.eval.ScriptError;
import dev.srv6sh.interpreter.render.TextRenderer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A REPL session: one long-lived evaluator fed one entry at a time.
 *
 * <ul>
 *   <li>A declaration whose name exists replaces the earlier one (a region, VPC, host or router, a
 *       SID or policy declared {@code on} a router, a top-level {@code let}, {@code param} or
 *       {@code fn}); the next {@code plan} shows the change.
 *   <li>An entry either takes effect or, when it fails, leaves the declarations and bindings as they
 *       were; the error points with a caret into the entry as typed. Nothing ends the session but
 *       {@link #close}: not a script error, not a runtime failure, not a bug (no stack trace).
 *   <li>{@link #script} is what {@code :save} writes: the current declarations (a replacement in the
 *       place of the declaration it replaced) and the operations, in order, formatted.
 * </ul>
 *
 * Entries are named {@code <1>}, {@code <2>}, ... as if each were a file of its own.
 */
public final class Session implements AutoCloseable {
    private final Results results;
    private final PrintStream err;
    private String backend;
    private long seed = Providers.DEFAULT_SEED;
    private Evaluator ev;
    private int entries;
    /** The text of every entry and loaded file, to show the line of a problem found later. */
    private final Map<String, String> sources = new HashMap<>();
    /** The session as a script: one item per top-level statement that took effect. */
    private final List<Item> items = new ArrayList<>();

    private volatile Thread running;

    private record Item(String key, String text) {}

    public Session(String backend, PrintStream out, PrintStream err) {
        this(backend, out, err, Progress.NONE);
    }

    /** A session whose pings, measurements and applies report their progress to {@code progress}. */
    public Session(String backend, PrintStream out, PrintStream err, Progress progress) {
        this(backend, new TextRenderer(out), err, progress);
    }

    /**
     * A session whose results go to {@code results} (the REPL: a text renderer on its terminal) and
     * problems to {@code err}, and whose pings, measurements and applies report their progress to
     * {@code progress}.
     */
    public Session(String backend, Results results, PrintStream err, Progress progress) {
        this.backend = backend;
        this.results = results;
        this.err = err;
        this.progress = progress == null ? Progress.NONE : progress;
        this.ev = newEvaluator();
    }

    private final Progress progress;

    private Evaluator newEvaluator() {
        Evaluator e = new Evaluator(false, Map.of(), this::provider, results);
        e.replaceDeclarations();
        e.progress(progress);
        return e;
    }

    private dev.srv6sh.cloud.Provider provider() throws ProviderException {
        return Providers.create(backend, seed);
    }

    /**
     * For the REPL, on a thread of its own while the user types: what the first {@code apply} on the
     * session's backend would otherwise wait for (on local, the JIT warm-up).
     */
    public void prepareBackend() {
        Providers.prepare(backend);
    }

    /** For the REPL: whether {@code text} is a whole entry or stops in the middle of something. */
    public static boolean isComplete(String text) {
        return Parser.isComplete(text);
    }

    /** Runs one entry; false when it failed (the problem is printed on the error stream). */
    public boolean eval(String text) {
        return run("<" + (++entries) + ">", text, true);
    }

    /** {@code :load FILE}: runs a script's statements in the session, as if typed one after the other. */
    public boolean load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException | RuntimeException e) {
            err.println("error: cannot read " + file + " (" + e.getMessage() + ")");
            return false;
        }
        return run(file.toString(), text, false);
    }

    private boolean run(String file, String text, boolean typed) {
        ParseResult parsed = Parser.parse(file, text);
        sources.put(file, text);
        if (!parsed.ok()) {
            List<Diagnostic> problems = parsed.diagnostics();
            if (typed && text.stripLeading().matches("(?s)else\\b.*")) {
                // In a file a newline before 'else' is dropped; here the 'if' was run at its '}'.
                Diagnostic d = problems.getFirst();
                problems = List.of(new Diagnostic(
                        d.severity(),
                        d.span(),
                        d.message(),
                        List.of("an 'if' entry ends at its '}': write '} else {' on that line")));
            }
            for (Diagnostic d : problems) {
                err.println(render(d, typed ? file : null));
            }
            return false;
        }
        Object before = ev.snapshot();
        running = Thread.currentThread();
        try {
            ev.entry(parsed.program(), text);
            for (Stmt s : parsed.program().statements()) {
                record(key(s, text), slice(text, s.span()));
            }
            return true;
        } catch (ScriptError e) {
            ev.restore(before);
            err.println(render(e.diagnostic(), typed ? file : null));
        } catch (RuntimeFailure e) {
            ev.restore(before);
            err.println(render(Diagnostic.error(e.span(), e.getMessage()), typed ? file : null));
        } catch (StackOverflowError e) {
            ev.restore(before);
            err.println("error: the evaluation went too deep (a function that calls itself without end?)");
        } catch (RuntimeException e) {
            ev.restore(before);
            err.println("internal error: " + e + " (please report it with what you typed)");
        } finally {
            running = null;
            Thread.interrupted(); // a cancel that came late must not hit the next entry
        }
        return false;
    }

    /**
     * Ctrl-C: interrupts the operation running now (a ping or a measurement waits in calls that
     * honour interruption), which then fails with "interrupted"; the session goes on. Safe to call
     * from any thread, and a no-op when nothing runs.
     */
    public void cancel() {
        Thread t = running;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Whether an entry is being evaluated right now. */
    public boolean busy() {
        return running != null;
    }

    /** {@code :reset}: forgets every declaration and binding and tears down what was deployed. */
    public void reset() {
        ev.close();
        ev = newEvaluator();
        items.clear();
    }

    /**
     * {@code :backend NAME [--seed N]}: later operations use that backend (and seed: on local, of the
     * links' jitter); what the current one deployed is torn down, the declarations stay. Returns the
     * problem, or null when the switch was made.
     */
    public String backend(String spec) {
        String[] words = spec.strip().split("\\s+");
        String name = words[0];
        long nextSeed = Providers.DEFAULT_SEED;
        if (words.length == 3 && words[1].equals("--seed")) {
            try {
                nextSeed = Long.parseLong(words[2]);
            } catch (NumberFormatException e) {
                return "--seed takes a whole number, not '" + words[2] + "'";
            }
        } else if (words.length != 1) {
            return "expected ':backend NAME' or ':backend NAME --seed N', not ':backend " + spec.strip() + "'";
        }
        String unknown = Interpreter.unknownBackend(name);
        if (unknown != null) {
            return unknown;
        }
        if (!name.equals("local")) {
            try {
                Providers.create(name).close();
            } catch (ProviderException e) {
                return e.getMessage();
            }
        }
        backend = name;
        seed = nextSeed;
        ev.backend(this::provider);
        return null;
    }

    /** The backend in use, with its seed when it is not the default ({@code local --seed 7}). */
    public String backend() {
        return seed == Providers.DEFAULT_SEED ? backend : backend + " --seed " + seed;
    }

    /** Every global name: declared resources, {@code let}s, {@code param}s, functions. */
    public List<String> names() {
        return ev.globalNames();
    }

    /** What may follow {@code name.}: a router's SIDs and policies, a result's fields, a map's keys. */
    public List<String> members(String name) {
        return ev.members(name);
    }

    /**
     * {@code :save}: the session as a script that reproduces it — the current declarations (each
     * replacement where the declaration it replaced stood) and the operations, in order, formatted
     * as {@code srv6sh fmt} would.
     */
    public String script() {
        StringBuilder body = new StringBuilder();
        for (Item i : items) {
            body.append(i.text()).append('\n');
        }
        Formatter.Result f = Formatter.format("session", body.toString());
        return f.ok() ? f.text() : body.toString();
    }

    @Override
    public void close() {
        ev.close();
    }

    // ---- the script of the session ------------------------------------------------------------

    private void record(String key, String text) {
        if (key != null) {
            for (int i = 0; i < items.size(); i++) {
                if (key.equals(items.get(i).key())) {
                    items.set(i, new Item(key, text));
                    return;
                }
            }
        }
        items.add(new Item(key, text));
    }

    /** What a statement declares, when a later one with the same key replaces it; else null. */
    private static String key(Stmt s, String text) {
        return switch (s) {
            case Stmt.RegionDecl d -> "resource " + name(d.name(), text);
            case Stmt.VpcDecl d -> "resource " + name(d.name(), text);
            case Stmt.HostDecl d -> "resource " + name(d.name(), text);
            case Stmt.RouterDecl d -> "resource " + name(d.name(), text);
            case Stmt.SidDecl d when d.on() != null -> "sid " + slice(text, d.on().span()) + " " + name(d.name(), text);
            case Stmt.PolicyDecl d
            when d.on() != null -> "policy " + slice(text, d.on().span()) + " " + name(d.name(), text);
            case Stmt.LetDecl d -> "binding " + d.name();
            case Stmt.ParamDecl d -> "binding " + d.name();
            case Stmt.FnDecl d -> "binding " + d.name();
            default -> null;
        };
    }

    private static String name(DeclName n, String text) {
        return slice(text, n.span()).replaceAll("\\s+", "");
    }

    /** The text of a span; spans count code points, as the lexer does. */
    private static String slice(String text, Span span) {
        int from = text.offsetByCodePoints(0, Math.min(span.start(), text.codePointCount(0, text.length())));
        int to = text.offsetByCodePoints(0, Math.min(span.end(), text.codePointCount(0, text.length())));
        return text.substring(from, to);
    }

    // ---- problems ------------------------------------------------------------------------------

    /**
     * A problem with its line and caret. One in the entry just typed drops the {@code <n>:1:5:}
     * prefix, since the line shown is the one on the screen; one elsewhere (an earlier entry, a
     * loaded file) keeps it.
     */
    private String render(Diagnostic d, String entry) {
        Span span = d.span();
        String source = sources.get(span.file());
        if (span.line() <= 0) {
            return d.severity().label() + ": " + d.message();
        }
        if (source == null) {
            try {
                source = Files.readString(Path.of(span.file()));
            } catch (IOException | RuntimeException e) {
                return d.header();
            }
        }
        String text = DiagnosticRenderer.render(d, source).stripTrailing();
        String prefix = span + ": ";
        if (span.file().equals(entry) && text.startsWith(prefix)) {
            return text.substring(prefix.length());
        }
        return text;
    }
}
