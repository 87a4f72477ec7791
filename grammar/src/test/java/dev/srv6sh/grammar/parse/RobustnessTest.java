package dev.srv6sh.grammar.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.diag.Diagnostic;
import dev.srv6sh.grammar.diag.DiagnosticRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Whatever the input, the parser returns a program or diagnostics with spans inside the text, and
 * never throws: every prefix of the example scripts (what a REPL user has typed so far) and the
 * scripts with characters deleted or inserted at random (fixed seed, so failures reproduce).
 */
class RobustnessTest {
    private static final String NOISE = "{}[]()\"$:;,.->=|#\n\t @x0f%";

    @TestFactory
    Stream<DynamicTest> scripts() {
        return Stream.of("quickstart", "campaign", "chain")
                .map(name -> DynamicTest.dynamicTest(name, () -> garble(name)));
    }

    private static void garble(String name) throws IOException {
        String text = Files.readString(Path.of("src/test/resources/golden", name + ".srv6"));
        for (int i = 0; i <= text.length(); i++) {
            check(text.substring(0, i));
            Parser.isComplete(text.substring(0, i));
        }
        Random random = new Random(6);
        for (int round = 0; round < 400; round++) {
            StringBuilder b = new StringBuilder(text);
            for (int edit = 0; edit < 1 + round % 5; edit++) {
                int at = random.nextInt(b.length());
                if (random.nextBoolean()) {
                    b.deleteCharAt(at);
                } else {
                    b.insert(at, NOISE.charAt(random.nextInt(NOISE.length())));
                }
            }
            check(b.toString());
        }
    }

    @Test
    void oddInputs() {
        List<String> inputs = new ArrayList<>(List.of(
                "",
                "\n",
                "\"",
                "${",
                "\"${\"",
                "\"${}\"",
                "{",
                "}",
                "((((",
                "::",
                ":::::",
                "0x",
                "1.",
                ".1",
                "a\u00e9b",
                "let x = \"\uD83D\uDE00\" @",
                "\r\n\r\n",
                "\\",
                "let = ",
                "fn (",
                "for in {",
                "sid",
                "policy p encap {",
                "router r in v { interface x { mtu } }"));
        inputs.add("(".repeat(5000));
        inputs.add("let x = " + "[".repeat(3000));
        inputs.forEach(RobustnessTest::check);
    }

    private static void check(String text) {
        ParseResult result = Parser.parse("t.srv6", text);
        assertThat(result.program()).isNotNull();
        assertThat(result.program().statements()).doesNotContainNull();
        int length = (int) text.codePoints().count();
        for (Diagnostic d : result.diagnostics()) {
            Span s = d.span();
            assertThat(s.line()).as(d.header()).isGreaterThanOrEqualTo(1);
            assertThat(s.column()).as(d.header()).isGreaterThanOrEqualTo(1);
            assertThat(s.start()).as(d.header()).isBetween(0, length);
            assertThat(s.end()).as(d.header()).isBetween(s.start(), length);
            assertThat(d.message()).doesNotContain("mismatched", "extraneous", "viable", "NEWLINE", "IDENT", "<EOF>");
            assertThat(DiagnosticRenderer.render(d, text)).startsWith("t.srv6:");
        }
        if (result.ok()) {
            AstPrinter.print(result.program());
        }
    }
}
