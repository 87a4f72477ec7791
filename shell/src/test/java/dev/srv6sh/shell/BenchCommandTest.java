package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code srv6sh bench} measures what it is asked for and refuses what it cannot measure. */
class BenchCommandTest {
    @Test
    void measuresTheCasesAskedForAndChecksTheGoalsItCan() {
        Cli r = Cli.run(
                "bench", "--behavior", "ip6-forward,End.DX4", "--vector", "1,256", "--time", "30", "--warmup", "30");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Mpps").contains("ns/pkt").contains("cycles/pkt");
        assertThat(r.out().lines().filter(l -> l.startsWith("End.DX4 ")).count())
                .isEqualTo(2);
        assertThat(r.out().lines().filter(l -> l.startsWith("ip6-forward ")).count())
                .isEqualTo(2);
        assertThat(r.out()).contains("256-vectors ≥ 3× the rate of 1-vectors").contains("≥ 0.85× ip6-forward");
    }

    @Test
    void badArgumentsAreExitTwoWithTheChoices() {
        Cli unknown = Cli.run("bench", "--behavior", "End.DX9");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no benchmark 'End.DX9'").contains("End.DX4");
        Cli vector = Cli.run("bench", "--vector", "512");
        assertThat(vector.exit()).isEqualTo(2);
        assertThat(vector.err()).contains("1 to 256");
    }
}
