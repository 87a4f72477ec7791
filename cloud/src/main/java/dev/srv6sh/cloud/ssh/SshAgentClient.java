package dev.srv6sh.cloud.ssh;

import dev.srv6sh.dataplane.agent.AgentConnection;
import dev.srv6sh.dataplane.agent.AgentException;
import dev.srv6sh.dataplane.agent.AgentProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelSubsystem;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * The router agent's SSH transport: connections to {@code srv6sh router} daemons, each the {@code
 * srv6sh-agent} subsystem speaking {@link AgentProtocol}, so that the cloud's routers are driven
 * through the same {@code RouterAgent} as the local backend's.
 *
 * <p>Nothing is taken from the machine's SSH setup (MINA's client would read {@code ~/.ssh/config} and
 * {@code ~/.ssh/id_*}, use an SSH agent, and accept any host key): each connection logs in with the one
 * identity it is given and accepts only the host key the deployment recorded for that router; a
 * different one is refused naming both fingerprints. One client (its I/O threads) serves every
 * connection; closing it closes them all.
 */
public final class SshAgentClient implements AutoCloseable {
    /** Where a router's agent is and how to log in to it. */
    public record Target(String host, int port, String user, KeyPair identity, PublicKey hostKey) {
        public Target {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(hostKey, "hostKey");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not a TCP port");
            }
        }

        @Override
        public String toString() {
            return user + "@" + host + ":" + port;
        }
    }

    private final SshClient client;
    private final Duration timeout;

    /** A client whose connecting, logging in and opening the subsystem each give up after {@code timeout}. */
    public SshAgentClient(Duration timeout) {
        this.timeout = timeout;
        client = PinnedSsh.client();
        // keeps an idle connection open through the daemon's idle timeout, and notices a dead router
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(30));
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, 4);
        client.start();
    }

    /**
     * Connects to {@code target}'s agent. Fails with {@link AgentException#TRANSPORT} and a message
     * saying which step failed: the router cannot be reached, presents another host key, refuses the
     * identity, or has no agent subsystem.
     */
    public AgentConnection connect(Target target) throws AgentException {
        PinnedSsh.Pinned pinned = new PinnedSsh.Pinned(List.of(target.hostKey()));
        ClientSession session;
        org.apache.sshd.client.future.ConnectFuture connecting = null;
        try {
            connecting = client.connect(target.user(), target.host(), target.port(), PinnedSsh.attributes(pinned));
            session = connecting.verify(timeout).getClientSession();
        } catch (IOException | RuntimeException e) {
            if (connecting != null) {
                // a connection that comes after the timeout must not live on, unused
                connecting.cancel();
                if (connecting.isConnected()) {
                    connecting.getClientSession().close(true);
                }
            }
            throw transport("cannot connect to " + target, e);
        }
        String step = "log in to";
        try {
            session.addPublicKeyIdentity(target.identity());
            session.auth().verify(timeout);
            step = "open the agent subsystem on";
            ChannelSubsystem channel = session.createSubsystemChannel(AgentProtocol.SUBSYSTEM);
            channel.open().verify(timeout);
            return AgentProtocol.connect(channel.getInvertedOut(), channel.getInvertedIn(), () -> {
                channel.close(false).await(timeout);
                session.close(false).await(timeout);
            });
        } catch (IOException | RuntimeException e) {
            session.close(true);
            PublicKey presented = pinned.presented().get();
            if (presented != null && !KeyUtils.compareKeys(target.hostKey(), presented)) {
                throw new AgentException(
                        AgentException.TRANSPORT,
                        "refused " + target + ": its host key is " + KeyUtils.getFingerPrint(presented)
                                + ", not the " + KeyUtils.getFingerPrint(target.hostKey())
                                + " recorded for it (a different machine, or the router's key was replaced)");
            }
            throw transport("cannot " + step + " " + target, e);
        }
    }

    private static AgentException transport(String what, Exception e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new AgentException(AgentException.TRANSPORT, what + ": " + why, e);
    }

    /** Closes every connection and stops the client's threads. */
    @Override
    public void close() throws IOException {
        client.stop();
    }

    /**
     * A public key from a line as OpenSSH writes them: {@code TYPE BASE64 [COMMENT]} (a {@code .pub}
     * file) or a known-hosts line, {@code HOSTS TYPE BASE64 [COMMENT]}.
     */
    public static PublicKey publicKey(String line) {
        String[] f = line.strip().split("\\s+");
        if (f.length > 0 && (f[0].equals("@revoked") || f[0].equals("@cert-authority"))) {
            // a revoked key is the one never to trust, and a CA's key is not a host's
            throw new IllegalArgumentException("a known-hosts line marked " + f[0] + " cannot pin a router's host key");
        }
        for (int k = 0; k + 1 < f.length && k < 3; k++) {
            if (f[k].startsWith("@")) {
                continue; // a known-hosts marker
            }
            try {
                PublicKeyEntry e = PublicKeyEntry.parsePublicKeyEntry(f[k] + " " + f[k + 1]);
                PublicKey key = e.resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING);
                if (key != null) {
                    return key;
                }
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                // not at this field: the next one may be the key type
            }
        }
        throw new IllegalArgumentException("not an OpenSSH public key or known-hosts line: "
                + (line.length() > 60 ? line.substring(0, 60) + "..." : line));
    }

    /** A key pair from an OpenSSH (or PEM) private key file without a passphrase. */
    public static KeyPair identity(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, new PathResource(file), in, null);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new IOException("no private key in " + file);
            }
            return it.next();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("cannot read the private key " + file + ": " + e.getMessage(), e);
        }
    }
}
