package dev.srv6sh.interpreter.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.srv6sh.grammar.diag.Diagnostic;
import dev.srv6sh.grammar.parse.Parser;
import dev.srv6sh.interpreter.Interpreter;
import java.util.List;
import java.util.Map;

/**
 * Any text given to parse + check yields an AST or diagnostics with spans inside the text, never an
 * exception. In a normal test run Jazzer replays the corpus under
 * {@code src/test/resources/dev/srv6sh/interpreter/fuzz/ParseCheckFuzzTestInputs/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes for the time given in {@code .ci/run}.
 */
class ParseCheckFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void parseAndCheckNeverThrow(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        var parsed = Parser.parse("fuzz.srv6", text);
        assertThat(parsed.program()).isNotNull();
        Parser.isComplete(text);
        if (text.contains("import")) {
            // `import` reads files: the checker would open whatever path the fuzzer made up, which
            // Jazzer's path-traversal sanitizer reports by design. Imports have their own tests.
            return;
        }
        List<Diagnostic> problems = Interpreter.check("fuzz.srv6", text, Map.of());
        int length = text.codePointCount(0, text.length());
        for (Diagnostic d : problems) {
            assertThat(d.message()).isNotBlank();
            if (d.span().line() > 0) {
                assertThat(d.span().start()).isBetween(0, length);
                assertThat(d.span().end()).isBetween(d.span().start(), length);
            }
        }
    }
}
