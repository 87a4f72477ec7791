package dev.srv6sh.grammar.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.grammar.diag.DiagnosticRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One test per {@code src/test/resources/golden/NAME.srv6}: its AST must print as {@code NAME.ast},
 * or, for a case with a {@code NAME.diag}, its diagnostics must render as that file. Run with
 * {@code -Dgolden.update=true} to rewrite the expectations from the current output (then review the
 * diff). A case without either file is an error, so a new case cannot pass by accident.
 */
class GoldenTest {
    private static final Path DIR = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @TestFactory
    Stream<DynamicTest> goldens() throws IOException {
        List<Path> cases;
        try (Stream<Path> files = Files.list(DIR)) {
            cases = files.filter(p -> p.toString().endsWith(".srv6")).sorted().toList();
        }
        assertThat(cases).isNotEmpty();
        return cases.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
    }

    private static void check(Path script) throws IOException {
        String name = script.getFileName().toString();
        String base = name.substring(0, name.length() - ".srv6".length());
        String text = Files.readString(script, StandardCharsets.UTF_8);
        ParseResult result = Parser.parse(name, text);
        Path ast = DIR.resolve(base + ".ast");
        Path diag = DIR.resolve(base + ".diag");
        boolean wantsDiag = Files.exists(diag) || (!Files.exists(ast) && base.startsWith("error_"));
        String actual = wantsDiag ? rendered(result, text) : AstPrinter.print(result.program()) + "\n";
        Path golden = wantsDiag ? diag : ast;
        if (UPDATE) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
            return;
        }
        assertThat(golden)
                .as("golden file for " + name + " (run with -Dgolden.update=true)")
                .exists();
        if (!wantsDiag) {
            assertThat(rendered(result, text)).as("diagnostics of " + name).isEmpty();
        }
        assertThat(actual).isEqualTo(read(golden));
    }

    private static String rendered(ParseResult result, String text) {
        return result.diagnostics().stream()
                .map(d -> DiagnosticRenderer.render(d, text) + "\n")
                .collect(Collectors.joining());
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
