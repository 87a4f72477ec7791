package dev.srv6sh.shell;

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
        subcommands = {
            RunCommand.class,
            CheckCommand.class,
            FmtCommand.class,
            PlanCommand.class,
            ApplyCommand.class,
            DestroyCommand.class,
            ReplayCommand.class,
            BenchCommand.class
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
            "  srv6sh bench --behavior End.DX4 --vector 256",
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
        System.exit(args.length == 0 ? dev.srv6sh.shell.repl.Repl.start() : execute(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("srv6sh: " + ex.getMessage());
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
