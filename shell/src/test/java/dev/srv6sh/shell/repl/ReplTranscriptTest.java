package dev.srv6sh.shell.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.grammar.ast.Stmt;
import dev.srv6sh.grammar.parse.Parser;
import dev.srv6sh.interpreter.ExitCode;
import dev.srv6sh.interpreter.Interpreter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** REPL sessions over JLine's dumb terminal on piped streams, compared as transcripts. */
class ReplTranscriptTest {
    @TempDir
    Path dir;

    /** What the REPL prints for {@code input} typed line by line (the prompts included). */
    private String session(String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // The terminal `srv6sh` gets when its input is a pipe: JLine's dumb terminal, no echo.
        try (Terminal t = new DumbTerminal(
                "test",
                Terminal.TYPE_DUMB,
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                out,
                StandardCharsets.UTF_8)) {
            t.echo(false);
            assertThat(new Repl(t, dir.resolve("home"), false).run()).isZero();
        }
        String s = out.toString(StandardCharsets.UTF_8).replace("\r", "");
        return s.substring(s.indexOf('\n') + 1); // the banner line carries the version
    }

    private static final String TOPOLOGY =
            """
            region paris aws "eu-west-3"
            vpc pv in paris { cidr 10.11.0.0/16 }
            host pc in pv
            """;

    @Test
    void aMultiLineEntryContinuesUntilItIsComplete() throws IOException {
        assertThat(session("let xs = [1,\n2,\n3]\nfn twice(x) {\nreturn 2 * x\n}\nprint twice(xs[2])\n:quit\n"))
                // three entries (a dumb terminal shows no continuation prompt; ReplTmuxTest sees it)
                .isEqualTo("srv6sh> srv6sh> srv6sh> 6\nsrv6sh> ");
    }

    @Test
    void aRouterBlockTypedLineByLineIsOneEntry() throws IOException {
        // the reproduction: `sid d End.DX4 nh pc` inside an open block is not an error yet
        String t = session(TOPOLOGY + "router pr in pv {\nlocator auto\nsid d End.DX4 nh pc\n}\nprint pr.d\n:quit\n");
        assertThat(t).doesNotContain("error").endsWith("srv6sh> srv6sh> pr.d\nsrv6sh> ");
    }

    @Test
    void aFinishedBlockIsReportedAtItsClosingBraceAndAStrayBraceAtOnce() throws IOException {
        String t = session(TOPOLOGY
                + "router pr in pv {\n  locator auto\n  sid d End.DX4 nh\n}\n"
                + "}\n"
                + "router pr in pv {\n  policy p encap [pr.d)\n"
                + "router pr in pv {\n  locator auto\n  sid d End.DX4 nh pc\n}\nprint pr.d\n:quit\n");
        assertThat(t)
                .endsWith(
                        """
                        srv6sh> error: 'nh' needs a value
                            sid d End.DX4 nh
                                          ^~
                        srv6sh> error: unexpected '}'; expected a statement or end of line
                          }
                          ^
                        srv6sh> error: unexpected ')'; expected ']' or ','
                            policy p encap [pr.d)
                                                ^
                        srv6sh> srv6sh> pr.d
                        srv6sh>\s""");
    }

    @Test
    void blocksTheReferenceKeepsOnOneLineMaySpreadToo() throws IOException {
        String typed = session(TOPOLOGY
                + "vpc lv in paris {\n  cidr 10.12.0.0/16\n  ipv6 auto\n}\n"
                + "host lc in lv {\n  ip 10.12.1.50\n  instance \"t3.micro\"\n}\n"
                + "router pr in pv {\n  locator auto\n  interface inside {\n    mtu 1500\n  }\n"
                + "  sid dx4 End.DX4 nh pc\n  policy back encap [\n    pr.dx4\n  ]\n}\n"
                + "policy w encap {\n  [pr.dx4] weight 2\n  [pr.dx4,\n   pr.dx4] weight 1\n} on pr\n"
                + "let m = {\n  a: 1,\n  b: [1,\n      2]\n}\n"
                + "if m.a > 1 {\n  print \"more\"\n} else if m.a == 1 {\n  print \"one\"\n} else {\n  print \"less\"\n}\n"
                + "print len(m[\"b\"]) + (\n  1)\n"
                + "print lc\n:quit\n");
        assertThat(typed)
                .doesNotContain("error")
                .contains("one\n")
                .contains("3\n")
                .endsWith("lc\nsrv6sh> ");
    }

    /**
     * Every example of docs/language.md with a statement over several lines (router, interface and
     * weighted policy blocks, for, fn, if/else, a list of maps), typed line by line: each statement
     * is one entry, nothing is an error, and the session ends as {@code :load} of the same lines
     * leaves it. The lines that write files ({@code save}, {@code chart}, {@code capture}) are left out.
     */
    @TestFactory
    Stream<DynamicTest> theLanguageReferenceTypedLineByLine() throws IOException {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String l : Files.readAllLines(root().resolve("docs/language.md"))) {
            if (current == null && l.equals("```srv6")) {
                current = new StringBuilder();
            } else if (current != null && l.equals("```")) {
                blocks.add(current.toString());
                current = null;
            } else if (current != null && !l.matches("\\s*(save|chart|capture)\\b.*")) {
                current.append(l).append('\n');
            }
        }
        Set<String> spread = new TreeSet<>();
        List<DynamicTest> tests = new ArrayList<>();
        for (String block : blocks) {
            List<Stmt> multiLine = Parser.parse("doc", block).program().statements().stream()
                    .filter(s -> s.span().endLine() > s.span().line())
                    .toList();
            if (multiLine.isEmpty()) {
                continue;
            }
            multiLine.forEach(s -> spread.add(
                    block.lines().toList().get(s.span().line() - 1).strip().split(" ")[0]));
            tests.add(DynamicTest.dynamicTest(block.lines().findFirst().orElseThrow(), () -> typeLineByLine(block)));
        }
        assertThat(spread).containsExactlyInAnyOrder("router", "for", "fn", "if", "let");
        return tests.stream();
    }

    private void typeLineByLine(String block) throws IOException {
        Path file = Files.writeString(dir.resolve("block.srv6"), block);
        String typed = session(block + ":save " + dir.resolve("typed.srv6") + "\n:quit\n");
        String loaded = session(":load " + file + "\n:save " + dir.resolve("loaded.srv6") + "\n:quit\n");
        assertThat(typed).doesNotContain("error");
        assertThat(loaded).doesNotContain("error");
        // one prompt per entry: a line that does not continue a statement, then :save and :quit
        long continued = Parser.parse("doc", block).program().statements().stream()
                .mapToInt(s -> s.span().endLine() - s.span().line())
                .sum();
        assertThat(typed.split(Repl.PROMPT, -1).length - 1)
                .isEqualTo(block.lines().count() - continued + 2);
        assertThat(Files.readString(dir.resolve("typed.srv6")))
                .isNotBlank()
                .isEqualTo(Files.readString(dir.resolve("loaded.srv6")));
    }

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(p.resolve("docs/language.md"))) {
            p = p.getParent();
        }
        return p;
    }

    @Test
    void aReplacedDeclarationShowsInThePlan() throws IOException {
        String t = session(TOPOLOGY + "apply auto\nhost pc in pv { instance \"t3.small\" }\nplan\n:quit\n");
        assertThat(t)
                .endsWith(
                        """
                        srv6sh> srv6sh> -/+ host pc  (settings changed)
                        Plan: 0 to add, 1 to change, 0 to destroy.
                        srv6sh>\s""");
    }

    @Test
    void anErrorPointsIntoTheLineAndTheNextLineWorks() throws IOException {
        assertThat(session(TOPOLOGY + "host pd in pvv\nhost pd in pv\nprint pd\n:frobnicate\n:quit\n"))
                .isEqualTo(
                        """
                        srv6sh> srv6sh> srv6sh> srv6sh> error: unknown vpc 'pvv'
                          host pd in pvv
                                     ^~~
                          did you mean 'pv'?
                        srv6sh> srv6sh> pd
                        srv6sh> error: unknown command ':frobnicate' (:help repl lists them)
                        srv6sh>\s""");
    }

    @Test
    void helpHasTopicsAndExamples() throws IOException {
        String t = session(":help\n:help End.DX4\n:help rooter\n:quit\n");
        assertThat(t).contains("Topics:", "ping", "End.B6.Insert.Red");
        assertThat(t)
                .contains("End.DX4: decapsulation and IPv4 cross-connect to a next hop (RFC 8986 §4.5)\n"
                        + "  sid dx4 End.DX4 nh pc on pr\n");
        assertThat(t).contains("no help on 'rooter'; did you mean 'router'?");
    }

    @Test
    void saveThenRunGivesTheSameResult() throws IOException {
        Path saved = dir.resolve("session.srv6");
        String t = session(TOPOLOGY
                + "host lc in pv\n"
                + "let n = 2\n"
                + "apply auto\n"
                + "let r = ping pc -> lc count n\n"
                + "print \"${r.sent} sent, ${r.received} received\"\n"
                + "host lc in pv { instance \"t3.small\" }\n"
                + "let n = 3\n"
                + "host broken in nowhere\n"
                + ":save " + saved + "\n:quit\n");
        assertThat(t).contains("2 sent, 2 received").contains("Saved 8 lines to " + saved + ".");
        String script = Files.readString(saved);
        assertThat(script)
                .isEqualTo(
                        """
                        region paris aws "eu-west-3"
                        vpc pv in paris { cidr 10.11.0.0/16 }
                        host pc in pv
                        host lc in pv { instance "t3.small" }
                        let n = 3
                        apply auto
                        let r = ping pc -> lc count n
                        print "${r.sent} sent, ${r.received} received"
                        """);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Interpreter.run(
                saved.toString(),
                script,
                new Interpreter.Options("local", Map.of(), dir),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(code).isEqualTo(ExitCode.OK);
        // The session's current state: n is 3 now, so the saved script pings three times.
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("3 sent, 3 received\n");
        // Loading it into a fresh session gives the same.
        assertThat(session(":load " + saved + "\n:quit\n")).contains("3 sent, 3 received");
    }
}
