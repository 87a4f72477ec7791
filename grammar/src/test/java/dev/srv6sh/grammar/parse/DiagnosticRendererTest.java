package dev.srv6sh.grammar.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.diag.Diagnostic;
import dev.srv6sh.grammar.diag.DiagnosticRenderer;
import org.junit.jupiter.api.Test;

class DiagnosticRendererTest {

    @Test
    void caretAndTildesUnderTheSpanThenNotes() {
        String text = "\n".repeat(11) + "  policy to_london encap [lrr.dx4]\n";
        Span span = new Span("quickstart.srv6", 12, 27, 12, 29, 37, 40);
        Diagnostic d = Diagnostic.error(span, "unknown router 'lrr'", "did you mean 'lr'?");
        assertThat(DiagnosticRenderer.render(d, text))
                .isEqualTo(
                        """
                        quickstart.srv6:12:27: error: unknown router 'lrr'
                            policy to_london encap [lrr.dx4]
                                                    ^~~
                          did you mean 'lr'?""");
    }

    @Test
    void tabsInTheSourceLineKeepTheCaretAligned() {
        ParseResult r = Parser.parse("t.srv6", "\tlet x = 1 )\n");
        assertThat(DiagnosticRenderer.render(r.diagnostics().getFirst(), "\tlet x = 1 )\n"))
                .isEqualTo("t.srv6:1:12: error: unexpected ')'; expected end of line\n"
                        + "  \tlet x = 1 )\n"
                        + "  \t          ^");
    }

    @Test
    void syntheticSpansRenderTheHeaderOnly() {
        Diagnostic d = Diagnostic.error(Span.synthetic("--param"), "bad value");
        assertThat(DiagnosticRenderer.render(d, "x")).isEqualTo("--param:0:0: error: bad value");
    }

    @Test
    void aSpanOverSeveralLinesIsUnderlinedToTheEndOfItsFirstLine() {
        Diagnostic d = Diagnostic.error(new Span("f", 1, 5, 3, 1, 4, 20), "m");
        assertThat(DiagnosticRenderer.render(d, "let m = {\n a: 1\n}\n")).endsWith("\n      ^~~~~");
    }
}
