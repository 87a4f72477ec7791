package dev.srv6sh.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.grammar.diag.Diagnostic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportTest {
    private static List<String> check(Path file) throws Exception {
        return Interpreter.check(file.toString(), Files.readString(file), Map.of()).stream()
                .map(Diagnostic::message)
                .toList();
    }

    @Test
    void importsAreRelativeAndEachFileIsReadOnce(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/regions.srv6"), "region paris aws \"eu-west-3\"\n");
        Files.writeString(
                dir.resolve("lib/vpcs.srv6"), "import \"regions.srv6\"\nvpc pv in paris { cidr 10.11.0.0/16 }\n");
        Path main = dir.resolve("main.srv6");
        Files.writeString(main, "import \"lib/regions.srv6\"\nimport \"lib/vpcs.srv6\"\nhost pc in pv\n");
        assertThat(check(main)).isEmpty();
    }

    @Test
    void cyclesAndMissingFilesAreReported(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.srv6"), "import \"b.srv6\"\n");
        Files.writeString(dir.resolve("b.srv6"), "import \"a.srv6\"\n");
        assertThat(check(dir.resolve("a.srv6"))).containsExactly("import cycle: a.srv6 -> b.srv6 -> a.srv6");
        Files.writeString(dir.resolve("c.srv6"), "import \"nowhere.srv6\"\n");
        assertThat(check(dir.resolve("c.srv6"))).singleElement().asString().startsWith("cannot read 'nowhere.srv6'");
    }

    @Test
    void aPathThatNoFileSystemAcceptsIsAnErrorNotACrash() {
        // the fuzzer's first finding: a NUL inside the quoted path
        assertThat(Interpreter.check("t.srv6", "import \"com\u0000mon.srv6\"\n", Map.of()))
                .extracting(Diagnostic::message)
                .singleElement()
                .asString()
                .endsWith("is not a file path");
    }
}
