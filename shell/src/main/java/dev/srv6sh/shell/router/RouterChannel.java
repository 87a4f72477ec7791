package dev.srv6sh.shell.router;

import java.io.IOException;
import java.util.Map;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.channel.ChannelSessionFactory;

/**
 * A session channel that remembers whether the client asked for a PTY: the shell is then the line
 * editor, else a reader of lines ({@code ssh -T}, a script piped in), which a terminal would hang.
 * (A TERM variable does not tell: a client may send one without a PTY.)
 */
final class RouterChannel extends ChannelSession {
    private volatile boolean pty;

    boolean hasPty() {
        return pty;
    }

    @Override
    protected RequestHandler.Result handlePtyReqParsed(
            String term, int columns, int rows, int width, int height, Map<PtyMode, Integer> modes) throws IOException {
        pty = true;
        return super.handlePtyReqParsed(term, columns, rows, width, height, modes);
    }

    /** The only channel the server opens: sessions (no forwarding of any kind). */
    static final class Factory extends ChannelSessionFactory {
        @Override
        public Channel createChannel(Session session) {
            return new RouterChannel();
        }
    }
}
