package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.BehaviorSpec;
import dev.srv6sh.dataplane.Behaviors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ```srv6 example in docs/language.md checks, is formatted, and runs on the local backend; its
 * behavior table is the behavior registry's.
 */
class DocsTest {
    /** The header of docs/language.md's behavior table. */
    static final String TABLE = "| behavior | what it does | needs | may take | defined in |";

    /** The table's rows as the registry makes them, one per behavior, in its order. */
    static List<String> behaviorTable() {
        List<String> rows = new ArrayList<>(List.of(TABLE, "|---|---|---|---|---|"));
        for (BehaviorSpec b : Behaviors.all()) {
            String name = "`" + b.name() + "`"
                    + (b.aliases().isEmpty()
                            ? ""
                            : " (also "
                                    + String.join(
                                            ", ",
                                            b.aliases().stream()
                                                    .map(a -> "`" + a + "`")
                                                    .toList()) + ")");
            rows.add("| "
                    + String.join(
                            " | ",
                            name,
                            b.summary(),
                            params(b.params().stream().filter(BehaviorSpec.Param::required)),
                            params(b.params().stream().filter(p -> !p.required())),
                            b.reference())
                    + " |");
        }
        return rows;
    }

    /** The parameters as the table lists them: a behavior's own with what they are, the shared ones by key. */
    private static String params(Stream<BehaviorSpec.Param> ps) {
        return String.join(
                ", ",
                ps.map(p -> "`" + p.key() + "`"
                                + (p.kind().resolved() ? " (" + p.kind().description() + ")" : ""))
                        .toList());
    }

    @Test
    void theBehaviorTableIsTheRegistrys() throws IOException {
        List<String> lines = Files.readAllLines(Cli.root().resolve("docs/language.md"));
        int at = lines.indexOf(TABLE);
        assertThat(at)
                .as("docs/language.md has the behavior table, headed " + TABLE)
                .isNotNegative();
        List<String> table = new ArrayList<>();
        for (int i = at; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            table.add(lines.get(i));
        }
        assertThat(String.join("\n", table))
                .as(
                        "docs/language.md's behavior table, which should read as the registry says:%n%s%n",
                        String.join("\n", behaviorTable()))
                .isEqualTo(String.join("\n", behaviorTable()));
    }

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
