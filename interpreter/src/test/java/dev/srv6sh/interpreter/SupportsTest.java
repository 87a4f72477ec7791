package dev.srv6sh.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.grammar.diag.Diagnostic;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code supports(FEATURE)}, which lets one script measure what each backend can, and {@code map +
 * map}, with which a script adds the columns only some backends fill.
 */
class SupportsTest {
    private static List<String> check(String text) {
        return Interpreter.check("s.srv6", text, Map.of()).stream()
                .map(Diagnostic::message)
                .toList();
    }

    @Test
    void localHasNoKernelTcpSoTheBranchIsSkippedAndTheRowKeepsItsColumns() {
        ScriptRun r = ScriptRun.of(
                "s.srv6",
                """
                let row = {region: "london", udp: 1}
                if supports("tcp") {
                  row = row + {tcp: 2}
                } else {
                  print "no tcp here"
                }
                print supports("tcp")
                print keys(row)
                """);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("no tcp here").contains("false").contains("[\"region\", \"udp\"]");
    }

    @Test
    void mapPlusMapMergesWithTheRightWinningAndTheLeftsOrderKept() {
        ScriptRun r = ScriptRun.of(
                "s.srv6",
                """
                let m = {a: 1, b: 2} + {c: 3, a: 9}
                print keys(m)
                expect m.a == 9 and m.b == 2 and m.c == 3
                let n = {a: 1}
                let o = n + {b: 2}
                expect len(n) == 1 else "the left operand is not changed"
                """);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("[\"a\", \"b\", \"c\"]");
    }

    @Test
    void aMapAndAnotherKindDoNotAddAndTheErrorSaysWhatDoes() {
        ScriptRun r = ScriptRun.of("s.srv6", "let m = {a: 1} + [2]\n");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("'+' cannot combine a map and a list").contains("two lists, two maps");
    }

    @Test
    void anUnknownFeatureIsAnErrorWhileCheckingWithAGuess() {
        assertThat(check("if supports(\"tpc\") { print 1 }\n"))
                .singleElement()
                .asString()
                .contains("supports(): no feature 'tpc'")
                .contains("did you mean 'tcp'?")
                .contains("the features are: tcp");
        assertThat(check("let x = supports(1)\n"))
                .containsExactly("supports() takes a feature's name, a string, not a number");
    }

    @Test
    void whileCheckingBothBranchesAreChecked() {
        // the answer is the backend's, unknown while checking: an error in either branch is found
        assertThat(check("if supports(\"tcp\") { print 1 } else { print nosuch }\n"))
                .singleElement()
                .asString()
                .contains("nosuch");
        assertThat(check("if supports(\"tcp\") { print nosuch } else { print 1 }\n"))
                .singleElement()
                .asString()
                .contains("nosuch");
    }
}
