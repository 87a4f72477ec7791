package dev.srv6sh.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.grammar.diag.Diagnostic;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ping/measure with and without the SRv6 routers, measure throughput udp, and tcp's refusal on local. */
class MeasureTest {
    private static final String PARIS_LONDON =
            """
            region paris  aws "eu-west-3"
            region london aws "eu-west-2"
            vpc pv in paris  { cidr 192.0.2.0/24 }
            vpc lv in london { cidr 198.51.100.0/24 }
            host pc in pv
            host lc in lv
            router pr in pv {
              locator auto
              sid dx4 End.DX4 nh pc
              policy to_london encap [lr.dx4]
              steer lv -> to_london
            }
            router lr in lv {
              locator auto
              sid dx4 End.DX4 nh lc
              policy to_paris encap [pr.dx4]
              steer pv -> to_paris
            }
            apply auto
            """;

    private static ScriptRun run(String body) {
        return ScriptRun.of("m.srv6", PARIS_LONDON + body);
    }

    private static List<String> check(String body) {
        return Interpreter.check("m.srv6", PARIS_LONDON + body, Map.of()).stream()
                .map(Diagnostic::message)
                .toList();
    }

    @Test
    void directPathsSkipTheRoutersAndUdpCrossesThem() {
        ScriptRun r = run(
                """
                let d = ping pc -> lc count 3 interval 10ms direct
                expect d.loss == 0%
                expect d.hoplimit == 64 else "no router on the direct path"
                expect d.rtt.mean > 9.385ms and d.rtt.mean < 9.485ms else "9.435 ms, give or take the link jitter"
                let m = measure rtt pc -> lc count 3 direct
                expect m.hoplimit == 64
                let t = measure throughput udp pc -> lc for 500ms rate 20Mbps size 1000B
                print t
                expect t.proto == "udp"
                expect t.sent == 1250
                expect t.packets == 1250
                expect t.loss == 0%
                expect t.reordered == 0
                expect t.hoplimit == 62 else "H.Encaps and End.DX4 each decrement the inner TTL"
                expect t.rate == 20Mbps else "paced exactly in virtual time"
                expect t.bytes == 1250000B
                let u = measure throughput udp pc -> lc for 200ms rate 10Mbps direct
                expect u.hoplimit == 64
                expect u.loss == 0%
                show topology
                """);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .contains("udp pc -> lc: 20 Mbps over 500 ms (offered 20 Mbps), 1250/1250 datagrams, 0% loss")
                .contains("host pc           192.0.2.10, 2001:db8:0:100::10, public 203.0.113.1")
                .contains("host lc           198.51.100.10, 2001:db8:0:200::10, public 203.0.113.2");
    }

    @Test
    void tcpThroughputNamesTheBackendsThatCanMeasureIt() {
        ScriptRun r = run("let t = measure throughput tcp pc -> lc for 1s\n");
        assertThat(r.exit()).isEqualTo(ExitCode.RUNTIME_ERROR);
        assertThat(r.err())
                .contains("'measure throughput tcp' needs a real TCP stack")
                .contains("netns and aws");
    }

    @Test
    void tcpTakesStreamsAndNoSizeAndUdpNoStreams() {
        assertThat(check("let t = measure throughput tcp pc -> lc for 2s streams 4 direct\n"))
                .isEmpty();
        assertThat(check("let t = measure throughput tcp pc -> lc streams 0\n")).containsExactly("'streams' is 1..128");
        assertThat(check("let t = measure throughput tcp pc -> lc streams\n"))
                .containsExactly("'streams' needs a value");
        assertThat(check("let t = measure throughput tcp pc -> lc size 1400B\n"))
                .singleElement()
                .asString()
                .startsWith("'size' is a UDP datagram's size");
        assertThat(check("let t = measure throughput udp pc -> lc streams 2\n"))
                .singleElement()
                .asString()
                .startsWith("'streams' opens parallel TCP connections");
    }

    @Test
    void throughputOptionsAreCheckedBeforeAnythingRuns() {
        assertThat(check("let t = measure throughput udp pc -> lc for 2s rate 1Gbps size 1400B direct\n"))
                .isEmpty();
        assertThat(check("let t = measure throughput udp pc -> lc size 20B\n"))
                .singleElement()
                .asString()
                .startsWith("'size' is the IPv4 datagram's size, 44B..9000B");
        assertThat(check("let t = measure throughput udp pc -> lc rate 5s\n"))
                .containsExactly("'rate' takes a rate, not a duration");
        assertThat(check("let t = measure throughput udp pc -> lc for 2h\n")).containsExactly("'for' is 1ms..1h");
        assertThat(check("let t = measure throughput udp pc -> lc direct 3\n"))
                .containsExactly("unexpected '3'; expected end of line");
        assertThat(check("let t = measure throughput udp pc -> lc rat 1Mbps\n"))
                .containsExactly("unknown option 'rat'");
        assertThat(check("let t = measure throughput pc -> lc\n"))
                .containsExactly("'measure throughput' needs a protocol: udp or tcp");
        assertThat(check("let t = ping pc -> lc direct\n")).isEmpty();
    }
}
