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
        return files.stream()
                .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                    Cli check = Cli.run("check", f.toString());
                    assertThat(check.exit()).as(check.err()).isZero();
                    Cli run = Cli.run("run", f.toString());
                    assertThat(run.exit()).as(run.out() + run.err()).isZero();
                }));
    }
}
