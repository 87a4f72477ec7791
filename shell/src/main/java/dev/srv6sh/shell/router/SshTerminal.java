package dev.srv6sh.shell.router;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.Signal;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.jline.terminal.impl.exec.ExecTerminalProvider;

/**
 * A JLine terminal on an SSH channel's PTY, built the way that works (JLine's own SSH shell factory
 * does not: no PTY hangs it, a client sending no modes gets no Ctrl-C, a 0x0 size stays 0x0): JLine's
 * own line discipline on the channel's streams (what the exec provider makes for given streams; the
 * FFM one would open a kernel PTY per session), made directly, since the builder would first probe
 * the provider against this process's stdout with a {@code test -t} process and JLine's native
 * library; the client's TERM (vt100 when none), its size (80x24 when it says 0), sane line discipline
 * overlaid with the modes the client sent, and window-change requests followed.
 */
final class SshTerminal {
    private SshTerminal() {}

    static Terminal open(InputStream in, OutputStream out, Environment env) throws IOException {
        Map<String, String> vars = env.getEnv();
        String type = vars.get(Environment.ENV_TERM);
        Terminal t = new ExternalTerminal(
                new ExecTerminalProvider(),
                "srv6sh ssh",
                type == null || type.isBlank() ? "vt100" : type,
                in,
                out,
                StandardCharsets.UTF_8,
                Terminal.SignalHandler.SIG_DFL,
                false,
                attributes(env.getPtyModes()),
                size(vars));
        env.addSignalListener(
                (channel, signal) -> {
                    t.setSize(size(vars));
                    t.raise(Terminal.Signal.WINCH);
                },
                Signal.WINCH);
        return t;
    }

    /** The window's size from the client's COLUMNS and LINES; 80x24 for what is missing or 0. */
    static Size size(Map<String, String> vars) {
        return new Size(number(vars.get(Environment.ENV_COLUMNS), 80), number(vars.get(Environment.ENV_LINES), 24));
    }

    private static int number(String s, int otherwise) {
        try {
            int n = s == null ? 0 : Integer.parseInt(s.strip());
            return n > 0 && n < 10_000 ? n : otherwise;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /**
     * A terminal's usual line discipline (Ctrl-C interrupts, Ctrl-D ends, CR is a newline, output
     * newlines become CR LF), then each mode the client sent, by its POSIX name.
     */
    static Attributes attributes(Map<PtyMode, Integer> modes) {
        Attributes a = new Attributes();
        a.setInputFlags(EnumSet.of(Attributes.InputFlag.ICRNL, Attributes.InputFlag.IUTF8), true);
        a.setOutputFlags(EnumSet.of(Attributes.OutputFlag.OPOST, Attributes.OutputFlag.ONLCR), true);
        a.setLocalFlags(
                EnumSet.of(
                        Attributes.LocalFlag.ISIG,
                        Attributes.LocalFlag.ICANON,
                        Attributes.LocalFlag.ECHO,
                        Attributes.LocalFlag.ECHOE,
                        Attributes.LocalFlag.ECHOK,
                        Attributes.LocalFlag.IEXTEN),
                true);
        a.setControlChar(Attributes.ControlChar.VINTR, 3);
        a.setControlChar(Attributes.ControlChar.VQUIT, 28);
        a.setControlChar(Attributes.ControlChar.VERASE, 127);
        a.setControlChar(Attributes.ControlChar.VKILL, 21);
        a.setControlChar(Attributes.ControlChar.VEOF, 4);
        a.setControlChar(Attributes.ControlChar.VSUSP, 26);
        a.setControlChar(Attributes.ControlChar.VWERASE, 23);
        a.setControlChar(Attributes.ControlChar.VLNEXT, 22);
        a.setControlChar(Attributes.ControlChar.VREPRINT, 18);
        a.setControlChar(Attributes.ControlChar.VMIN, 1);
        a.setControlChar(Attributes.ControlChar.VTIME, 0);
        for (Map.Entry<PtyMode, Integer> m : modes.entrySet()) {
            apply(a, m.getKey().name(), m.getValue());
        }
        return a;
    }

    private static void apply(Attributes a, String name, int value) {
        for (Attributes.ControlChar c : Attributes.ControlChar.values()) {
            if (c.name().equals(name)) {
                if (value >= 0 && value < 255) { // 255 is "disabled": keep the usual character
                    a.setControlChar(c, value);
                }
                return;
            }
        }
        for (Attributes.InputFlag f : Attributes.InputFlag.values()) {
            if (f.name().equals(name)) {
                a.setInputFlag(f, value != 0);
                return;
            }
        }
        for (Attributes.OutputFlag f : Attributes.OutputFlag.values()) {
            if (f.name().equals(name)) {
                a.setOutputFlag(f, value != 0);
                return;
            }
        }
        for (Attributes.LocalFlag f : Attributes.LocalFlag.values()) {
            if (f.name().equals(name)) {
                a.setLocalFlag(f, value != 0);
                return;
            }
        }
        // speeds, character size, parity: nothing a line editor on a channel uses
    }
}
