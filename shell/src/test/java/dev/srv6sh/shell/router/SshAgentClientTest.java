package dev.srv6sh.shell.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.cloud.ssh.SshAgentClient;
import dev.srv6sh.dataplane.agent.AgentConnection;
import dev.srv6sh.dataplane.agent.AgentException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The agent's SSH client: what it trusts, what it refuses, and how it ends. */
@Timeout(120)
class SshAgentClientTest {
    @TempDir
    Path dir;

    private SshFixture router;

    @BeforeEach
    void start() throws Exception {
        router = new SshFixture(dir);
    }

    @AfterEach
    void stop() throws Exception {
        router.close();
    }

    @Test
    void aRouterPresentingAnotherHostKeyIsRefusedNamingBothFingerprints() throws Exception {
        KeyPair impostor = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
        try (SshAgentClient client = new SshAgentClient(Duration.ofSeconds(30))) {
            assertThatThrownBy(() -> client.connect(new SshAgentClient.Target(
                            "127.0.0.1", router.server().port(), "alice", identity(), impostor.getPublic())))
                    .isInstanceOfSatisfying(
                            AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.TRANSPORT))
                    .hasMessage("refused alice@127.0.0.1:" + router.server().port() + ": its host key is "
                            + router.server().hostKeyFingerprint() + ", not the "
                            + KeyUtils.getFingerPrint(impostor.getPublic())
                            + " recorded for it (a different machine, or the router's key was replaced)");
        }
        assertThat(router.log).filteredOn(l -> l.contains("logged in")).hasSize(1); // the fixture's own
    }

    @Test
    void anIdentityTheRouterDoesNotListCannotLogIn() throws Exception {
        KeyPair other = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        try (SshAgentClient client = new SshAgentClient(Duration.ofSeconds(30))) {
            assertThatThrownBy(() -> client.connect(new SshAgentClient.Target(
                            "127.0.0.1",
                            router.server().port(),
                            "alice",
                            other,
                            router.server().hostKey())))
                    .isInstanceOfSatisfying(
                            AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.TRANSPORT))
                    .hasMessageStartingWith("cannot log in to alice@127.0.0.1:"
                            + router.server().port() + ": ");
        }
        assertThat(router.log)
                .anyMatch(l -> l.contains("refused ssh-ed25519 " + KeyUtils.getFingerPrint(other.getPublic())));
    }

    @Test
    void aRouterThatIsNotThereIsATransportError() throws Exception {
        int port = router.server().port();
        router.server().close();
        try (SshAgentClient client = new SshAgentClient(Duration.ofSeconds(30))) {
            assertThatThrownBy(() -> client.connect(new SshAgentClient.Target(
                            "127.0.0.1",
                            port,
                            "alice",
                            identity(),
                            router.server().hostKey())))
                    .isInstanceOfSatisfying(
                            AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.TRANSPORT))
                    .hasMessageStartingWith("cannot connect to alice@127.0.0.1:" + port + ": ");
        }
    }

    @Test
    void closingTheConnectionEndsTheSubsystemAndItsSessions() throws Exception {
        AgentConnection c = router.connection();
        c.agent().running(); // a call made, then nothing more
        String s = c.agent().openSession("alice");
        c.close();
        assertThat(c.isOpen()).isFalse();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (router.log.stream().noneMatch(l -> l.endsWith("subsystem srv6sh-agent ended (exit 0)"))) {
            assertThat(System.nanoTime() < deadline)
                    .as("the subsystem ends: " + router.log)
                    .isTrue();
            Thread.sleep(10);
        }
        // the session was closed with its connection: a new connection does not find it
        try (SshAgentClient client = new SshAgentClient(Duration.ofSeconds(30));
                AgentConnection again = client.connect(new SshAgentClient.Target(
                        "127.0.0.1",
                        router.server().port(),
                        "alice",
                        identity(),
                        router.server().hostKey()))) {
            assertThatThrownBy(() -> again.agent().diff(s))
                    .isInstanceOfSatisfying(
                            AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.NO_SESSION));
        }
    }

    @Test
    void aRouterThatGoesAwayFailsTheNextCallWithTransport() throws Exception {
        AgentConnection c = router.connection();
        assertThat(c.agent().describe().router()).isEqualTo("r1");
        router.server().close();
        assertThatThrownBy(() -> c.agent().running())
                .isInstanceOfSatisfying(
                        AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.TRANSPORT));
    }

    @Test
    void keysAreReadAsOpenSshWritesThem() throws Exception {
        KeyPair kp = identity();
        String pub = PublicKeyEntry.toString(kp.getPublic());
        assertThat(KeyUtils.compareKeys(SshAgentClient.publicKey(pub + " alice@laptop"), kp.getPublic()))
                .isTrue();
        assertThat(KeyUtils.compareKeys(SshAgentClient.publicKey("[198.51.100.7]:2222 " + pub), kp.getPublic()))
                .isTrue();
        for (String marker : java.util.List.of("@revoked", "@cert-authority")) {
            assertThatThrownBy(() -> SshAgentClient.publicKey(marker + " r1,192.0.2.1 " + pub))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("marked " + marker + " cannot pin");
        }
        assertThatThrownBy(() -> SshAgentClient.publicKey("ssh-ed25519 not-base64!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not an OpenSSH public key or known-hosts line");

        Path file = dir.resolve("id_ed25519");
        try (OutputStream out = Files.newOutputStream(file)) {
            new OpenSSHKeyPairResourceWriter().writePrivateKey(kp, "test", null, out);
        }
        assertThat(KeyUtils.compareKeys(SshAgentClient.identity(file).getPublic(), kp.getPublic()))
                .isTrue();
        Files.writeString(file, "not a key\n");
        assertThatThrownBy(() -> SshAgentClient.identity(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString());
    }

    private KeyPair identity() {
        return router.identity();
    }
}
