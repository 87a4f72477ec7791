package dev.srv6sh.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.grammar.diag.Diagnostic;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker's verdicts on small scripts: each problem named, placed and explained. */
class CheckTest {
    private static final String TOPOLOGY =
            """
            region paris  aws "eu-west-3"
            region london aws "eu-west-2"
            vpc pv in paris  { cidr 10.11.0.0/16 }
            vpc lv in london { cidr 10.12.0.0/16 }
            host pc in pv
            host lc in lv
            """;

    private static List<String> check(String body) {
        return check(body, Map.of());
    }

    private static List<String> check(String body, Map<String, String> params) {
        String text = TOPOLOGY + body;
        return Interpreter.check("t.srv6", text, params).stream()
                .map(d -> d.span().line() + ":" + d.span().column() + " " + d.message() + notes(d))
                .toList();
    }

    private static String notes(Diagnostic d) {
        return d.notes().isEmpty() ? "" : " | " + String.join(" | ", d.notes());
    }

    /** The start-up warm-up runs the whole checker: its script has no problem to stop it early. */
    @Test
    void theWarmUpScriptChecksClean() {
        assertThat(Interpreter.warmUp()).isEmpty();
    }

    @Test
    void aCorrectScriptHasNoProblems() {
        assertThat(
                        check(
                                """
                router pr in pv {
                  locator auto
                  sid dx4 End.DX4 nh pc
                  policy to_london encap [lr.dx4]
                  steer lv -> to_london
                }
                router lr in lv { locator auto; sid dx4 End.DX4 nh lc }
                apply auto
                let r = ping pc -> lc count 3
                expect r.loss == 0%
                expect r.rtt.mean < 15ms
                """))
                .isEmpty();
    }

    @Test
    void unknownNamesComeWithSuggestions() {
        assertThat(check("router pr in pvv { locator auto }\n"))
                .containsExactly("7:14 unknown vpc 'pvv' | did you mean 'pv'?");
        assertThat(check("router pr in pv { sid d End.DX5 nh pc }\n"))
                .containsExactly("7:25 unknown behavior 'End.DX5' | did you mean 'End.DX2', 'End.DX4' or 'End.DX6'?");
        assertThat(check("router pr in pv { sid d End.DX4 nh pcc }\n"))
                .containsExactly("7:36 unknown host 'pcc' | did you mean 'pc'?");
        assertThat(check("router pr in pv { policy p encap [pr.dx4] }\n"))
                .containsExactly("7:35 router pr has no SID 'dx4'");
        assertThat(check("router pr in pv { policy p encap [pr.x]; steer lv -> q }\n"))
                .containsExactly("7:35 router pr has no SID 'x'", "7:54 router pr has no policy 'q'");
    }

    @Test
    void behaviorArgumentsFollowTheTable() {
        assertThat(check("router pr in pv { sid d End.DX4 }\n"))
                .containsExactly("7:25 End.DX4 needs 'nh' (an IPv4 address or host)");
        assertThat(check("router pr in pv { sid d End.DX4 nh 2001:db8::1 }\n"))
                .containsExactly("7:36 'nh' must be an IPv4 address or host, not an IPv6 address");
        assertThat(check("router pr in pv { sid d End nh pc }\n"))
                .containsExactly("7:29 End takes no argument 'nh'; it takes flavors, count, lblen, nflen");
        assertThat(check("router pr in pv { sid u End flavors next-csid lblen 32 nflen 16 }\n"))
                .isEmpty();
        assertThat(check("router pr in pv { sid u End.T table 1 lblen 32 }\n"))
                .containsExactly("7:39 End.T takes no argument 'lblen'; it takes table, flavors, count");
        assertThat(check("router pr in pv { sid u End.X nh 2001:db8::1 nflen 1.5 }\n"))
                .singleElement()
                .asString()
                .contains("must be a whole number");
    }

    @Test
    void dimensionsAreChecked() {
        assertThat(check("let x = 10ms + 5Gbps\n")).containsExactly("7:9 cannot add a rate to a duration");
        assertThat(check("expect 10ms < 5%\n")).containsExactly("7:8 cannot compare a duration with a percentage");
        assertThat(check("let x = 10ms + 5ms\nexpect x == 15ms\n")).isEmpty();
    }

    @Test
    void duplicatesPointAtBothPlaces() {
        assertThat(check("host pc in lv\n"))
                .containsExactly("7:6 'pc' is declared twice | first declared at t.srv6:5:1");
    }

    @Test
    void paramsAreOverriddenAndUnusedOnesReported() {
        assertThat(check("param n = 3\nexpect n == 3\n")).isEmpty();
        assertThat(check("param d = 20s\nexpect d < 5s\n", Map.of("d", "2s"))).isEmpty();
        assertThat(check("param d = 20s\n", Map.of("dd", "2s")))
                .containsExactly("0:0 no 'param dd' in t.srv6 for --param dd");
    }

    @Test
    void familiesAndLoopsDeclareOneResourcePerElement() {
        assertThat(
                        check(
                                """
                let sites = {a: "eu-west-1", b: "us-west-2"}
                for s, i in keys(sites) {
                  region reg[s] aws sites[s]
                  vpc net[s] in reg[s] { cidr subnet(10.0.0.0/8, 8, 20 + i) }
                  host vm[s] in net[s]
                  router gw[s] in net[s] { locator auto; sid dx4 End.DX4 nh vm[s] }
                }
                policy to_b encap [gw["b"].dx4] on gw["a"]
                steer net["b"] -> to_b on gw["a"]
                """))
                .isEmpty();
    }

    @Test
    void oneCheckReportsEveryProblemButNotTheirEchoes() {
        assertThat(check("router pr in pvv { locator auto }\nlet x = 1ms + 1Gbps\nhost h in lv { ip 10.99.0.1 }\n"))
                .containsExactly(
                        "7:14 unknown vpc 'pvv' | did you mean 'pv'?",
                        "8:9 cannot add a rate to a duration",
                        "9:16 host address 10.99.0.1 is outside vpc lv (10.12.0.0/16)");
        // 'bad' failed to declare: the host that uses it is not reported again
        assertThat(check("vpc bad in nowhere { cidr 10.20.0.0/16 }\nhost h in bad\n"))
                .containsExactly("7:12 unknown region 'nowhere'");
        assertThat(
                        check(
                                """
                router pr in pv {
                  policy a encap [lrr.dx4]
                  policy b encap [pr.nope]
                  steer lv -> c
                }
                router lr in lv { locator auto }
                """))
                .containsExactly(
                        "8:19 unknown router 'lrr' | did you mean 'lr'?",
                        "9:19 router pr has no SID 'nope'",
                        "10:15 router pr has no policy 'c'");
    }

    @Test
    void overlappingVpcsAndSidsOutsideTheirLocatorAreRefused() {
        assertThat(
                        check(
                                """
                vpc ov in london { cidr 10.11.128.0/17 }
                router pr in pv { policy p encap [2001:db8::1]; steer ov -> p }
                """))
                .containsExactly("8:49 router pr steers vpc ov (10.11.128.0/17), which overlaps its own vpc pv "
                        + "(10.11.0.0/16); give the VPCs disjoint CIDRs");
        assertThat(check("router pr in pv { locator 2001:db8:1::/48; sid e at 2001:db8:2::1 End }\n"))
                .containsExactly("7:44 SID pr.e at 2001:db8:2::1 is outside the router's locator 2001:db8:1::/48");
        assertThat(check("router pr in pv { locator 2001:db8:1::/48; sid e at ::e End }\n"))
                .isEmpty();
    }
}
