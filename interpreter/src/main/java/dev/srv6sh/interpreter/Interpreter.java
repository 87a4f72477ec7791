package dev.srv6sh.interpreter;

import dev.srv6sh.cloud.Provider;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.Providers;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.grammar.ast.Program;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.diag.Diagnostic;
import dev.srv6sh.grammar.diag.DiagnosticRenderer;
import dev.srv6sh.grammar.diag.Names;
import dev.srv6sh.grammar.parse.ParseResult;
import dev.srv6sh.grammar.parse.Parser;
import dev.srv6sh.interpreter.eval.Evaluator;
import dev.srv6sh.interpreter.eval.RuntimeFailure;
import dev.srv6sh.interpreter.eval.ScriptError;
import dev.srv6sh.interpreter.render.TextRenderer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The way in: {@link #check} parses and checks a script with no effects; {@link #run} checks it, then
 * runs it against a backend. Both report problems as {@code file:line:col: error: ...} with the line
 * and a caret, and never with a stack trace.
 */
public final class Interpreter {
    private Interpreter() {}

    /** The seed of what a backend emulates at random when {@code --seed} is not given. */
    public static final long DEFAULT_SEED = Providers.DEFAULT_SEED;

    /**
     * How to run: the backend's name, {@code --param} overrides, the directory that relative file
     * names in {@code save} and {@code chart} are written to (the working directory by default), where
     * progress goes, and the seed of what the backend emulates at random ({@code --seed}; on local the
     * links' jitter). How results are shown is the {@link Results} given to {@link #run}.
     */
    public record Options(
            String backend,
            Map<String, String> params,
            java.nio.file.Path outputDir,
            Progress progress,
            long seed,
            Cloud cloud) {
        public Options {
            params = Map.copyOf(params);
            progress = progress == null ? Progress.NONE : progress;
            cloud = cloud == null ? Cloud.NONE : cloud;
        }

        public Options(
                String backend,
                Map<String, String> params,
                java.nio.file.Path outputDir,
                Progress progress,
                long seed) {
            this(backend, params, outputDir, progress, seed, Cloud.NONE);
        }

        public Options(String backend, Map<String, String> params, java.nio.file.Path outputDir, Progress progress) {
            this(backend, params, outputDir, progress, Providers.DEFAULT_SEED);
        }

        public Options(String backend, Map<String, String> params, java.nio.file.Path outputDir) {
            this(backend, params, outputDir, Progress.NONE);
        }

        public Options(String backend, Map<String, String> params) {
            this(backend, params, java.nio.file.Path.of(""));
        }
    }

    /**
     * What the command line says to a cloud backend (aws): {@code --endpoint-url}, {@code --profile}
     * and {@code --operator-cidr}; null where not given. Never a credential.
     */
    public record Cloud(java.net.URI endpoint, String profile, String operatorCidr) {
        public static final Cloud NONE = new Cloud(null, null, null);

        /** The provider options of a backend for {@code file} (its stack's name on aws), with {@code state}. */
        public dev.srv6sh.cloud.ProviderOptions options(long seed, java.nio.file.Path state, String file) {
            return new dev.srv6sh.cloud.ProviderOptions(seed, endpoint, profile, operatorCidr, state, file);
        }
    }

    /** A small script with the constructs most scripts have, for {@link #warmUp}. */
    private static final String WARM_UP =
            """
            param n = 2
            region r local
            vpc v in r { cidr 192.0.2.0/24 }
            host h in v
            router x in v {
              locator auto
              sid s End.DX4 nh h
              policy p encap [x.s]
              steer v -> p
            }
            for i in [1, 2] {
              let y = i * n
            }
            apply auto
            let m = ping h -> h count 3
            expect m.loss == 0% else "lost"
            """;

    /**
     * Parses and checks a small script and throws the result away: the lexer's and parser's tables,
     * the checker's classes and their first runs, done on another thread while the command line is
     * still being read, so that a command's own check starts warm (docs/performance.md). Returns the
     * problems found, which are none: the whole checker runs.
     */
    public static List<Diagnostic> warmUp() {
        return check("warm-up.srv6", WARM_UP, Map.of());
    }

    /** Parses and checks; returns the problems found (empty when the script is correct). */
    public static List<Diagnostic> check(String file, String text, Map<String, String> params) {
        return check(file, Parser.parse(file, text), text, params);
    }

    private static List<Diagnostic> check(String file, ParseResult parsed, String text, Map<String, String> params) {
        return checked(file, parsed, text, params).problems();
    }

    /** A check's evaluator (its desired state built, nothing run) and the problems it found. */
    record Checked(Evaluator evaluator, List<Diagnostic> problems) {}

    static Checked checked(String file, ParseResult parsed, String text, Map<String, String> params) {
        if (!parsed.ok()) {
            return new Checked(null, parsed.diagnostics());
        }
        Evaluator checker = new Evaluator(
                true,
                params,
                () -> {
                    throw new IllegalStateException("checking has no backend");
                },
                Results.NONE);
        List<Diagnostic> out = new ArrayList<>();
        try {
            checker.run(parsed.program(), text);
            out.addAll(checker.problems());
            for (String p : checker.unusedParams()) {
                out.add(Diagnostic.error(
                        Span.synthetic("--param"), "no 'param " + p + "' in " + file + " for --param " + p));
            }
        } catch (RuntimeFailure e) {
            out.addAll(checker.problems());
            out.add(Diagnostic.error(e.span(), e.getMessage()));
        }
        return new Checked(checker, out);
    }

    /** One router's lowered configuration, or why there is none (rendered) with the exit code to give. */
    public sealed interface RouterConfig {
        /** The configuration, and the locator its SIDs are in (the router shell's {@code RouterShell.Options}). */
        record Lowered(DataplaneConfig config, dev.srv6sh.dataplane.config.Prefix locator) implements RouterConfig {
            public Lowered(DataplaneConfig config) {
                this(config, null);
            }
        }

        record Failed(int exitCode, String message) implements RouterConfig {}
    }

    /**
     * Checks the script, then lowers and binds it as {@code srv6sh run} would on the local backend
     * and returns router {@code router}'s data plane configuration. No operation of the script runs
     * (no ping, no measure, no output); the topology exists only in this JVM, without warm-up, and is
     * gone when this returns. For {@code srv6sh replay}, which plays the far end of every link and
     * answers the router's ARP and ND itself: the configuration has the script's {@code neighbor} lines
     * as static neighbors, but not those of the emulated VPC (gateway, hosts), which is not there.
     */
    public static RouterConfig routerConfig(String file, String text, Map<String, String> params, String router) {
        Checked c = checked(file, Parser.parse(file, text), text, params);
        if (!c.problems().isEmpty()) {
            List<String> lines = new ArrayList<>();
            for (Diagnostic d : c.problems()) {
                lines.add(render(d, file, text));
            }
            return new RouterConfig.Failed(ExitCode.SCRIPT_ERROR, String.join("\n", lines));
        }
        List<String> routers = c.evaluator().routerNames();
        if (!routers.contains(router)) {
            String known =
                    routers.isEmpty() ? "it declares no router" : "its routers are " + String.join(", ", routers);
            String hint = String.join("", Names.suggest(router, routers));
            return new RouterConfig.Failed(
                    ExitCode.SCRIPT_ERROR,
                    file + ": no router '" + router + "' in the script; " + known
                            + (hint.isEmpty() ? "" : "\n  " + hint));
        }
        try (Provider provider = Providers.localUnwarmed()) {
            var lowered = c.evaluator().lowerRouter(router, provider, false);
            return new RouterConfig.Lowered(lowered.config(), lowered.locator());
        } catch (ScriptError e) {
            return new RouterConfig.Failed(ExitCode.SCRIPT_ERROR, render(e.diagnostic(), file, text));
        } catch (RuntimeFailure e) {
            return new RouterConfig.Failed(
                    ExitCode.RUNTIME_ERROR, render(Diagnostic.error(e.span(), e.getMessage()), file, text));
        } catch (ProviderException e) {
            return new RouterConfig.Failed(ExitCode.RUNTIME_ERROR, file + ": error: " + e.getMessage());
        }
    }

    /** Checks, then runs; prints results as text on {@code out}, problems on {@code err}; returns an {@link ExitCode}. */
    public static int run(String file, String text, Options options, PrintStream out, PrintStream err) {
        return run(file, text, options, new TextRenderer(out), err);
    }

    /**
     * Checks, then runs; gives the results to {@code results} (the shell's renderer: text, or JSON
     * lines for {@code --output json}), a {@link Result.Exit} last, and prints problems on {@code
     * err}; returns an {@link ExitCode}.
     */
    public static int run(String file, String text, Options options, Results results, PrintStream err) {
        ParseResult parsed = Parser.parse(file, text);
        List<Diagnostic> problems = check(file, parsed, text, options.params());
        if (!problems.isEmpty()) {
            return failed(file, text, results, err, 0, Result.Exit.Kind.SCRIPT, problems);
        }
        Program program = parsed.program();
        Evaluator ev = new Evaluator(
                false,
                options.params(),
                () -> Providers.create(options.backend(), options.cloud().options(options.seed(), null, file)),
                results);
        ev.outputDir(options.outputDir());
        ev.progress(options.progress());
        try {
            ev.run(program, text);
            int code = ev.failedExpects() > 0 ? ExitCode.EXPECT_FAILED : ExitCode.OK;
            results.accept(new Result.Exit(code, ev.failedExpects(), Result.Exit.Kind.SCRIPT, List.of()));
            return code;
        } catch (ScriptError e) {
            return failed(
                    file, text, results, err, ev.failedExpects(), Result.Exit.Kind.SCRIPT, List.of(e.diagnostic()));
        } catch (RuntimeFailure e) {
            Diagnostic d = Diagnostic.error(e.span(), e.getMessage());
            return failed(file, text, results, err, ev.failedExpects(), Result.Exit.Kind.RUNTIME, List.of(d));
        } catch (StackOverflowError e) {
            // what MAX_CALL_DEPTH does not catch: an expression nested beyond the stack
            Diagnostic d = Diagnostic.error(
                    Span.synthetic(file), "the evaluation went too deep for the stack (deeply nested expressions?)");
            return failed(file, text, results, err, ev.failedExpects(), Result.Exit.Kind.RUNTIME, List.of(d));
        } catch (RuntimeException e) {
            Diagnostic d = Diagnostic.error(
                    Span.synthetic(file), "internal error: " + e + " (please report it with the script)");
            return failed(file, text, results, err, ev.failedExpects(), Result.Exit.Kind.INTERNAL, List.of(d));
        } finally {
            ev.close();
        }
    }

    /** Reports what ended a run on {@code err}, then gives it to {@code results} as the last one; the exit code. */
    private static int failed(
            String file,
            String text,
            Results results,
            PrintStream err,
            int failedExpects,
            Result.Exit.Kind kind,
            List<Diagnostic> problems) {
        for (Diagnostic d : problems) {
            err.println(render(d, file, text));
        }
        int code = kind == Result.Exit.Kind.SCRIPT ? ExitCode.SCRIPT_ERROR : ExitCode.RUNTIME_ERROR;
        results.accept(new Result.Exit(code, failedExpects, kind, problems));
        return code;
    }

    /**
     * A diagnostic with its source line and caret. {@code text} is the script {@code file}'s; a problem
     * in an imported file is shown from that file. A synthetic span (the command line) prints the
     * header only.
     */
    public static String render(Diagnostic d, String file, String text) {
        if (d.span().line() <= 0) {
            return d.span().file() + ": " + d.severity().label() + ": " + d.message();
        }
        String source = text;
        if (!d.span().file().equals(file)) {
            try {
                source = java.nio.file.Files.readString(
                        java.nio.file.Path.of(d.span().file()));
            } catch (java.io.IOException | RuntimeException e) {
                return d.header();
            }
        }
        return DiagnosticRenderer.render(d, source).stripTrailing();
    }

    /**
     * Why {@code name} is not a backend, naming the ones there are (and the likeliest, when it looks
     * like one); null when it is one. For {@code --backend} and the REPL's {@code :backend}.
     */
    public static String unknownBackend(String name) {
        if (Providers.NAMES.contains(name)) {
            return null;
        }
        String hint = String.join("", Names.suggest(name, Providers.NAMES));
        return "unknown backend '" + name + "'; choose one of " + String.join(", ", Providers.NAMES)
                + (hint.isEmpty() ? "" : " (" + hint + ")");
    }
}
