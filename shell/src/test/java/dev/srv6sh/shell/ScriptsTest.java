package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every example in scripts/ is also a test: it checks, is formatted, and runs to exit 0 on the local backend. */
class ScriptsTest {
    @TestFactory
    Stream<DynamicTest> everyScriptRuns() throws IOException {
        Path dir = Cli.root().resolve("scripts");
        var files = Files.list(dir)
                .filter(p -> p.toString().endsWith(".srv6"))
                .sorted()
                .toList();
        assertThat(files).isNotEmpty();
        return Stream.concat(Stream.of(Cli.root().resolve("scripts/quickstart.srv6")), files.stream())
                .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                    Cli check = Cli.run("check", f.toString());
                    assertThat(check.exit()).as(check.err()).isZero();
                    Cli run = Cli.run("run", f.toString());
                    assertThat(run.exit()).as(run.out() + run.err()).isZero();
                }));
    }

    /**
     * The specification's §7 examples: verbatim, checked and formatted. quickstart.srv6 also runs
     * (above); the two in scripts/spec/ run once their operations exist.
     */
    @TestFactory
    Stream<DynamicTest> theSpecificationsExamplesAreVerbatimAndCheck() throws IOException {
        Path dir = Cli.root().resolve("scripts/spec");
        var files = Files.list(dir)
                .filter(p -> p.toString().endsWith(".srv6"))
                .sorted()
                .toList();
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("campaign.srv6", "chain.srv6");
        Path spec = Cli.root().resolveSibling("shared").resolve("language.md");
        return Stream.concat(Stream.of(Cli.root().resolve("scripts/quickstart.srv6")), files.stream())
                .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                    if (Files.isRegularFile(spec)) {
                        String text = Files.readString(spec);
                        assertThat(text)
                                .as("§7 of shared/language.md holds this script verbatim")
                                .contains("```\n" + Files.readString(f) + "```");
                    } else if ("true".equals(System.getenv("CI"))) {
                        throw new AssertionError("shared/language.md must be beside the repository in CI");
                    }
                    Cli check = Cli.run("check", f.toString());
                    assertThat(check.exit()).as(check.err()).isZero();
                    Cli fmt = Cli.run("fmt", "--check", f.toString());
                    assertThat(fmt.exit()).as(fmt.out()).isZero();
                }));
    }
}
