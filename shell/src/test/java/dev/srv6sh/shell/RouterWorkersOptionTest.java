package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code srv6sh router --workers N}: 1 to 64, and {@code --cpus LIST}: CPUs and ranges; anything else an
 * option error (exit 2) saying so.
 */
class RouterWorkersOptionTest {
    @TempDir
    Path dir;

    @Test
    void workersOutOfRangeAreAnOptionError() {
        String script = dir.resolve("x.srv6").toString();
        Cli zero = Cli.run("router", "--config", script, "--name", "r", "--workers", "0");
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).contains("--workers takes 1 to 64 data plane threads, not 0");
        Cli many = Cli.run("router", "--config", script, "--name", "r", "--workers", "65");
        assertThat(many.exit()).isEqualTo(2);
        Cli word = Cli.run("router", "--config", script, "--name", "r", "--workers", "many");
        assertThat(word.exit()).isEqualTo(2);
        assertThat(word.err()).contains("--workers");
        Cli help = Cli.run("router", "--help");
        assertThat(help.out()).contains("--workers=N").contains("--cpus=LIST");
        Cli cpus = Cli.run("router", "--config", script, "--name", "r", "--cpus", "3-1");
        assertThat(cpus.exit()).isEqualTo(2);
        assertThat(cpus.err()).contains("--cpus: '3-1' in CPU list '3-1' is not a CPU");
    }
}
