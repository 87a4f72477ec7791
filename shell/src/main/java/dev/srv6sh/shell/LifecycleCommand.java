package dev.srv6sh.shell;

import dev.srv6sh.interpreter.ExitCode;
import dev.srv6sh.interpreter.Lifecycle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What plan, apply and destroy share: the script, --backend, --param, --state, and the call. */
abstract class LifecycleCommand implements Callable<Integer> {
    static final String EXIT_CODES =
            "Exit codes: 0 done (or nothing to do), 2 a wrong option, the script does not check, or the actions"
                    + " were not approved (answered other than 'yes', or no terminal to ask on and no --auto-approve: nothing was done,"
                    + " as with a command-line mistake), 3 a backend error.";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the .srv6 script")
    Path file;

    @Option(
            names = "--backend",
            defaultValue = "local",
            converter = OptionValues.Backend.class,
            paramLabel = "NAME",
            description = "local (emulated in this process), netns or aws; default: ${DEFAULT-VALUE}")
    String backend;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "override a script 'param' (repeatable)")
    List<String> params = new ArrayList<>();

    @Option(
            names = "--state",
            paramLabel = "PATH",
            description = "the state file: plan compares with it, apply writes what it deployed there (JSON, no"
                    + " credentials), destroy removes it")
    Path state;

    @Option(
            names = "--seed",
            defaultValue = "" + dev.srv6sh.interpreter.Interpreter.DEFAULT_SEED,
            paramLabel = "N",
            description = "seed of the local backend's link jitter (what srv6sh run measures with it); default:"
                    + " ${DEFAULT-VALUE}")
    long seed;

    @picocli.CommandLine.Mixin
    CloudOptions cloud = new CloudOptions();

    abstract Lifecycle.Action action();

    /** Whether --auto-approve was given (plan never asks). */
    boolean autoApprove() {
        return false;
    }

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        String text = ScriptFiles.read(file, err);
        Map<String, String> p = ScriptFiles.params(params, err);
        if (text == null || p == null) {
            return ExitCode.SCRIPT_ERROR;
        }
        err.flush();
        Lifecycle.Approver approver =
                autoApprove() ? a -> Lifecycle.Approval.APPROVED : TerminalApprover.forThisProcess(System.out);
        return Lifecycle.run(
                action(),
                file.toString(),
                text,
                new Lifecycle.Options(backend, p, state, approver, seed, cloud.cloud()),
                System.out,
                System.err);
    }
}
