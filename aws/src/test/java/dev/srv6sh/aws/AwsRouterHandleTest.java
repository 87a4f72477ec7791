package dev.srv6sh.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.netns.Keys;
import dev.srv6sh.cloud.ssh.SshAgentClient;
import dev.srv6sh.dataplane.agent.AgentConformance;
import dev.srv6sh.dataplane.agent.AgentException;
import dev.srv6sh.dataplane.agent.AgentJson;
import dev.srv6sh.dataplane.agent.EngineFixture;
import dev.srv6sh.dataplane.agent.RouterBoot;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.Inet6Address;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A router handle against a real agent (an engine on in-memory ports, {@link EngineFixture}) served
 * over SSH on 127.0.0.1 as a router daemon serves it: host-key pinning, the agent, and configure (its
 * object in S3 on moto_server, and its commit).
 */
class AwsRouterHandleTest {
    private static final Prefix LOCATOR = Prefix.parse("2001:db8:1::/48");

    private EngineFixture router;
    private KeyPair hostKey;
    private KeyPair operator;
    private LoopbackSshd sshd;
    private SshAgentClient ssh;

    @BeforeEach
    void start() throws Exception {
        router = new EngineFixture(null);
        router.engineAgent().install("setup", AgentConformance.BASE, "base");
        hostKey = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
        operator = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        sshd = new LoopbackSshd(hostKey, operator.getPublic(), router.engineAgent());
        ssh = new SshAgentClient(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws Exception {
        ssh.close();
        sshd.close();
        router.close();
    }

    @AfterAll
    static void stopMoto() {
        DistributionTest.Moto.stop();
    }

    private AwsRouterHandle handle(Distribution objects, String bucket) {
        return new AwsRouterHandle(
                "r1",
                LOCATOR,
                (Inet6Address) Addresses.parse("2001:db8:1::1"),
                AgentConformance.BASE,
                "127.0.0.1",
                sshd.port(),
                operator,
                ssh,
                objects,
                bucket);
    }

    private static Distribution nowhere() {
        // never called: these tests do not configure
        return new Distribution(null, null);
    }

    private static String line(KeyPair kp) {
        return Keys.publicLine(kp, "srv6sh-router-r1");
    }

    @Test
    void nothingConnectsBeforeTheHostKeyIsPinned() {
        AwsRouterHandle h = handle(nowhere(), "b");
        assertThat(h.pinned()).isFalse();
        assertThatThrownBy(h::connect)
                .isInstanceOf(ProviderException.class)
                .hasMessage("router r1 has not finished its bootstrap: its host key is not in its console output yet"
                        + " (aws ec2 get-console-output shows how far it got)");
        assertThatThrownBy(() -> h.agent().describe())
                .isInstanceOfSatisfying(
                        AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.TRANSPORT))
                .hasMessageContaining("router r1 has not finished its bootstrap");
    }

    @Test
    void thePinnedKeyIsAcceptedAndTheAgentAnswers() throws Exception {
        try (AwsRouterHandle h = handle(nowhere(), "b")) {
            h.pin(line(hostKey));
            assertThat(h.agent().describe().router()).isEqualTo("r1");
            assertThat(h.connect()).as("one connection, kept").isSameAs(h.connect());
        }
    }

    @Test
    void anotherKeyIsRefusedNamingBothFingerprints() throws Exception {
        KeyPair other = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
        try (AwsRouterHandle h = handle(nowhere(), "b")) {
            h.pin(line(other));
            assertThatThrownBy(h::connect)
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("router r1: refused srv6sh@127.0.0.1:" + sshd.port())
                    .hasMessageContaining("its host key is " + KeyUtils.getFingerPrint(hostKey.getPublic()))
                    .hasMessageContaining("not the " + KeyUtils.getFingerPrint(other.getPublic()));
            assertThatThrownBy(() -> h.agent().running())
                    .isInstanceOf(AgentException.class)
                    .hasMessageContaining("refused");
        }
    }

    @Test
    void aLineThatIsNoKeyIsRefused() {
        AwsRouterHandle h = handle(nowhere(), "b");
        assertThatThrownBy(() -> h.pin("ssh-ed25519 not-a-key"))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("router r1: not an OpenSSH public key");
    }

    @Test
    void configureWritesTheObjectAndCommitsThroughTheAgentOncePinned() throws Exception {
        URI endpoint = DistributionTest.Moto.require();
        try (S3Client s3 = DistributionTest.Moto.s3(endpoint);
                S3Presigner presigner =
                        Distribution.presigner(DistributionTest.REGION, DistributionTest.Moto.credentials(), endpoint);
                AwsRouterHandle h = handle(new Distribution(s3, presigner), DistributionTest.Moto.bucket(s3))) {
            String bucket = DistributionTest.Moto.bucket(s3);
            try (AwsRouterHandle unpinned = handle(new Distribution(s3, presigner), bucket)) {
                DataplaneConfig program =
                        AgentConformance.withSid(AgentConformance.BASE, AgentConformance.dx4("dx4", "2001:db8:1::10"));
                // before its bootstrap is done: only the object the router will load at boot
                unpinned.configure(program);
                assertThat(router.engineAgent().runningConfig()).isEqualTo(AgentConformance.BASE);
                URI url = new Distribution(s3, presigner)
                        .presign(bucket, Distribution.configurationKey("r1"), Duration.ofMinutes(5));
                RouterBoot stored = AgentJson.read(
                        new String(DistributionTest.Moto.get(url), StandardCharsets.UTF_8), RouterBoot.class);
                assertThat(stored).isEqualTo(new RouterBoot(program, LOCATOR));

                // pinned: the object, and the commit
                unpinned.pin(line(hostKey));
                unpinned.configure(program);
                assertThat(router.engineAgent().runningConfig()).isEqualTo(program);
                int commits = router.engineAgent().commits().size();
                unpinned.configure(program); // no change: no commit
                assertThat(router.engineAgent().commits()).hasSize(commits);
            }
        }
    }
}
