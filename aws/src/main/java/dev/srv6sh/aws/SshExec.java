package dev.srv6sh.aws;

import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.ssh.PinnedSsh;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Commands on the stack's client hosts over SSH exec (MINA SSHD's client), the way the netns
 * backend runs them in namespaces: {@code ping} and {@code iperf3}, whose output the same parsers read.
 *
 * <p>As {@code SshAgentClient} for routers, nothing comes from the machine's SSH setup, and a host is
 * trusted only with one of the keys its bootstrap printed to its console (sshd has several, and which
 * it presents depends on negotiation, so any of them, and only them); another key is refused naming
 * its fingerprint. One client serves every connection; {@link #close} ends them all.
 */
public final class SshExec implements AutoCloseable {
    /** Where a host's sshd is, as whom to log in, and the keys it may present. */
    public record Target(String host, int port, String user, KeyPair identity, List<PublicKey> hostKeys) {
        public Target {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(identity, "identity");
            hostKeys = List.copyOf(hostKeys);
            if (hostKeys.isEmpty()) {
                throw new IllegalArgumentException("no host key pinned for " + user + "@" + host);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not a TCP port");
            }
        }

        @Override
        public String toString() {
            return user + "@" + host + ":" + port;
        }
    }

    /** A finished command: its exit status (-1 when it gave none) and what it wrote. */
    public record Result(int exit, String out, String err) {}

    private final SshClient client;
    private final Duration timeout;

    /** A client whose connecting and logging in each give up after {@code timeout}. */
    public SshExec(Duration timeout) {
        this.timeout = timeout;
        client = PinnedSsh.client();
        client.start();
    }

    /** A command running on a host, its output collected; closing it ends the SSH session. */
    public static final class Running implements AutoCloseable {
        private final ClientSession session;
        private final ChannelExec channel;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final String what;

        private Running(ClientSession session, ChannelExec channel, String what) {
            this.session = session;
            this.channel = channel;
            this.what = what;
        }

        /** What it wrote to its standard output so far. */
        public String out() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        public boolean isRunning() {
            return !channel.isClosed() && channel.getExitStatus() == null;
        }

        /** Waits up to {@code limit} for the command to end, and returns its result. */
        public Result await(Duration limit) throws ProviderException, InterruptedException {
            Set<ClientChannelEvent> ev = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), limit);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (!ev.contains(ClientChannelEvent.CLOSED) && channel.getExitStatus() == null) {
                throw new ProviderException(what + " did not finish within " + limit.toSeconds() + " s");
            }
            Integer exit = channel.getExitStatus();
            return new Result(exit == null ? -1 : exit, out(), err.toString(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            channel.close(true);
            session.close(true);
        }
    }

    /** Runs {@code command} on {@code target} and waits up to {@code limit} for it to end. */
    public Result run(Target target, String command, Duration limit) throws ProviderException, InterruptedException {
        try (Running r = start(target, command)) {
            return r.await(limit);
        }
    }

    /** Starts {@code command} on {@code target} (a shell command line: {@link #quote} its words). */
    public Running start(Target target, String command) throws ProviderException {
        PinnedSsh.Pinned pinned = new PinnedSsh.Pinned(target.hostKeys());
        ClientSession session;
        ConnectFuture connecting = null;
        try {
            connecting = client.connect(target.user(), target.host(), target.port(), PinnedSsh.attributes(pinned));
            session = connecting.verify(timeout).getClientSession();
        } catch (IOException | RuntimeException e) {
            if (connecting != null) {
                connecting.cancel();
                if (connecting.isConnected()) {
                    connecting.getClientSession().close(true);
                }
            }
            throw new ProviderException("cannot connect to " + target + ": " + why(e));
        }
        try {
            session.addPublicKeyIdentity(target.identity());
            session.auth().verify(timeout);
            ChannelExec channel = session.createExecChannel(command);
            Running r = new Running(session, channel, "'" + command + "' on " + target);
            channel.setOut(r.out);
            channel.setErr(r.err);
            channel.open().verify(timeout);
            return r;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            PublicKey presented = pinned.presented().get();
            if (presented != null && target.hostKeys().stream().noneMatch(k -> KeyUtils.compareKeys(k, presented))) {
                throw new ProviderException("refused " + target + ": its host key is "
                        + KeyUtils.getFingerPrint(presented) + ", not one of the "
                        + target.hostKeys().stream()
                                .map(KeyUtils::getFingerPrint)
                                .collect(Collectors.joining(", "))
                        + " its bootstrap printed (a different machine, or its keys were replaced)");
            }
            throw new ProviderException("cannot log in to " + target + ": " + why(e));
        }
    }

    private static String why(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** {@code words} as one shell command line, each word single-quoted. */
    public static String quote(List<String> words) {
        return words.stream().map(CloudInitBootstrap::quote).collect(Collectors.joining(" "));
    }

    @Override
    public void close() throws IOException {
        client.stop();
    }
}
