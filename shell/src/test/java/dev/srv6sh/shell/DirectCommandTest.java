package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check FILE...} and {@code fmt FILE...} run without picocli (start-up); everything they print
 * and return is what the same command line gives through picocli, and any other command line, an
 * option or an argument file included, still goes through picocli.
 */
class DirectCommandTest {
    @TempDir
    Path dir;

    private static Cli direct(String... args) {
        return Cli.capture(() -> Main.direct(args));
    }

    private static Cli picocli(String... args) {
        return Cli.capture(() -> Main.commandLine(args).execute(args));
    }

    @Test
    void checkAndFmtGiveWhatPicocliGives() throws Exception {
        Path good = Cli.root().resolve("scripts/quickstart.srv6");
        Path bad = dir.resolve("bad.srv6");
        Files.writeString(bad, "region r local\nvpc v in r { cidr 10.1.0.0/16 }\nhost h in w\n");
        Path missing = dir.resolve("missing.srv6");
        Path messy = dir.resolve("messy.srv6");
        Files.writeString(messy, "region   r local\n");
        Path messy2 = dir.resolve("messy2.srv6");
        Files.writeString(messy2, "region   r local\n");
        for (List<String> args : List.of(
                List.of("check", good.toString()),
                List.of("check", good.toString(), bad.toString(), missing.toString()),
                List.of("fmt", bad.toString(), missing.toString()))) {
            String[] a = args.toArray(String[]::new);
            Cli d = direct(a);
            assertThat(d.exit()).as("%s runs directly", args).isNotNull();
            assertThat(d).as("%s", args).isEqualTo(picocli(a));
        }
        // fmt rewrites: once directly, once through picocli, on two copies of the same file
        Cli d = direct("fmt", messy.toString());
        Cli p = picocli("fmt", messy2.toString());
        assertThat(d.exit()).isEqualTo(p.exit()).isZero();
        assertThat(d.out()).isEqualTo(messy + ": formatted\n");
        assertThat(Files.readString(messy)).isEqualTo(Files.readString(messy2)).isEqualTo("region r local\n");
    }

    @Test
    void optionsArgumentFilesAndOtherCommandsGoThroughPicocli() {
        for (String[] args : new String[][] {
            {"check"},
            {"check", "--help"},
            {"check", "--param", "x=1", "a.srv6"},
            {"check", "a.srv6", "-h"},
            {"check", "@args.txt"},
            {"check", ""},
            {"fmt", "--check", "a.srv6"},
            {"run", "a.srv6"},
            {"--version"},
        }) {
            assertThat(Main.direct(args)).as(String.join(" ", args)).isNull();
        }
    }
}
