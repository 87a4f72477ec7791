package dev.srv6sh.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.bench.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmupTest {
    @Test
    void everyCaseForwardsEveryPacketItSends() {
        Warmup.Report r = Warmup.run(Warmup.CASES, 50, 3);
        assertThat(r.cases()).isEqualTo(Warmup.CASES.size());
        // twice over: the second pass with half as many of each
        assertThat(r.packets()).isEqualTo(Warmup.CASES.size() * ((50L + 3 * 32) + (25L + 1 * 32)));
        assertThat(r.summary()).startsWith(Warmup.CASES.size() + " cases, " + r.packets() + " packets in ");
    }

    @Test
    void theCasesAreBenchmarksThatExist() {
        assertThat(Workload.names()).containsAll(Warmup.CASES);
        assertThatThrownBy(() -> Warmup.run(List.of("End.Nothing"), 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no benchmark 'End.Nothing'");
    }
}
