package dev.srv6sh.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarmupTest {
    @Test
    void theWarmUpTopologyCarriesEveryEchoThroughEndAndBothHeadends() throws Exception {
        // ra --H.Encaps.Red [rc.e, rb.dx4]--> rc (End) --> rb (End.DX4) --> hb, back with H.Encaps; then
        // 10 more to hb's public address, through the internet gateways' NAT; two rounds of it
        Warmup.Result r = Warmup.run(2, 2);
        assertThat(r.rounds()).isEqualTo(2);
        assertThat(r.answered()).isEqualTo(2 * 110);
        assertThat(r.lastCostNanos()).isPositive();
    }
}
