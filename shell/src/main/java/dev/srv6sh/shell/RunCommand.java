package dev.srv6sh.shell;

import dev.srv6sh.interpreter.ExitCode;
import dev.srv6sh.interpreter.Interpreter;
import dev.srv6sh.interpreter.Results;
import dev.srv6sh.interpreter.render.JsonRenderer;
import dev.srv6sh.interpreter.render.TextRenderer;
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
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Check a script, then run it: deploy, program the routers, measure.",
        footer = {
            "",
            "Example:",
            "  srv6sh run scripts/quickstart.srv6",
            "  srv6sh run campaign.srv6 --param duration=2s --param pings=5",
            "  srv6sh run campaign.srv6 --seed 7      (other jitter on the emulated links: docs/emulation.md)",
            "  srv6sh run scripts/quickstart.srv6 --output json > results.jsonl",
            "    {\"op\":\"ping\",\"from\":\"pc\",\"to\":\"lc\",\"direct\":false,\"result\":{\"sent\":10,...}}",
            "",
            "Exit codes: 0 success, 1 an expect failed, 2 the script does not parse or check (or a wrong option),"
                    + " 3 runtime error."
        })
final class RunCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the .srv6 script")
    Path file;

    @Option(
            names = "--backend",
            defaultValue = "local",
            converter = OptionValues.Backend.class,
            paramLabel = "NAME",
            description = "local (emulated in this JVM), netns or aws; default: ${DEFAULT-VALUE}")
    String backend;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "override a script 'param' (repeatable)")
    List<String> params = new ArrayList<>();

    /** The formats of --output. */
    enum Output {
        text,
        json
    }

    @Option(
            names = "--output",
            defaultValue = "text",
            paramLabel = "FORMAT",
            description = "text, or json: one JSON object per line on stdout for each operation result (ping,"
                    + " measure, plan, apply, destroy, a failed expect, print), then an 'exit' line with the exit code"
                    + " and the errors; everything else on stderr (docs/output.md); default: ${DEFAULT-VALUE}")
    Output output = Output.text;

    @Option(
            names = "--seed",
            defaultValue = "" + dev.srv6sh.interpreter.Interpreter.DEFAULT_SEED,
            paramLabel = "N",
            description = "seed of the local backend's link jitter: the same seed gives the same delays, so two runs"
                    + " differ only by the routers' measured processing time; default: ${DEFAULT-VALUE}")
    long seed;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            converter = OptionValues.Directory.class,
            description = "where save, chart and capture write relative file names (default: the current directory)")
    Path dir = Path.of("");

    @picocli.CommandLine.Mixin
    CloudOptions cloud = new CloudOptions();

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        String text = ScriptFiles.read(file, err);
        Map<String, String> p = ScriptFiles.params(params, err);
        if (text == null || p == null) {
            return ExitCode.SCRIPT_ERROR;
        }
        err.flush();
        // the results on stdout: as text, or as JSON lines with the text beside them on stderr
        Results results =
                output == Output.json ? new JsonRenderer(System.out, System.err) : new TextRenderer(System.out);
        return Interpreter.run(
                file.toString(),
                text,
                new Interpreter.Options(backend, p, dir, ProgressView.forThisProcess(System.err), seed, cloud.cloud()),
                results,
                System.err);
    }
}
