package dev.srv6sh.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarmupTest {
    @Test
    void theWarmUpTopologyCarriesEveryEchoThroughEndAndBothHeadends() throws Exception {
        // ra --H.Encaps.Red [rc.e, rb.dx4]--> rc (End) --> rb (End.DX4, an SRH) --> hb, back with
        // H.Encaps [rc.p, ra.dx4] through rc's End with PSP (ra's End.DX4 finds no SRH); then 10 more to
        // hb's public address, through the internet gateways' NAT; two rounds of it, the first traced
        Warmup.Result r = Warmup.run(2, 2);
        assertThat(r.rounds()).isEqualTo(2);
        assertThat(r.answered()).isEqualTo(2 * 110);
        assertThat(r.lastCostNanos()).isPositive();
        // the 200 replies and the UDP flows' datagrams (20 ms at 1 Gbit/s: 1,786 each, a few of which the
        // routers' measured costs may queue past a shaper's limit)
        assertThat(r.psp()).isBetween(2L * 100 + 2 * 1_700, 2L * 100 + 2 * 1_786);
        assertThat(r.traced()).isEqualTo(2);
    }
}
