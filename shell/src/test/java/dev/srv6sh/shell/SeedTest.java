package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --seed: the local backend's link jitter is seeded; the same seed gives the same delays. */
class SeedTest {
    @TempDir
    Path dir;

    /** A direct path crosses no router, so its RTTs are the link model's alone: identical run after run. */
    private String directRtts(String... seed) throws Exception {
        Path script = dir.resolve("seed.srv6");
        Files.writeString(
                script, TraceCaptureTest.TOPOLOGY + "let d = ping pc -> lc count 5 direct\nprint d.rtt.samples\n");
        String[] args = new String[3 + seed.length];
        args[0] = "run";
        args[1] = script.toString();
        args[2] = "--dir=" + dir;
        System.arraycopy(seed, 0, args, 3, seed.length);
        Cli run = Cli.run(args);
        assertThat(run.exit()).as(run.err()).isZero();
        return run.out().lines().filter(l -> l.startsWith("[")).findFirst().orElseThrow();
    }

    @Test
    void theSameSeedGivesTheSameDelaysAndTheDefaultIsFixed() throws Exception {
        String byDefault = directRtts();
        assertThat(directRtts()).isEqualTo(byDefault);
        assertThat(directRtts("--seed", "1")).isEqualTo(byDefault);
        String seven = directRtts("--seed", "7");
        assertThat(seven).isNotEqualTo(byDefault);
        assertThat(directRtts("--seed", "7")).isEqualTo(seven);
    }

    @Test
    void aSeedIsAWholeNumberAndTheLifecycleCommandsTakeOneToo() {
        Cli bad = Cli.run("run", Cli.root().resolve("scripts/quickstart.srv6").toString(), "--seed", "x");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--seed").contains("'x'");
        Cli apply = Cli.run("apply", LifecycleTest.SCRIPT, "--auto-approve", "--seed", "7");
        assertThat(apply.exit()).as(apply.err()).isZero();
        assertThat(Cli.run("run", "--help").out()).contains("--seed=N");
        assertThat(Cli.run("plan", "--help").out()).contains("--seed=N");
    }
}
