package dev.srv6sh.shell;

import dev.srv6sh.grammar.diag.Diagnostic;
import dev.srv6sh.grammar.parse.Formatter;
import dev.srv6sh.interpreter.ExitCode;
import dev.srv6sh.interpreter.Interpreter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "fmt",
        mixinStandardHelpOptions = true,
        description =
                "Rewrite scripts in the canonical layout, keeping comments; or, with --check, list those that are not.",
        footer = {
            "",
            "Examples:",
            "  srv6sh fmt scripts/*.srv6",
            "  srv6sh fmt --check scripts/*.srv6     # in CI",
            "",
            "Exit codes: 0 every file is formatted, 1 --check found a file that is not, 2 a file does not parse."
        })
final class FmtCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "the .srv6 scripts")
    List<Path> files;

    @Option(names = "--check", description = "change nothing; list the files whose layout differs")
    boolean check;

    @Override
    public Integer call() {
        return format(
                files, check, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Formats {@code files} (or, with {@code check}, lists those not formatted); see {@link #call}. */
    static int format(List<Path> files, boolean check, PrintWriter out, PrintWriter err) {
        boolean broken = false;
        boolean unformatted = false;
        for (Path f : files) {
            String text = ScriptFiles.read(f, err);
            if (text == null) {
                broken = true;
                continue;
            }
            Formatter.Result r = Formatter.format(f.toString(), text);
            if (!r.ok()) {
                for (Diagnostic d : r.diagnostics()) {
                    err.println(Interpreter.render(d, f.toString(), text));
                }
                broken = true;
                continue;
            }
            if (r.text().equals(text)) {
                continue;
            }
            if (check) {
                out.println(f + ": not formatted");
                unformatted = true;
                continue;
            }
            try {
                Files.writeString(f, r.text(), StandardCharsets.UTF_8);
                out.println(f + ": formatted");
            } catch (IOException e) {
                err.println("srv6sh: " + f + ": cannot write it (" + e.getMessage() + ")");
                broken = true;
            }
        }
        return broken ? ExitCode.SCRIPT_ERROR : unformatted ? ExitCode.EXPECT_FAILED : ExitCode.OK;
    }
}
