package dev.srv6sh.shell;

import dev.srv6sh.interpreter.Interpreter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code srv6sh}: picocli dispatches to the commands; each returns an exit code of DESIGN.md §4. */
@Command(
        name = "srv6sh",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {
            "One language and shell for SRv6 network programming across clouds.",
            "Without a command, srv6sh starts the interactive shell (the REPL; :help there)."
        },
        footer = {
            "",
            "Examples:",
            "  srv6sh",
            "  srv6sh run scripts/quickstart.srv6",
            "  srv6sh check scripts/*.srv6",
            "  srv6sh fmt --check scripts/*.srv6",
            "  srv6sh plan scripts/quickstart.srv6 --state quickstart.state.json",
            "  srv6sh apply scripts/quickstart.srv6 --auto-approve --state quickstart.state.json",
            "  srv6sh destroy scripts/quickstart.srv6 --state quickstart.state.json",
            "  srv6sh replay quickstart.srv6 --router pr --in inside=pc.pcap --out out",
            "  srv6sh router --config quickstart.srv6 --name pr --ssh 127.0.0.1:2222",
            "  srv6sh bench --behavior End.DX4 --vector 256",
            "  srv6sh apply scripts/quickstart.srv6 --backend aws --auto-approve",
            "  srv6sh aws policy",
            "",
            "Exit codes: 0 success, 1 an expect failed, 2 the script does not parse or check (or a wrong option),"
                    + " 3 runtime error."
        })
public final class Main implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // srv6sh alone goes straight to the REPL: building picocli's model of every command (about
        // 170 classes and their annotations) is time the prompt would wait for.
        if (args.length == 0) {
            System.exit(dev.srv6sh.shell.repl.Repl.start(Boolean.getBoolean("srv6sh.paint")));
        }
        Integer done = direct(args);
        if (done != null) {
            // check and fmt start no thread and register no hook, and their output is flushed: halt
            // skips the JVM's shutdown sequence, which took 15-25 ms of a ~110 ms check here (medians
            // of 11, alternating, docs/performance.md)
            Runtime.getRuntime().halt(done);
        }
        if (SCRIPT_COMMANDS.contains(args[0])) {
            // picocli reads the command line on this thread (about 80 ms: its classes are too old for
            // the AOT cache) while the parser and checker warm up on the other core; `check FILE`
            // without picocli has nothing to overlap, and a second thread would only compete
            Thread.ofPlatform().daemon().name("srv6sh-warm-up").start(() -> {
                try {
                    Interpreter.warmUp();
                } catch (RuntimeException | Error e) {
                    // only time lost: the command's own check does the same work
                }
            });
        }
        System.exit(execute(args));
    }

    /** The commands, in the order {@code --help} lists them. */
    static final java.util.List<String> COMMANDS = java.util.List.of(
            "run", "check", "fmt", "plan", "apply", "destroy", "replay", "router", "links", "bench", "aws");

    /** The commands that read a script, which a warm parser and checker start sooner. */
    private static final java.util.Set<String> SCRIPT_COMMANDS =
            java.util.Set.of("run", "check", "fmt", "plan", "apply", "destroy", "replay", "router");

    /** A new instance of the command {@code name}, or null when there is none by that name. */
    private static Object command(String name) {
        return switch (name) {
            case "run" -> new RunCommand();
            case "check" -> new CheckCommand();
            case "fmt" -> new FmtCommand();
            case "plan" -> new PlanCommand();
            case "apply" -> new ApplyCommand();
            case "destroy" -> new DestroyCommand();
            case "replay" -> new ReplayCommand();
            case "router" -> new RouterCommand();
            case "links" -> new LinksCommand();
            case "bench" -> new BenchCommand();
            case "aws" -> new AwsCommand();
            default -> null;
        };
    }

    /**
     * The command line with the commands {@code args} can reach: only the one it names when it starts
     * with a command's name (picocli's model of one command instead of eight: its classes are too old
     * for the JVM's AOT cache, so every model it builds is start-up time, docs/performance.md),
     * every command otherwise ({@code --help}, a mistyped name).
     */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        Object only = args.length > 0 ? command(args[0]) : null;
        if (only != null) {
            cl.addSubcommand(args[0], only);
        } else {
            for (String name : COMMANDS) {
                cl.addSubcommand(name, command(name));
            }
        }
        return cl;
    }

    /**
     * {@code check FILE...} and {@code fmt FILE...} with nothing else on the command line (no option, no
     * {@code @file}): the command runs at once, with the same code and output as through picocli,
     * which is not loaded. picocli's own start (its Java 5 classes are loaded, verified and run
     * interpreted at every launch, as the AOT cache cannot hold them) is about 80 ms, more than the
     * JVM's start and the check together; these two commands are the ones run in editors and hooks on
     * every save. Anything else, and every error, goes through picocli. Null when it does not apply.
     */
    static Integer direct(String... args) {
        if (args.length < 2 || !(args[0].equals("check") || args[0].equals("fmt"))) {
            return null;
        }
        List<Path> files = new java.util.ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.isEmpty() || a.startsWith("-") || a.startsWith("@") || a.indexOf('\0') >= 0) {
                return null;
            }
            files.add(Path.of(a));
        }
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, System.out.charset()), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, System.err.charset()), true);
        try {
            return args[0].equals("check")
                    ? CheckCommand.check(files, List.of(), out, err)
                    : FmtCommand.format(files, false, out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        Integer done = direct(args);
        if (done != null) {
            return done;
        }
        CommandLine cl = commandLine(args);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("srv6sh: " + ex.getMessage());
            // "Did you mean: check?" for a mistyped command or option
            CommandLine.UnmatchedArgumentException.printSuggestions(
                    ex, ex.getCommandLine().getErr());
            ex.getCommandLine()
                    .getErr()
                    .println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                            + " --help' for more information.");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            c.getErr().println("srv6sh: internal error: " + ex + " (please report it)");
            return 3;
        });
        return cl.execute(args);
    }

    /** {@code srv6sh} alone: the interactive shell. */
    @Override
    public Integer call() {
        return dev.srv6sh.shell.repl.Repl.start();
    }
}
