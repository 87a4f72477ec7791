package dev.srv6sh.interpreter.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Below the shell nothing prints on the process's own streams: operations give results to a sink and
 * the shell renders them, so a library user, the REPL and the router daemon each choose where text
 * goes. Reads the main sources of the modules the shell builds on (the test runs in the interpreter's
 * directory).
 */
class NoPrintingTest {
    private static final List<String> BELOW_THE_SHELL = List.of("grammar", "dataplane", "cloud", "interpreter");

    @Test
    void noModuleBelowTheShellWritesToSystemOutOrErr() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> found = new ArrayList<>();
        for (String module : BELOW_THE_SHELL) {
            Path sources = root.resolve(module).resolve("src/main/java");
            assertThat(sources).as("the sources of " + module).isDirectory();
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i).strip();
                        boolean comment = line.startsWith("*") || line.startsWith("//") || line.startsWith("/*");
                        if (!comment && (line.contains("System.out") || line.contains("System.err"))) {
                            found.add(root.relativize(f) + ":" + (i + 1) + ": " + line);
                        }
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }
}
