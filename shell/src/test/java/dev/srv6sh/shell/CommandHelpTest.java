package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** --help on every command explains it with a worked example and the exit codes. */
class CommandHelpTest {

    @Test
    void everyCommandHasAWorkedExampleAndItsExitCodes() {
        CommandLine top = Main.commandLine();
        assertThat(top.getSubcommands().keySet())
                .containsExactlyInAnyOrder(
                        "run", "check", "fmt", "plan", "apply", "destroy", "replay", "router", "links", "bench", "aws");
        for (CommandLine c : top.getSubcommands().values()) {
            assertHelp(c.getCommandName());
        }
        Cli main = Cli.run("--help");
        assertThat(main.exit()).isZero();
        assertThat(main.out()).contains("Example").contains("srv6sh plan ").contains("srv6sh apply ");
        for (String command : Main.COMMANDS) {
            assertThat(main.out()).as("--help lists " + command).containsPattern("(?m)^  " + command + " ");
        }
    }

    /** A command line that names a command builds only that one, and its usage still says "srv6sh NAME". */
    @Test
    void aCommandIsBuiltAloneAndKnowsItsParent() {
        CommandLine cl = Main.commandLine("check", "x.srv6");
        assertThat(cl.getSubcommands().keySet()).containsExactly("check");
        assertThat(cl.getSubcommands().get("check").getCommandSpec().qualifiedName())
                .isEqualTo("srv6sh check");
        Cli bad = Cli.run("chek", "x.srv6");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("chek").contains("check");
    }

    private static void assertHelp(String command) {
        Cli h = Cli.run(command, "--help");
        assertThat(h.exit()).as(command).isZero();
        List<String> lines = h.out().lines().toList();
        int example = lines.indexOf(lines.stream()
                .filter(l -> l.startsWith("Example"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(command + " --help has no example:\n" + h.out())));
        assertThat(lines.get(example + 1)).as(command).startsWith("  srv6sh " + command);
        assertThat(h.out()).as(command).contains("Exit codes:");
    }
}
