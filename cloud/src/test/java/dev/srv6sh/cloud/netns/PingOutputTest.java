package dev.srv6sh.cloud.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.cloud.HostHandle.Probe;
import java.util.List;
import org.junit.jupiter.api.Test;

/** iputils' ping output, as the netns hosts' probes read it. */
class PingOutputTest {

    @Test
    void repliesBecomeProbesAndMissingOnesAreUnanswered() {
        String out =
                """
                PING 198.51.100.10 (198.51.100.10) 56(84) bytes of data.
                64 bytes from 198.51.100.10: icmp_seq=1 ttl=61 time=0.512 ms
                64 bytes from 198.51.100.10: icmp_seq=3 ttl=61 time=12.3 ms
                64 bytes from 198.51.100.10: icmp_seq=3 ttl=61 time=40.0 ms (DUP!)

                --- 198.51.100.10 ping statistics ---
                3 packets transmitted, 2 received, 33.3333% packet loss, time 2003ms
                """;
        List<Probe> p = PingOutput.probes(out, 3);
        assertThat(p).containsExactly(new Probe(0, 512_000, 61), new Probe(1, -1, -1), new Probe(2, 12_300_000, 61));
    }

    @Test
    void ipv6RepliesCarryTheHopLimit() {
        String out = "64 bytes from 2001:db8::10: icmp_seq=1 ttl=63 time=1.00 ms\n";
        assertThat(PingOutput.probes(out, 1)).containsExactly(new Probe(0, 1_000_000, 63));
    }

    @Test
    void noOutputMeansNoAnswers() {
        assertThat(PingOutput.probes("", 2)).allMatch(pr -> !pr.answered());
    }
}
