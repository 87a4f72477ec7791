package dev.srv6sh.shell.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.interpreter.ExitCode;
import dev.srv6sh.interpreter.Interpreter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
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
                .contains("End.DX4: 4.6, decapsulation and IPv4 cross-connect to a next hop\n"
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
