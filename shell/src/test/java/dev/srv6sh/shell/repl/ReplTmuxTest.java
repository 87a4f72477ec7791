package dev.srv6sh.shell.repl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REPL on a real terminal: tmux runs it in a pane, the test types with send-keys and reads the
 * screen with capture-pane. Without tmux it is skipped, except under CI=true, where it fails.
 */
class ReplTmuxTest {
    private final String socket = "srv6sh-test-" + ProcessHandle.current().pid();

    @TempDir
    Path home;

    @AfterEach
    void stop() throws Exception {
        tmux("kill-server");
    }

    /** Starts the REPL in a 120x40 pane and waits for its prompt. */
    private void start() throws Exception {
        requireTmux();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String command = String.join(
                " ",
                "env -u NO_COLOR TERM=xterm-256color SRV6SH_HOME=" + home,
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                "'" + cp.replace(File.pathSeparator, File.pathSeparator) + "'",
                "dev.srv6sh.shell.Main");
        tmux("new-session", "-d", "-x", "120", "-y", "40", command);
        screen(s -> s.contains("srv6sh>"), "the prompt");
    }

    @Test
    void theQuickstartTypedLineByLineThenPastedAtOnce() throws Exception {
        start();
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("scripts/quickstart.srv6"))) {
            root = root.getParent();
        }
        Path quickstart = root.resolve("scripts/quickstart.srv6");
        // as anyone would type it: a line, Enter, and the next line once the shell has taken it
        int typed = 0;
        for (String line : Files.readAllLines(quickstart)) {
            if (!line.isEmpty()) {
                keys("-l", line);
            }
            keys("Enter");
            int lines = ++typed;
            // taken: its prompt and the next one are on the screen or above it
            until(() -> prompts(history()) > lines, "line " + lines + " taken");
        }
        String all = history();
        assertThat(all).contains("   ...>   sid dx4 End.DX4 nh pc", "   ...> }");
        assertThat(all).contains("Apply complete: 8 added", "10 sent, 10 received, 0% loss");
        // on a terminal, a finished operation says so (a bar while it runs), as `srv6sh run` does
        assertThat(all).contains("ping pc -> lc: 10/10 replies, 0% loss");
        assertThat(all).doesNotContain("error");

        // the same script pasted in one go (bracketed paste: one buffer), then Enter
        keys(":reset", "Enter");
        screen(s -> s.contains("The session is empty."), "the reset");
        tmux("load-buffer", "-b", "quickstart", quickstart.toString());
        tmux("paste-buffer", "-p", "-b", "quickstart", "-t", socket);
        keys("Enter");
        until(() -> afterReset().contains("0% loss") && afterReset().endsWith("srv6sh>"), "the pasted script run");
        String pasted = afterReset();
        assertThat(pasted).contains("   ...> router pr in pv {", "Apply complete: 8 added", "10 received, 0% loss");
        assertThat(pasted).doesNotContain("error");
        keys(":quit", "Enter");
    }

    @Test
    void completionHighlightingAndTheContinuationPrompt() throws Exception {
        start();

        keys("region paris aws \"eu-west-3\"", "Enter");
        keys("vpc pv in paris { cidr 10.11.0.0/16 }", "Enter");
        // a declared name: `pa` can only be paris
        keys("print pa", "Tab");
        screen(s -> s.contains("srv6sh> print paris"), "print paris completed");
        keys("Enter");
        screen(s -> s.contains("\nparis\n"), "paris printed");

        // an unfinished entry continues with the continuation prompt
        keys("router pr in pv {", "Enter");
        screen(s -> s.contains("   ...>"), "the continuation prompt");
        keys("sid dx4 End.DX4 nh 10.11.1.10", "Enter");
        // a behavior: End.B6.Insert.R can only be End.B6.Insert.Red
        keys("sid b6 End.B6.Insert.R", "Tab");
        screen(s -> s.contains("   ...> sid b6 End.B6.Insert.Red"), "the behavior completed");

        // highlighting: the keyword `sid` and the behavior carry SGR escape sequences
        String colored = capture(true);
        assertThat(colored).containsPattern("\u001b\\[[0-9;]*m(\u001b\\[[0-9;]*m)*sid");
        assertThat(colored).containsPattern("\u001b\\[[0-9;]*m(\u001b\\[[0-9;]*m)*End\\.B6\\.Insert\\.Red");

        keys("C-u", "}", "Enter");
        // a member: pr's only SID
        keys("print pr.", "Tab");
        screen(s -> s.contains("srv6sh> print pr.dx4"), "a member of pr completed");
        keys("C-u", ":quit", "Enter");
    }

    private void requireTmux() {
        try {
            Process p =
                    new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return;
            }
        } catch (IOException | InterruptedException e) {
            // not installed
        }
        String why = "tmux is not installed (apt-get install tmux)";
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(why + "; CI must have it (.ci/run installs it)");
        }
        Assumptions.abort(why);
    }

    private void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", socket));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
        Thread.sleep(150);
    }

    private String afterReset() throws Exception {
        String all = history();
        return all.substring(all.lastIndexOf("The session is empty."));
    }

    private static int prompts(String screen) {
        return screen.split("\n(srv6sh>|   \\.\\.\\.>)", -1).length - 1;
    }

    /** The pane and its scrollback, without trailing blank lines. */
    private String history() throws Exception {
        return tmux("capture-pane", "-p", "-S", "-", "-t", socket).stripTrailing();
    }

    private String capture(boolean escapes) throws Exception {
        return escapes ? tmux("capture-pane", "-p", "-e", "-t", socket) : tmux("capture-pane", "-p", "-t", socket);
    }

    /** Waits up to 30 s for the screen to satisfy {@code ok}. */
    private void screen(Predicate<String> ok, String what) throws Exception {
        until(() -> ok.test(capture(false)), what);
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits up to 30 s for {@code ok}; then fails with what the pane and its scrollback show. */
    private void until(Condition ok, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (ok.holds()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("waited for " + what + "; the screen shows:\n" + history());
    }

    private String tmux(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        if (args[0].equals("new-session")) {
            cmd.addAll(4, List.of("-s", socket));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
