package dev.srv6sh.shell.router;

import dev.srv6sh.cloud.ssh.SshAgentClient;
import dev.srv6sh.dataplane.agent.AgentConformance;
import dev.srv6sh.dataplane.agent.AgentConnection;
import dev.srv6sh.dataplane.agent.EngineFixture;
import dev.srv6sh.dataplane.agent.ManualTime;
import dev.srv6sh.dataplane.agent.RouterAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/**
 * The conformance fixture over SSH: the router (a real engine and its agent) behind the router
 * daemon's SSH server on loopback, and the agent under test the transport's client of it (MINA's
 * client, an ed25519 identity, the server's host key pinned). A restart is the daemon's: the server
 * goes, the router restarts over its history, a new server comes up with the same host key, and the
 * client connects again.
 */
final class SshFixture implements AgentConformance.Fixture {
    private final EngineFixture router;
    private final Path dir;
    private final Path authorized;
    private final KeyPair identity;
    private final SshAgentClient client = new SshAgentClient(Duration.ofSeconds(60));
    final List<String> log = new CopyOnWriteArrayList<>();
    private RouterSshServer server;
    private AgentConnection connection;

    SshFixture(Path dir) throws Exception {
        this.dir = dir;
        this.router = new EngineFixture(dir.resolve("history"));
        this.identity = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        Path home = Files.createDirectories(
                dir.resolve("home"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        authorized = home.resolve("authorized_keys");
        Files.writeString(authorized, PublicKeyEntry.toString(identity.getPublic()) + " conformance\n");
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
        connect();
    }

    private void connect() throws Exception {
        server = RouterSshServer.start(
                RouterSshServer.Config.loopback(0, dir.resolve("state/ssh_host_key"))
                        .withAuthorizedKeys(authorized)
                        .withLog(log::add),
                router.engineAgent(),
                ShellConsole.over(router.engineAgent(), null));
        connection = client.connect(
                new SshAgentClient.Target("127.0.0.1", server.port(), "alice", identity, server.hostKey()));
    }

    KeyPair identity() {
        return identity;
    }

    RouterSshServer server() {
        return server;
    }

    AgentConnection connection() {
        return connection;
    }

    @Override
    public RouterAgent agent() {
        return connection.agent();
    }

    @Override
    public ManualTime time() {
        return router.time();
    }

    @Override
    public void send(String iface, byte[] frame) throws Exception {
        router.send(iface, frame);
    }

    @Override
    public List<byte[]> sent(String iface) throws Exception {
        return router.sent(iface);
    }

    @Override
    public boolean restart() throws Exception {
        connection.close();
        server.close();
        router.restart();
        connect();
        return true;
    }

    @Override
    public void close() throws Exception {
        try {
            connection.close();
            server.close();
            client.close();
        } finally {
            router.close();
        }
    }
}
