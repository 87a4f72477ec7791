package dev.srv6sh.shell.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.StandardEnvironment;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The terminal a PTY session gets: what the client said, and sane defaults for what it did not. */
@Timeout(30)
class SshTerminalTest {

    @Test
    void aSizeOfZeroOrNoneIsEightyByTwentyFour() {
        assertThat(SshTerminal.size(Map.of())).isEqualTo(new Size(80, 24));
        assertThat(SshTerminal.size(Map.of(Environment.ENV_COLUMNS, "0", Environment.ENV_LINES, "x")))
                .isEqualTo(new Size(80, 24));
        assertThat(SshTerminal.size(Map.of(Environment.ENV_COLUMNS, "132", Environment.ENV_LINES, "43")))
                .isEqualTo(new Size(132, 43));
    }

    @Test
    void aClientThatSendsNoModesStillGetsCtrlCAndNewlines() {
        Attributes a = SshTerminal.attributes(Map.of());
        assertThat(a.getLocalFlag(Attributes.LocalFlag.ISIG)).isTrue();
        assertThat(a.getControlChar(Attributes.ControlChar.VINTR)).isEqualTo(3);
        assertThat(a.getInputFlag(Attributes.InputFlag.ICRNL)).isTrue();
        assertThat(a.getOutputFlag(Attributes.OutputFlag.ONLCR)).isTrue();
    }

    @Test
    void theModesTheClientSentWin() {
        Attributes a = SshTerminal.attributes(
                Map.of(PtyMode.VINTR, 7, PtyMode.ECHO, 0, PtyMode.VQUIT, 255, PtyMode.TTY_OP_ISPEED, 38400));
        assertThat(a.getControlChar(Attributes.ControlChar.VINTR)).isEqualTo(7);
        assertThat(a.getLocalFlag(Attributes.LocalFlag.ECHO)).isFalse();
        assertThat(a.getControlChar(Attributes.ControlChar.VQUIT)).isEqualTo(28); // 255: disabled, kept usual
    }

    @Test
    void aWindowChangeResizesTheTerminalAndCtrlCRaisesInterrupt() throws Exception {
        StandardEnvironment env = new StandardEnvironment();
        env.set(Environment.ENV_TERM, "xterm-256color");
        env.set(Environment.ENV_COLUMNS, "100");
        env.set(Environment.ENV_LINES, "30");
        PipedOutputStream keys = new PipedOutputStream();
        try (Terminal t = SshTerminal.open(new PipedInputStream(keys), new ByteArrayOutputStream(), env)) {
            assertThat(t.getType()).isEqualTo("xterm-256color");
            assertThat(t.getSize()).isEqualTo(new Size(100, 30));
            CountDownLatch winch = new CountDownLatch(1);
            CountDownLatch interrupt = new CountDownLatch(1);
            t.handle(Terminal.Signal.WINCH, s -> winch.countDown());
            t.handle(Terminal.Signal.INT, s -> interrupt.countDown());

            env.set(Environment.ENV_COLUMNS, "140");
            env.set(Environment.ENV_LINES, "50");
            env.signal(null, Signal.WINCH);
            assertThat(winch.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(t.getSize()).isEqualTo(new Size(140, 50));

            keys.write(3);
            keys.flush();
            assertThat(interrupt.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
