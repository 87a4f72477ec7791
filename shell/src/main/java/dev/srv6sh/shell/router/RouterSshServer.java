package dev.srv6sh.shell.router;

import dev.srv6sh.dataplane.agent.RouterAgent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.session.ServerSession;

/**
 * The router daemon's SSH server (Apache MINA SSHD): the router shell on a PTY, one command per exec
 * ({@code ssh -p P user@host 'show sids'}, exit status 0, 1 or 2), and the agent's management
 * subsystem {@code srv6sh-agent} that the SSH transport speaks; several sessions at once.
 *
 * <p>Locked down the way an administrative daemon should be, and not as MINA is by default: public
 * keys only (ed25519, ECDSA, RSA of 3072 bits or more) from the authorized-keys file, which must not
 * be writable by others; no password or keyboard-interactive method, not even advertised; at most 3
 * keys tried per connection, as OpenSSH's {@code MaxAuthTries 3}; session channels only (no
 * forwarding); authentication and idle timeouts; loopback unless told otherwise. The host key is made
 * once and never replaced (an unreadable one stops the server: clients pinned it); its fingerprint is
 * logged at start, and every refused key with its own.
 */
public final class RouterSshServer implements AutoCloseable {
    /**
     * MINA counts every authentication request after the first ("none", with OpenSSH), key probes
     * included: with 4, a third key still logs in and a fourth is cut off, as with OpenSSH's
     * {@code MaxAuthTries 3}.
     */
    static final int MAX_AUTH_REQUESTS = 4;

    /** SSH connections one user may hold at once. */
    static final int MAX_CONNECTIONS_PER_USER = 32;

    /** Channels (shells, execs, agent subsystems) one connection may have open at once. */
    static final int MAX_CHANNELS_PER_CONNECTION = 16;

    /**
     * Where and how the server runs. {@code port} 0 picks a free port ({@link #port()} says which);
     * {@code historyDir} (may be null: no history) keeps each user's shell history; {@code log}
     * hears one line per event (start, logins, refusals, sessions ending).
     */
    public record Config(
            String host,
            int port,
            Path authorizedKeys,
            Path hostKey,
            Duration authTimeout,
            Duration idleTimeout,
            Path historyDir,
            Consumer<String> log) {
        public Config {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(authorizedKeys, "authorizedKeys");
            Objects.requireNonNull(hostKey, "hostKey");
            Objects.requireNonNull(log, "log");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not a TCP port");
            }
            authTimeout = authTimeout == null ? Duration.ofSeconds(30) : authTimeout;
            idleTimeout = idleTimeout == null ? Duration.ofMinutes(30) : idleTimeout;
        }

        /**
         * Loopback, port {@code port}, {@code ~/.ssh/authorized_keys}, the host key {@code
         * hostKey}, 30 s to log in, 30 min idle, no history, the log to standard error.
         */
        public static Config loopback(int port, Path hostKey) {
            return new Config(
                    "127.0.0.1",
                    port,
                    Path.of(System.getProperty("user.home"), ".ssh", "authorized_keys"),
                    hostKey,
                    null,
                    null,
                    null,
                    System.err::println);
        }

        public Config withHost(String h) {
            return new Config(h, port, authorizedKeys, hostKey, authTimeout, idleTimeout, historyDir, log);
        }

        public Config withAuthorizedKeys(Path f) {
            return new Config(host, port, f, hostKey, authTimeout, idleTimeout, historyDir, log);
        }

        public Config withTimeouts(Duration auth, Duration idle) {
            return new Config(host, port, authorizedKeys, hostKey, auth, idle, historyDir, log);
        }

        public Config withHistoryDir(Path d) {
            return new Config(host, port, authorizedKeys, hostKey, authTimeout, idleTimeout, d, log);
        }

        public Config withLog(Consumer<String> l) {
            return new Config(host, port, authorizedKeys, hostKey, authTimeout, idleTimeout, historyDir, l);
        }
    }

    private final SshServer sshd;
    private final PublicKey hostKey;
    private final Consumer<String> log;

    private RouterSshServer(SshServer sshd, PublicKey hostKey, Consumer<String> log) {
        this.sshd = sshd;
        this.hostKey = hostKey;
        this.log = log;
    }

    /**
     * Starts the server for {@code agent}: exec and shell lines run through {@code consoles}, the
     * subsystem straight on the agent. Throws {@link IOException} with a message saying what to fix
     * when a key file is not safe to trust, or the address cannot be bound.
     */
    public static RouterSshServer start(Config config, RouterAgent agent, RouterConsole.Factory consoles)
            throws IOException {
        Consumer<String> log = config.log();
        KeyFiles.checkAuthorizedKeys(config.authorizedKeys());
        KeyPair hostKey = KeyFiles.hostKey(config.hostKey(), log);

        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setIoServiceFactoryFactory(new Nio2ServiceFactoryFactory()); // not whatever ServiceLoader finds
        sshd.setHost(config.host());
        sshd.setPort(config.port());
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        sshd.setUserAuthFactories(List.of(new UserAuthPublicKeyFactory()));
        sshd.setPublickeyAuthenticator(new KeyAuthenticator(config.authorizedKeys(), log));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null); // one that is set is advertised, even unused
        sshd.setGSSAuthenticator(null);
        sshd.setHostBasedAuthenticator(null);
        sshd.setChannelFactories(List.of(new RouterChannel.Factory()));
        sshd.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        sshd.setAgentFactory(null);
        sshd.setShellFactory(channel -> new ShellSession(consoles, config.historyDir(), log));
        sshd.setCommandFactory((channel, command) -> new ExecSession(consoles, command, log));
        sshd.setSubsystemFactories(List.of(AgentSubsystem.factory(agent, log)));
        CoreModuleProperties.MAX_AUTH_REQUESTS.set(sshd, MAX_AUTH_REQUESTS);
        CoreModuleProperties.AUTH_TIMEOUT.set(sshd, config.authTimeout());
        CoreModuleProperties.IDLE_TIMEOUT.set(sshd, config.idleTimeout());
        // what one login may hold: connections of one user, channels of one connection (each channel
        // a shell, an exec or an agent connection with its own sessions and buffers)
        CoreModuleProperties.MAX_CONCURRENT_SESSIONS.set(sshd, MAX_CONNECTIONS_PER_USER);
        CoreModuleProperties.MAX_CONCURRENT_CHANNELS.set(sshd, MAX_CHANNELS_PER_CONNECTION);
        sshd.addSessionListener(new Events(log));
        try {
            sshd.start();
        } catch (IOException | RuntimeException e) {
            sshd.close(true);
            throw new IOException(
                    "cannot listen on " + config.host() + " port " + config.port() + ": " + e.getMessage(), e);
        }
        RouterSshServer server = new RouterSshServer(sshd, hostKey.getPublic(), log);
        log.accept("ssh: listening on " + server.addresses() + ", host key " + KeyFiles.describe(hostKey.getPublic())
                + " (" + config.hostKey().toAbsolutePath() + "), keys from " + config.authorizedKeys());
        return server;
    }

    /** The port the server listens on (the one it was given, or the one it picked for 0). */
    public int port() {
        return sshd.getPort();
    }

    /** Where it listens: every bound address. */
    public List<InetSocketAddress> addresses() {
        return sshd.getBoundAddresses().stream()
                .map(InetSocketAddress.class::cast)
                .toList();
    }

    /** The host key clients pin. */
    public PublicKey hostKey() {
        return hostKey;
    }

    /** The host key's SHA-256 fingerprint, as {@code ssh} shows it ({@code SHA256:...}). */
    public String hostKeyFingerprint() {
        return org.apache.sshd.common.config.keys.KeyUtils.getFingerPrint(hostKey);
    }

    /** Stops listening and closes every session. */
    @Override
    public void close() throws IOException {
        sshd.stop(true);
        log.accept("ssh: stopped");
    }

    /** One log line per login and per session a refusal ended. */
    private record Events(Consumer<String> log) implements SessionListener {
        @Override
        public void sessionEvent(Session session, Event event) {
            if (event == Event.Authenticated && session instanceof ServerSession s) {
                log.accept("ssh: " + s.getUsername() + " from " + s.getClientAddress() + " logged in with "
                        + s.getAttribute(KeyAuthenticator.KEY));
            }
        }

        @Override
        public void sessionDisconnect(Session session, int reason, String msg, String language, boolean initiator) {
            if (initiator && !session.isAuthenticated()) {
                log.accept("ssh: disconnected " + session.getRemoteAddress() + " before login: " + msg);
            }
        }
    }
}
