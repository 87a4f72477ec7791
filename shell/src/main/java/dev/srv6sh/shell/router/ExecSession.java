package dev.srv6sh.shell.router;

import dev.srv6sh.dataplane.agent.AgentException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.channel.ChannelSession;

/**
 * {@code ssh host 'show sids'}: one entry, its output, and its exit status (0, 1 or 2) as {@code
 * ssh}'s. With a PTY ({@code ssh -t}) the output's newlines become CR LF and Ctrl-C (which then comes
 * as a byte) interrupts the command; without one, Ctrl-C ends the client and the channel with it.
 */
final class ExecSession extends ChannelCommand {
    private final RouterConsole.Factory consoles;
    private final String command;

    ExecSession(RouterConsole.Factory consoles, String command, Consumer<String> log) {
        super(log);
        this.consoles = consoles;
        this.command = command;
    }

    @Override
    protected String what() {
        String c = command.replaceAll("\\p{Cntrl}", " ");
        return "exec '" + (c.length() > 60 ? c.substring(0, 60) + "..." : c) + "'";
    }

    @Override
    protected int run(ChannelSession channel, Environment env, String user) {
        boolean pty = hasPty(channel);
        PrintWriter o = writer(pty ? new CrLf(out) : out);
        PrintWriter e = writer(pty ? new CrLf(err) : err);
        if (pty) {
            Thread self = Thread.currentThread();
            int intr = env.getPtyModes().getOrDefault(PtyMode.VINTR, 3);
            Thread.ofVirtual().start(() -> {
                try {
                    for (int b; (b = in.read()) >= 0; ) {
                        if (b == intr) {
                            self.interrupt();
                        }
                    }
                } catch (IOException x) {
                    // the channel closed
                }
            });
        }
        try (RouterConsole console = consoles.open(user)) {
            return isExit(command) ? 0 : execute(console, command, o, e);
        } catch (AgentException x) {
            e.println("error: " + x.getMessage());
            return 1;
        } finally {
            o.flush();
            e.flush();
        }
    }

    private static PrintWriter writer(OutputStream s) {
        return new PrintWriter(new OutputStreamWriter(s, StandardCharsets.UTF_8));
    }

    /** A terminal's output processing (ONLCR): LF as CR LF. */
    private static final class CrLf extends FilterOutputStream {
        private int last;

        CrLf(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (b == '\n' && last != '\r') {
                out.write('\r');
            }
            out.write(b);
            last = b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int k = 0; k < len; k++) {
                write(b[off + k]);
            }
        }
    }
}
