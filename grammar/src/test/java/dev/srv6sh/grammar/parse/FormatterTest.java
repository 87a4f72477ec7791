package dev.srv6sh.grammar.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class FormatterTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private static String fmt(String text) {
        Formatter.Result r = Formatter.format("t.srv6", text);
        assertThat(r.diagnostics()).isEmpty();
        return r.text();
    }

    @Test
    void aMapThatStartsAContinuedLineStaysAMap() {
        String text = "let rows = [{region: \"london\", rtt: 9.6ms},\n            {region: \"tokyo\", rtt: 226.3ms}]\n";
        assertThat(fmt(text)).isEqualTo(text);
        assertThat(fmt("let rows = [{region: \"london\"},\n{ region:\"tokyo\" }]\n"))
                .isEqualTo("let rows = [{region: \"london\"},\n            {region: \"tokyo\"}]\n");
    }

    @Test
    void theSpecificationsScriptsAreAlreadyCanonical() throws IOException {
        for (String name : List.of("quickstart", "campaign", "chain")) {
            String text = Files.readString(GOLDEN.resolve(name + ".srv6"));
            assertThat(fmt(text)).as(name).isEqualTo(text);
        }
    }

    @Test
    void aMessyScriptComesOutCanonicalWithItsComments() throws IOException {
        String messy = Files.readString(Path.of("src/test/resources/fmt/messy.srv6"));
        String expected = Files.readString(Path.of("src/test/resources/fmt/messy.expected"));
        assertThat(fmt(messy)).isEqualTo(expected);
    }

    @TestFactory
    Stream<DynamicTest> formattingIsIdempotentAndKeepsTheProgram() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(GOLDEN)) {
            files = s.filter(p -> p.toString().endsWith(".srv6")).sorted().toList();
        }
        return Stream.concat(files.stream(), Stream.of(Path.of("src/test/resources/fmt/messy.srv6")))
                .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                    String text = Files.readString(f);
                    Formatter.Result once = Formatter.format("t.srv6", text);
                    if (!once.ok()) {
                        assertThat(once.diagnostics()).isNotEmpty(); // error cases are not formatted
                        return;
                    }
                    assertThat(fmt(once.text())).isEqualTo(once.text());
                    assertThat(withoutPositions(once.text())).isEqualTo(withoutPositions(text));
                    assertThat(comments(once.text())).isEqualTo(comments(text));
                }));
    }

    @Test
    void aScriptThatDoesNotParseIsNotFormatted() {
        Formatter.Result r = Formatter.format("bad.srv6", "let x = (1 +\n");
        assertThat(r.ok()).isFalse();
        assertThat(r.diagnostics()).isNotEmpty();
    }

    private static String withoutPositions(String text) {
        return AstPrinter.print(Parser.parse("t.srv6", text).program()).replaceAll("@[0-9]+:[0-9]+", "");
    }

    private static List<String> comments(String text) {
        return text.lines()
                .filter(l -> l.contains("#"))
                .map(l -> l.substring(l.indexOf('#')).strip())
                .toList();
    }
}
