package dev.srv6sh.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code in} with resources on either side: hosts, VPCs, routers and SIDs stand for their addresses. */
class AddressInTest {
    private static final String TOPOLOGY =
            """
            region paris  aws "eu-west-3"
            region london aws "eu-west-2"
            vpc pv in paris  { cidr 10.11.0.0/16 }
            vpc lv in london { cidr 10.12.0.0/16; ipv6 2001:db8:0:200::/56 }
            host pc in pv
            host lc in lv { ip 10.12.1.50 }
            router pr in pv { locator auto; sid dx4 End.DX4 nh pc; policy out encap [lr.dx4]; steer lv -> out }
            router lr in lv { locator 2001:db8:0:201:1::/80; sid dx4 End.DX4 nh lc }
            """;

    private static ScriptRun run(String body) {
        return ScriptRun.of("t.srv6", TOPOLOGY + body);
    }

    private static List<String> check(String body) {
        return Interpreter.check("t.srv6", TOPOLOGY + body, Map.of()).stream()
                .map(d -> d.span().line() + ":" + d.span().column() + " " + d.message()
                        + (d.notes().isEmpty() ? "" : " | " + String.join(" | ", d.notes())))
                .toList();
    }

    /** What the script declares is known before apply: a VPC's CIDR, an explicit ip, locator or block. */
    @Test
    void declaredAddressesBeforeApply() {
        ScriptRun r = run(
                """
                print 10.11.0.5 in pv
                print 10.12.0.5 in pv
                print pv in 10.0.0.0/8
                print pv in 10.11.0.0/17
                print lc in lv
                print lc in 10.12.1.0/24
                print 10.12.1.50 in lc
                print lr.dx4 in lr
                print lr.dx4 in 2001:db8:0:201::/64
                print lr.dx4 in 2001:db8:a::/48
                print lr in 2001:db8::/32
                print 2001:db8:0:2ff::1 in lv
                print lc in [pc, lc]
                print pc in [lc]
                """);
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines())
                .containsExactly(
                        "true", "false", "true", "false", "true", "true", "true", "true", "true", "false", "true",
                        "true", "true", "false");
    }

    /** After apply the backend's choices count: locator auto, a host's address, a VPC's IPv6 block. */
    @Test
    void allocatedAddressesAfterApply() {
        ScriptRun r = run(
                """
                fn documentation(s) {
                  return s in 2001:db8::/32
                }
                apply auto
                print pr.dx4 in pr
                print pr.dx4 in lr
                print pr.out in pr
                print pr.dx4 in pv
                print pc in pv
                print pc in lv
                expect documentation(pr.dx4)
                """);
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.subList(lines.size() - 6, lines.size()))
                .containsExactly("true", "false", "true", "true", "true", "false");
    }

    @Test
    void whatOnlyTheBackendAllocatesIsARuntimeErrorBeforeApply() {
        ScriptRun sid = run("print pr.dx4 in 2001:db8::/32\n");
        assertThat(sid.exit()).isEqualTo(ExitCode.RUNTIME_ERROR);
        assertThat(sid.err())
                .startsWith("t.srv6:9:7: error: router pr has no locator before 'apply': 'locator auto' is"
                        + " allocated by the backend");
        ScriptRun host = run("print pc in pv\n");
        assertThat(host.exit()).isEqualTo(ExitCode.RUNTIME_ERROR);
        assertThat(host.err()).contains("host pc has no address before 'apply'");
        ScriptRun block = run("print 2001:db8::1 in pv\n");
        assertThat(block.err()).contains("vpc pv has no IPv6 block before 'apply'");
    }

    /** The checker knows which kinds have addresses, and which SIDs a router has. */
    @Test
    void theCheckerKeepsTheTypes() {
        assertThat(
                        check(
                                """
                        expect lr.dx4 in 2001:db8:a::/48
                        expect 192.0.2.10 in pv
                        expect pc in pv
                        expect pv in lv
                        expect pr.out in pr
                        """))
                .isEmpty();
        assertThat(check("expect paris in pv\n"))
                .singleElement()
                .asString()
                .startsWith("9:8 'in' cannot combine a region and a vpc; it takes a list, a map, or a prefix");
        assertThat(check("expect pc in \"pv\"\n"))
                .singleElement()
                .asString()
                .startsWith("9:8 'in' cannot combine a host and a string");
        assertThat(check("expect pr.dx5 in pv\n"))
                .containsExactly("9:8 router pr has no SID or policy 'dx5' | did you mean 'dx4'?");
    }
}
