package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each exit code of DESIGN.md §4, shown by a script. */
class ExitCodeTest {

    @Test
    void zeroWhenEveryExpectHolds() {
        Cli r = Cli.run("run", Cli.root().resolve("scripts/quickstart.srv6").toString());
        // stderr has the progress log only: one line per finished apply and measurement, no error
        assertThat(r.err()).doesNotContain("error");
        assertThat(r.err().lines())
                .hasSize(2)
                .satisfiesExactly(
                        l -> assertThat(l).startsWith("apply: 8 added, 0 changed, 0 destroyed, 2 router(s) programmed"),
                        l -> assertThat(l).startsWith("ping pc -> lc: 10/10 replies"));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("ping pc -> lc: 10 sent, 10 received, 0% loss, hop limit at receiver 62");
        assertThat(r.out()).containsPattern("rtt min/mean/max [0-9.]+/[0-9.]+/[0-9.]+ ms, stddev [0-9.]+ ms, 95% CI ±");
    }

    @Test
    void oneWhenAnExpectFails() {
        String file = Cli.resource("exit/expect-failed.srv6");
        Cli r = Cli.run("run", file);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out())
                .contains("expect-failed.srv6:29:1: expect failed: r.rtt.mean < 1ms")
                .contains("right: 1 ms")
                .contains("no real link is that fast")
                .doesNotContain("expect failed: r.received == 3");
    }

    @Test
    void twoWhenTheScriptDoesNotCheckWithFileLineColAndCaret() {
        String file = Cli.resource("exit/unknown-router.srv6");
        Cli r = Cli.run("run", file);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .isEqualTo(file + ":15:27: error: unknown router 'lrr'\n"
                        + "    policy to_london encap [lrr.dx4]\n"
                        + "                            ^~~\n"
                        + "  did you mean 'lr'?\n");
    }

    @Test
    void twoOnASyntaxError() {
        Cli r = Cli.run("run", Cli.resource("exit/syntax-error.srv6"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("syntax-error.srv6:4:").contains("error:").contains("^");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("mismatched input");
    }

    @Test
    void threeOnARuntimeError() {
        String file = Cli.resource("exit/runtime-error.srv6");
        Cli r = Cli.run("run", file);
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err())
                .startsWith(file + ":6:9: error: nothing is deployed yet: 'ping' needs an 'apply' before it");
    }

    @Test
    void checkRunsNothingAndReportsEveryFile() {
        Cli ok = Cli.run("check", Cli.root().resolve("scripts/quickstart.srv6").toString());
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).endsWith("quickstart.srv6: ok\n");
        Cli bad = Cli.run("check", Cli.resource("exit/unknown-router.srv6"), Cli.resource("exit/runtime-error.srv6"));
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown router 'lrr'");
        assertThat(bad.out()).contains("runtime-error.srv6: ok");
    }

    @Test
    void commandLineMistakesAreExplained() {
        assertThat(Cli.run("run", "no-such-file.srv6").err()).contains("no-such-file.srv6: no such file");
        Cli badParam =
                Cli.run("run", Cli.root().resolve("scripts/quickstart.srv6").toString(), "--param", "oops");
        assertThat(badParam.exit()).isEqualTo(2);
        assertThat(badParam.err()).contains("--param takes NAME=VALUE");
        Cli unusedParam =
                Cli.run("check", Cli.root().resolve("scripts/quickstart.srv6").toString(), "--param", "x=1");
        assertThat(unusedParam.exit()).isEqualTo(2);
        assertThat(unusedParam.err()).contains("no 'param x'");
        assertThat(Cli.run("--version").out()).startsWith("srv6sh ");
    }

    /** A wrong option value is a usage error: exit 2 before anything runs, not a failure at `apply`. */
    @Test
    void aWrongOptionValueIsAUsageErrorBeforeAnythingRuns(@TempDir Path dir) throws IOException {
        String quickstart = Cli.root().resolve("scripts/quickstart.srv6").toString();
        for (String command : List.of("run", "plan", "apply", "destroy")) {
            Cli r = Cli.run(command, quickstart, "--backend", "azure");
            assertThat(r.exit()).as(command).isEqualTo(2);
            assertThat(r.out()).as(command).isEmpty();
            assertThat(r.err())
                    .as(command)
                    .startsWith("srv6sh: Invalid value for option '--backend': unknown backend 'azure';"
                            + " choose one of local, netns, aws\n")
                    .contains("Try 'srv6sh " + command + " --help'");
        }
        assertThat(Cli.run("run", quickstart, "--backend", "lcoal").err()).contains("(did you mean 'local'?)");

        Cli xml = Cli.run("run", quickstart, "--output", "xml");
        assertThat(xml.exit()).isEqualTo(2);
        assertThat(xml.out()).isEmpty();
        assertThat(xml.err()).contains("--output").contains("text, json").doesNotContain("Plan:");

        for (String command : List.of("run", "check", "plan")) {
            Cli param = Cli.run(command, quickstart, "--param", "oops");
            assertThat(param.exit()).as(command).isEqualTo(2);
            assertThat(param.out()).as(command).isEmpty();
            assertThat(param.err()).as(command).isEqualTo("srv6sh: --param takes NAME=VALUE, not 'oops'\n");
        }

        Path file = Files.writeString(dir.resolve("not-a-dir"), "");
        Cli notDir = Cli.run("run", quickstart, "--dir", file.toString());
        assertThat(notDir.exit()).isEqualTo(2);
        assertThat(notDir.out()).isEmpty();
        assertThat(notDir.err()).contains("Invalid value for option '--dir'").contains("is a file, not a directory");
    }
}
