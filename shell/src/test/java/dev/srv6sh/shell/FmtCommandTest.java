package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FmtCommandTest {
    @Test
    void checkListsThenFmtRewritesThenCheckPasses(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("messy.srv6");
        Files.writeString(f, "region   paris aws \"eu-west-3\"  # home\nvpc pv in paris{cidr 10.11.0.0/16}\n");
        Cli first = Cli.run("fmt", "--check", f.toString());
        assertThat(first.exit()).isEqualTo(1);
        assertThat(first.out()).isEqualTo(f + ": not formatted\n");
        assertThat(Files.readString(f)).startsWith("region   paris");

        Cli fmt = Cli.run("fmt", f.toString());
        assertThat(fmt.exit()).isZero();
        assertThat(Files.readString(f))
                .isEqualTo("region paris aws \"eu-west-3\"    # home\nvpc pv in paris { cidr 10.11.0.0/16 }\n");
        assertThat(Cli.run("fmt", "--check", f.toString()).exit()).isZero();
    }

    @Test
    void aFileThatDoesNotParseIsLeftAloneWithItsError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.srv6");
        Files.writeString(f, "let x = (1 +\n");
        Cli r = Cli.run("fmt", f.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("bad.srv6:").contains("error:");
        assertThat(Files.readString(f)).isEqualTo("let x = (1 +\n");
    }
}
