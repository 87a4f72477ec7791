package dev.srv6sh.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final Session session = new Session(
            "local",
            new PrintStream(outBytes, true, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8));

    @AfterEach
    void close() {
        session.close();
    }

    private String out() {
        String s = outBytes.toString(StandardCharsets.UTF_8);
        outBytes.reset();
        return s;
    }

    private String err() {
        String s = errBytes.toString(StandardCharsets.UTF_8);
        errBytes.reset();
        return s;
    }

    private void ok(String entry) {
        assertThat(session.eval(entry)).as(entry + "\n" + errBytes).isTrue();
    }

    private static final String TOPOLOGY =
            """
            region paris aws "eu-west-3"
            vpc pv in paris { cidr 10.11.0.0/16 }
            host pc in pv
            """;

    @Test
    void aRedeclaredHostReplacesTheOldOneAndPlanShowsTheChange() {
        ok(TOPOLOGY);
        ok("apply auto");
        out();
        ok("host pc in pv { instance \"t3.small\" }");
        ok("plan");
        assertThat(out()).isEqualTo("-/+ host pc  (settings changed)\nPlan: 0 to add, 1 to change, 0 to destroy.\n");
        assertThat(err()).isEmpty();
    }

    /** What is declared after an apply is not deployed until the next: operations on it say so. */
    @Test
    void operationsOnWhatIsDeclaredSinceTheApplySayItIsNotDeployed() {
        ok(TOPOLOGY);
        ok("apply auto");
        ok("host pc2 in pv");
        ok("router y in pv {\n  locator auto\n}");
        out();
        err();
        for (String op : List.of("show neighbors y", "show fib y", "show counters y", "trace y")) {
            assertThat(session.eval(op)).as(op).isFalse();
            assertThat(err())
                    .as(op)
                    .startsWith("error: router y is not deployed: '" + op.replace(" y", "")
                            + "' needs an 'apply' after its declaration");
        }
        assertThat(session.eval("ping pc -> pc2 count 1")).isFalse();
        assertThat(err()).startsWith("error: host pc2 is not deployed: 'ping' needs an 'apply'");
    }

    @Test
    void aFunctionCallingItselfWithoutEndIsAnErrorAtTheCall() {
        assertThat(session.eval("fn f(x) {\n  return f(x)\n}")).isTrue();
        assertThat(session.eval("let y = f(1)")).isFalse();
        assertThat(err()).contains("calls of f nest deeper than 200");
        ok("fn fact(n) {\n  if n <= 1 {\n    return 1\n  }\n  return n * fact(n - 1)\n}");
        ok("print fact(20)");
        assertThat(out()).contains("2432902008176640000");
    }

    @Test
    void anErrorPointsIntoTheEntryAndTheSessionGoesOn() {
        ok(TOPOLOGY);
        assertThat(session.eval("host pc2 in pvv")).isFalse();
        assertThat(err())
                .isEqualTo(
                        """
                        error: unknown vpc 'pvv'
                          host pc2 in pvv
                                      ^~~
                          did you mean 'pv'?
                        """);
        ok("print 1 + 1");
        assertThat(out()).isEqualTo("2\n");
    }

    @Test
    void aFailedEntryLeavesTheDeclarationsAsTheyWere() {
        ok(TOPOLOGY);
        ok("router r in pv {\n  sid a End\n}");
        assertThat(session.eval("router r in pv {\n  sid b End\n  sid c End.DX4\n}"))
                .isFalse();
        assertThat(err()).contains("End.DX4 needs 'nh'");
        assertThat(session.members("r")).containsExactly("a");
    }

    @Test
    void letRebindsInASessionAndReturnOutsideAFunctionIsAnError() {
        ok("let x = 1");
        ok("let x = x + 1");
        ok("print x");
        assertThat(out()).isEqualTo("2\n");
        assertThat(session.eval("return 3")).isFalse();
        assertThat(err()).contains("'return' belongs inside a function");
    }

    @Test
    void anElseEntryAfterAnIfEntrySaysWhereElseGoes() {
        ok("if 1 > 2 {\n  print 1\n}");
        assertThat(session.eval("else {\n  print 2\n}")).isFalse();
        assertThat(err())
                .isEqualTo(
                        """
                        error: unexpected 'else'; expected a statement or end of line
                          else {
                          ^~~~
                          an 'if' entry ends at its '}': write '} else {' on that line
                        """);
    }

    @Test
    void namesAndMembersForCompletion() {
        ok(TOPOLOGY);
        ok("router pr in pv {\n  sid dx4 End.DX4 nh pc\n}");
        ok("policy to_x encap [pr.dx4] on pr");
        ok("let m = {a: 1, b: 2}");
        assertThat(session.names()).contains("paris", "pv", "pc", "pr", "m");
        assertThat(session.members("pr")).containsExactly("dx4", "to_x");
        assertThat(session.members("m")).containsExactly("a", "b");
        assertThat(session.members("nothing")).isEmpty();
    }

    @Test
    void aRouterRedeclaredKeepsTheSidsOtherEntriesGaveIt() {
        ok(TOPOLOGY);
        ok("router pr in pv {\n  sid a End\n}");
        ok("sid b End on pr");
        ok("router pr in pv {\n  sid c End\n}");
        assertThat(session.members("pr")).containsExactly("c", "b");
    }

    @Test
    void theScriptHasReplacementsInPlaceAndOperationsInOrder() {
        ok(TOPOLOGY);
        ok("let n = 3");
        ok("print n");
        ok("vpc pv in paris { cidr 10.21.0.0/16 }");
        ok("let n = 4");
        assertThat(session.eval("host bad in nowhere")).isFalse();
        assertThat(session.script())
                .isEqualTo(
                        """
                        region paris aws "eu-west-3"
                        vpc pv in paris { cidr 10.21.0.0/16 }
                        host pc in pv
                        let n = 4
                        print n
                        """);
    }

    @Test
    void resetForgetsAndBackendIsChecked() {
        ok(TOPOLOGY);
        session.reset();
        assertThat(session.names()).isEmpty();
        assertThat(session.script()).isEmpty();
        assertThat(session.backend("aws")).contains("is not in this build of srv6sh");
        assertThat(session.backend("locl")).contains("unknown backend 'locl'").contains("local");
        assertThat(session.backend("local")).isNull();
        assertThat(session.backend("local --seed x")).contains("--seed takes a whole number, not 'x'");
        assertThat(session.backend("local --sed 7")).contains("expected ':backend NAME' or ':backend NAME --seed N'");
        assertThat(session.backend("local --seed 7")).isNull();
        assertThat(session.backend()).isEqualTo("local --seed 7");
        assertThat(session.backend("local")).isNull();
        assertThat(session.backend()).isEqualTo("local");
    }

    /** In virtual time a ping of 100 at 1 s takes milliseconds; an hour of UDP at 1 Gbit/s takes hours. */
    @Test
    void cancelInterruptsARunningMeasurement() throws Exception {
        ok(TOPOLOGY);
        ok("host pd in pv");
        ok("apply auto");
        Thread canceller = Thread.ofVirtual().start(() -> {
            try {
                while (!session.busy()) {
                    Thread.sleep(5);
                }
                Thread.sleep(200);
                session.cancel();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long start = System.nanoTime();
        assertThat(session.eval("measure throughput udp pc -> pd for 1h rate 1Gbps"))
                .isFalse();
        canceller.join();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(30_000);
        assertThat(err()).contains("interrupted");
        ok("print \"still here\"");
        assertThat(out()).endsWith("still here\n");
    }
}
