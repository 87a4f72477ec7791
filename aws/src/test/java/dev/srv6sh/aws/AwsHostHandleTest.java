package dev.srv6sh.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.cloud.HostHandle;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.netns.Keys;
import dev.srv6sh.dataplane.config.Addresses;
import java.io.IOException;
import java.net.InetAddress;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Host handles against two SSH servers on 127.0.0.1 standing for two client instances, whose exec
 * runs this machine's {@code ping} and {@code iperf3} over loopback: the commands the netns backend
 * runs, read by its parsers. Skipped where the tools are missing, failed without them under CI.
 */
class AwsHostHandleTest {
    private static final InetAddress LOOPBACK = Addresses.parse("127.0.0.1");

    private KeyPair operator;
    private KeyPair keyA;
    private KeyPair keyB;
    private LoopbackSshd a;
    private LoopbackSshd b;
    private SshExec ssh;

    @BeforeEach
    void start() throws Exception {
        operator = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        keyA = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        keyB = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
        a = new LoopbackSshd(keyA, operator.getPublic(), null);
        b = new LoopbackSshd(keyB, operator.getPublic(), null);
        ssh = new SshExec(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws Exception {
        ssh.close();
        a.close();
        b.close();
    }

    private AwsHostHandle host(String name, LoopbackSshd server) {
        return new AwsHostHandle(name, LOOPBACK, null, LOOPBACK, "127.0.0.1", server.port(), ssh, operator);
    }

    private static void need(String tool) {
        boolean there;
        try {
            Process p = new ProcessBuilder("sh", "-c", "command -v " + tool)
                    .redirectErrorStream(true)
                    .start();
            there = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            there = false;
        }
        if (!there) {
            String why = tool + " is needed on this machine (the hosts' measuring tool)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why + " (CI=true)");
            }
            Assumptions.abort(why);
        }
    }

    @Test
    void anUnpinnedHostIsRefusedAsNotBootstrapped() {
        AwsHostHandle h = host("hk", a);
        assertThat(h.pinned()).isFalse();
        assertThatThrownBy(() -> h.ping(LOOPBACK, 1, Duration.ofMillis(200), 56, Duration.ofSeconds(1)))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("host hk has not finished its bootstrap");
    }

    @Test
    void aHostPresentingAnotherKeyIsRefused() throws Exception {
        AwsHostHandle h = host("hk", a);
        h.pin(List.of(Keys.publicLine(keyB, "x"))); // b's key, but a answers
        assertThatThrownBy(() -> h.ping(LOOPBACK, 1, Duration.ofMillis(200), 56, Duration.ofSeconds(1)))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("refused ec2-user@127.0.0.1:" + a.port())
                .hasMessageContaining("its host key is " + KeyUtils.getFingerPrint(keyA.getPublic()))
                .hasMessageContaining("not one of the " + KeyUtils.getFingerPrint(keyB.getPublic()));
    }

    @Test
    void anyOfThePrintedKeysIsAccepted() throws Exception {
        AwsHostHandle h = host("hk", a);
        h.pin(List.of(Keys.publicLine(keyB, "ecdsa"), Keys.publicLine(keyA, "ed25519")));
        SshExec.Result r = ssh.run(
                new SshExec.Target(
                        "127.0.0.1", a.port(), "ec2-user", operator, List.of(keyB.getPublic(), keyA.getPublic())),
                SshExec.quote(List.of("printf", "%s|", "it's", "one word")),
                Duration.ofSeconds(20));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("it's|one word|");
        assertThat(h.pinned()).isTrue();
    }

    @Test
    void pingOverSshGivesTheNetnsRecords() throws Exception {
        need("ping");
        AwsHostHandle h = host("hk", a);
        h.pin(List.of(Keys.publicLine(keyA, "k")));
        List<HostHandle.Probe> probes = h.ping(LOOPBACK, 3, Duration.ofMillis(200), 56, Duration.ofSeconds(1));
        assertThat(probes).hasSize(3).allMatch(HostHandle.Probe::answered);
        assertThat(probes).extracting(HostHandle.Probe::sequence).containsExactly(0, 1, 2);
        assertThat(probes).allMatch(p -> p.hopLimit() == 64);
    }

    @Test
    void iperf3OverSshBetweenTwoHosts() throws Exception {
        need("iperf3");
        need("ss");
        AwsHostHandle tx = host("ha", a);
        AwsHostHandle rx = host("hb", b);
        tx.pin(List.of(Keys.publicLine(keyA, "k")));
        rx.pin(List.of(Keys.publicLine(keyB, "k")));
        assertThat(tx.hasTcpStack()).isTrue();

        HostHandle.TcpReport tcp = tx.tcp(rx, LOOPBACK, new HostHandle.TcpFlow(Duration.ofSeconds(1), 2, 0));
        assertThat(tcp.bytes()).isPositive();
        assertThat(tcp.bitsPerSecond()).isPositive();
        assertThat(tcp.streams()).isEqualTo(2);

        HostHandle.UdpReport udp =
                tx.udp(rx, LOOPBACK, new HostHandle.UdpFlow(10_000_000, 1000, Duration.ofSeconds(1)));
        assertThat(udp.sent()).isPositive();
        assertThat(udp.received()).isPositive();
        assertThat(udp.bytes()).isEqualTo(udp.received() * 1000);
    }

    @Test
    void aFlowThatIperf3CannotSendIsAClearError() throws Exception {
        AwsHostHandle tx = host("ha", a);
        AwsHostHandle rx = host("hb", b);
        tx.pin(List.of(Keys.publicLine(keyA, "k")));
        rx.pin(List.of(Keys.publicLine(keyB, "k")));
        assertThatThrownBy(() -> tx.udp(rx, LOOPBACK, new HostHandle.UdpFlow(1_000_000, 40, Duration.ofSeconds(1))))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("needs at least 16");
    }
}
