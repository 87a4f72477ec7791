package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every ```srv6 example in docs/language.md checks, is formatted, and runs on the local backend. */
class DocsTest {
    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyExampleInTheLanguageReferenceRuns() throws IOException {
        List<String> lines = Files.readAllLines(Cli.root().resolve("docs/language.md"));
        List<String> blocks = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        StringBuilder current = null;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (current == null && l.equals("```srv6")) {
                current = new StringBuilder();
                starts.add(i + 2);
            } else if (current != null && l.equals("```")) {
                blocks.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(l).append('\n');
            }
        }
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(6);
        return Stream.iterate(0, i -> i < blocks.size(), i -> i + 1)
                .map(i -> DynamicTest.dynamicTest("docs/language.md:" + starts.get(i), () -> {
                    Path f = dir.resolve("example" + i + ".srv6");
                    Files.writeString(f, blocks.get(i));
                    Cli fmt = Cli.run("fmt", "--check", f.toString());
                    assertThat(fmt.exit()).as(fmt.out() + fmt.err()).isZero();
                    Cli run = Cli.run("run", f.toString(), "--dir", dir.toString());
                    assertThat(run.exit()).as(run.out() + run.err()).isZero();
                }));
    }
}
