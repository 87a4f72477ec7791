package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.agent.PacketTrace;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode;
import dev.srv6sh.dataplane.config.Prefix;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packet trace ({@code engine.trace(n)}): which nodes a packet passed, in order, and what each saw. */
class TraceTest {
    /** The IP packet of the one frame a harness sent out of 'out'. */
    private static byte[] forwarded(Harness h) {
        byte[] f = h.onlyOut();
        h.out.clear();
        return f;
    }

    @Test
    void aTracedPacketShowsItsNodesInOrderThroughHEncapsEndAndEndDx4() throws Exception {
        DataplaneConfig headend = Harness.config(
                List.of(),
                List.of(Harness.policy("to-dx4", PolicyMode.ENCAP, "a3::", "a3::c4")),
                List.of(new DataplaneConfig.Steer(0, Prefix.parse("203.0.113.0/24"), "to-dx4")));
        DataplaneConfig end = Harness.config(List.of(Harness.sid("a3::", "End", null)), List.of(), List.of());
        DataplaneConfig dx4 =
                Harness.config(List.of(Harness.sid("a3::c4", "End.DX4", "198.51.100.2")), List.of(), List.of());
        byte[] ip4 = MalformedTest.inner4();
        ip4[16] = (byte) 203; // to 203.0.113.123 (checksum fixed below)
        ip4[17] = 0;
        ip4[18] = 113;
        ip4[10] = 0;
        ip4[11] = 0;
        var seg = java.lang.foreign.MemorySegment.ofArray(ip4);
        dev.srv6sh.dataplane.proto.Ip4.updateChecksum(seg, 0, 20);
        try (Harness h1 = new Harness(headend);
                Harness h2 = new Harness(end);
                Harness h3 = new Harness(dx4)) {
            for (Harness h : List.of(h1, h2, h3)) {
                h.engine.trace(1);
            }
            h1.send(ip4);
            h2.send(forwarded(h1));
            h3.send(forwarded(h2));
            assertThat(forwarded(h3)).hasSize(36);

            PacketTrace t1 = h1.engine.traces().getFirst();
            assertThat(t1.rxInterface()).isEqualTo("in");
            assertThat(t1.nodes())
                    .containsExactly(
                            "ethernet-input",
                            "ip4-input",
                            "ip4-lookup",
                            "sr-policy-rewrite-encaps",
                            "ip6-lookup",
                            "ip6-rewrite",
                            "interface-output");
            assertThat(t1.steps().get(3).text()).startsWith("policy to-dx4: 123.1.1.1 -> 203.0.113.123 ttl 64");
            assertThat(t1.steps().get(4).text()).contains("a3:: -> a3:: hlim 64 SRH sl 1 le 1");
            assertThat(t1.steps().get(6).text()).isEqualTo("out out 130 bytes");

            PacketTrace t2 = h2.engine.traces().getFirst();
            assertThat(t2.nodes())
                    .containsExactly(
                            "ethernet-input",
                            "ip6-input",
                            "ip6-lookup",
                            "sr-localsid",
                            "end",
                            "ip6-lookup",
                            "ip6-rewrite",
                            "interface-output");
            assertThat(t2.steps().get(4).text()).startsWith("End s-a3::, a3:: -> a3:: hlim 64 SRH sl 1 le 1");
            assertThat(t2.steps().get(5).text()).contains("a3:: -> a3::c4 hlim 63 SRH sl 0 le 1");

            PacketTrace t3 = h3.engine.traces().getFirst();
            assertThat(t3.nodes())
                    .containsExactly(
                            "ethernet-input",
                            "ip6-input",
                            "ip6-lookup",
                            "sr-localsid",
                            "end-dx4",
                            "ip4-rewrite",
                            "interface-output");
            assertThat(t3.steps().get(4).text()).startsWith("End.DX4 s-a3::c4, a3:: -> a3::c4 hlim 63 SRH sl 0 le 1");
            assertThat(t3.steps().get(5).text())
                    .isEqualTo("via out: 123.1.1.1 -> 203.0.113.123 ttl 63 proto 17 len 36");
            assertThat(t3.toString())
                    .startsWith(
                            "Packet 1 (rx in)\n  ethernet-input: 02:00:00:00:00:77 -> 02:00:00:00:00:01 type 0x86dd");
        }
    }

    @Test
    void onlyTheArmedNumberOfPacketsIsTracedAndADropShowsItsReason() throws Exception {
        try (Harness h = new Harness(MalformedTest.router())) {
            h.send(Vectors.get("V1_End_in")); // before arming: not traced
            h.engine.trace(2);
            h.send(Vectors.get("V10_hlim1_in"));
            h.send(Vectors.get("V1_End_in"));
            h.send(Vectors.get("V1_End_in"));
            List<PacketTrace> traces = h.engine.traces();
            assertThat(traces).hasSize(2);
            PacketTrace expired = traces.getFirst();
            assertThat(expired.nodes()).containsSubsequence("sr-localsid", "end", "ip6-icmp-error", "error-drop");
            assertThat(expired.steps())
                    .anySatisfy(s -> assertThat(s.toString()).isEqualTo("error-drop: end: hop limit exceeded"));
            assertThat(expired.steps())
                    .anySatisfy(s -> assertThat(s.toString()).startsWith("ip6-icmp-error: ICMPv6 type 3 code 0"));
            // the Time Exceeded the router sent is part of the trace, out of 'out' towards 1234::1
            assertThat(expired.nodes()).containsSubsequence("ip6-icmp-error", "ip6-lookup", "interface-output");
            assertThat(traces.get(1).number()).isEqualTo(2);
            assertThat(PacketTrace.render(traces)).contains("Packet 1 (rx in)", "Packet 2 (rx in)");
            h.engine.clearTraces();
            assertThat(h.engine.traces()).isEmpty();
            assertThat(PacketTrace.render(h.engine.traces())).isEqualTo("no packets traced\n");
            assertThat(Arrays.asList(h.out.size())).containsExactly(4);
        }
    }

    @Test
    void theBehaviorsNodesTraceTheirSidOrPolicy() throws Exception {
        try (Harness h = new Harness(InsertTest.headend(PolicyMode.INSERT))) {
            h.engine.trace(1);
            h.send(Vectors.get("V5_HEncaps_in"));
            PacketTrace t = h.engine.traces().getFirst();
            assertThat(t.nodes()).containsSubsequence("ip6-lookup", "sr-policy-rewrite-insert", "ip6-lookup");
            assertThat(t.steps()).anySatisfy(s -> assertThat(s.toString())
                    .startsWith("sr-policy-rewrite-insert: policy p: 1234::1 -> a7::1234 hlim 64"));
        }
        try (Harness h = new Harness(InsertTest.bound("End.B6.Insert"))) {
            h.engine.trace(1);
            h.send(Vectors.get("V1_End_in"));
            PacketTrace t = h.engine.traces().getFirst();
            assertThat(t.nodes()).containsSubsequence("sr-localsid", "end-b6-insert", "sr-policy-rewrite-insert");
            assertThat(t.steps())
                    .anySatisfy(s -> assertThat(s.toString()).startsWith("end-b6-insert: End.B6.Insert b6, "))
                    .anySatisfy(s -> assertThat(s.toString()).startsWith("sr-policy-rewrite-insert: policy b: "));
        }
        try (Harness h = new Harness(Layer2Test.dx2())) {
            h.engine.trace(1);
            h.send(Packets.ip6("2001:db8:9::1", "a3::d2", 64, 143, Layer2Test.customerFrame()));
            PacketTrace t = h.engine.traces().getFirst();
            assertThat(t.nodes()).containsSubsequence("sr-localsid", "end-dx2", "interface-output");
            assertThat(t.steps()).anySatisfy(s -> assertThat(s.toString())
                    .startsWith("end-dx2: End.DX2 d2, 2001:db8:9::1 -> a3::d2"));
        }
        try (Harness h = new Harness(Layer2Test.l2Headend(PolicyMode.ENCAP_L2))) {
            h.engine.trace(1);
            h.engine.port("in", MemoryPort.class).inject(Layer2Test.customerFrame());
            h.engine.poll();
            PacketTrace t = h.engine.traces().getFirst();
            assertThat(t.steps()).anySatisfy(s -> assertThat(s.toString())
                    .startsWith("sr-policy-rewrite-encaps-l2: policy p: 02:00:00:00:00:aa -> 02:00:00:00:00:bb"));
        }
        try (Harness h = new Harness(PacketTooBigTest.router())) {
            h.engine.trace(1);
            h.send(PacketTooBigTest.ip4(1500, true));
            PacketTrace t = h.engine.traces().getFirst();
            // the Fragmentation Needed the router sent is part of the trace
            assertThat(t.nodes())
                    .containsSubsequence(
                            "sr-policy-rewrite-encaps", "ip4-icmp-error", "ip4-lookup", "interface-output");
            assertThat(t.steps())
                    .anySatisfy(s -> assertThat(s.toString()).startsWith("ip4-icmp-error: ICMPv4 type 3 code 4 rest "));
        }
    }

    @Test
    void aTraceCountOutOfRangeIsRefused() throws Exception {
        try (Harness h = new Harness(MalformedTest.router())) {
            assertThatThrownBy(() -> h.engine.trace(-1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("out of 0..1000");
        }
    }
}
