package dev.srv6sh.shell;

import dev.srv6sh.grammar.diag.Diagnostic;
import dev.srv6sh.interpreter.ExitCode;
import dev.srv6sh.interpreter.Interpreter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Parse and check scripts without running anything.",
        footer = {"", "Example:", "  srv6sh check scripts/*.srv6", "", "Exit codes: 0 all scripts check, 2 otherwise."})
final class CheckCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "the .srv6 scripts")
    List<Path> files;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "override a script 'param' (repeatable)")
    List<String> params = new ArrayList<>();

    @Override
    public Integer call() {
        return check(
                files, params, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Checks {@code files}; what picocli's call and {@link Main}'s direct way in both run. */
    static int check(List<Path> files, List<String> params, PrintWriter out, PrintWriter err) {
        Map<String, String> p = ScriptFiles.params(params, err);
        if (p == null) {
            return ExitCode.SCRIPT_ERROR;
        }
        int bad = 0;
        for (Path f : files) {
            String text = ScriptFiles.read(f, err);
            if (text == null) {
                bad++;
                continue;
            }
            List<Diagnostic> problems = Interpreter.check(f.toString(), text, p);
            for (Diagnostic d : problems) {
                err.println(Interpreter.render(d, f.toString(), text));
            }
            if (problems.isEmpty()) {
                out.println(f + ": ok");
            } else {
                bad++;
            }
        }
        return bad == 0 ? ExitCode.OK : ExitCode.SCRIPT_ERROR;
    }
}
