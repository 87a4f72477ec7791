package dev.srv6sh.interpreter.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.interpreter.ScriptRun;
import org.junit.jupiter.api.Test;

/** show sids|policies|steering before apply: the declared program, the candidate, marked as such. */
class ShowCandidateTest {
    private static final String TOPOLOGY =
            """
            region paris  aws "eu-west-3"
            region london aws "eu-west-2"
            vpc pv in paris  { cidr 10.11.0.0/16 }
            vpc lv in london { cidr 10.12.0.0/16 }
            host pc in pv
            host lc in lv { ip 10.12.1.50 }
            router pr in pv {
              locator auto
              sid dx4 End.DX4 nh pc
              sid e at 2001:db8:0:101:1::e End
              policy to_london encap [lr.dx4]
              steer lv -> to_london
            }
            router lr in lv {
              locator 2001:db8:0:201:1::/80
              sid dx4 End.DX4 nh lc
              policy home encap [pr.dx4, lr.dx4]
              steer pc -> home
            }
            """;

    private static String run(String body) {
        ScriptRun r = ScriptRun.of("t.srv6", TOPOLOGY + body);
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        return r.out();
    }

    @Test
    void beforeApplyTheDeclaredProgramIsShownAndSaysSo() {
        String lrSid = "2001:db8:0:201:1:" + Integer.toHexString(Binder.fnv16("sid dx4")) + "::";
        assertThat(run("show sids\nshow policies lr\nshow steering\n"))
                .isEqualTo(
                        """
                        router pr (candidate: declared, not applied):
                          (allocated at apply)         End.DX4          dx4 nh pc
                          2001:db8:0:101:1::e          End              e
                        router lr (candidate: declared, not applied):
                          %1$-28s End.DX4          dx4 nh 10.12.1.50
                        router lr (candidate: declared, not applied):
                          %2$-28s encap      home [[pr.dx4, %1$s] weight 1]
                        router pr (candidate: declared, not applied):
                          10.12.0.0/16                 -> to_london
                        router lr (candidate: declared, not applied):
                          pc (allocated at apply)      -> home
                        """
                                .formatted(
                                        lrSid,
                                        "2001:db8:0:201:1:" + Integer.toHexString(Binder.fnv16("policy home")) + "::"));
    }

    @Test
    void afterApplyTheInstalledProgram() {
        String out = run("apply auto\nshow sids pr\n");
        String shown = out.substring(out.indexOf("router pr:\n"));
        assertThat(shown).doesNotContain("candidate").doesNotContain("allocated at apply");
        assertThat(shown).contains("End.DX4          dx4 nh 10.11.");
    }

    /** A router declared after an apply is shown as declared, the applied ones as installed. */
    @Test
    void aRouterDeclaredSinceIsACandidate() {
        String out = run("apply auto\nrouter xr in pv { locator 2001:db8:0:1ff::/64; sid x End }\nshow sids\n");
        String shown = out.substring(out.indexOf("router pr:\n"));
        assertThat(shown.lines().filter(l -> l.startsWith("router")))
                .containsExactly("router pr:", "router lr:", "router xr (candidate: declared, not applied):");
        assertThat(shown).contains("2001:db8:0:1ff:" + Integer.toHexString(Binder.fnv16("sid x")) + "::");
    }
}
