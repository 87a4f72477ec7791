package dev.srv6sh.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.ssh.SshAgentClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack's key pair, the user-data's shape, and host keys read back from console output. */
class CloudInitBootstrapTest {
    /** The router daemon's key and the instance's sshd keys in the samples (ssh-keygen made them). */
    static final String ROUTER_KEY =
            "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBNxsPH3n3WWhnHMcGGhnruaE5japCHoPyGwaQ+aIwB3eo5vMZ4eSmFns1n+QK0jCXpsQRzfz7WL3h9Fl7UyXKEw=";

    static final String SSHD_ECDSA =
            "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBKrgR8wFvL2URWzECBqJHCXxdwCCyI1VRqfeOoynSJRkiedMxetlSFkAtRux9+BIlev/xQpPDdBxtjPWZMhpZ5w=";

    static final String SSHD_ED25519 =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEArtGhYNuuRA1UMJFXMG/suPg8Xd9EHdOD2giCboDRr";

    @TempDir
    Path home;

    static String console(String name) throws IOException {
        try (InputStream in = CloudInitBootstrapTest.class.getResourceAsStream("/console/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Bootstrap.RouterBoot boot(String stack) {
        return new Bootstrap.RouterBoot(
                stack,
                "pr",
                "eu-west-3",
                URI.create("https://srv6sh-quickstart-123456789012.s3.eu-west-3.amazonaws.com/srv6sh/dist/srv6sh-"
                        + "0".repeat(64) + ".tar.gz?X-Amz-Expires=3600&X-Amz-Signature=abc"),
                URI.create("https://srv6sh-quickstart-123456789012.s3.eu-west-3.amazonaws.com/srv6sh/routers/pr/"
                        + "boot.json?X-Amz-Expires=600&X-Amz-Signature=def"),
                "02:1A:2B:3C:4D:01",
                "02:1a:2b:3c:4d:02",
                "02:1a:2b:3c:4d:03");
    }

    @Test
    void theKeyPairIsMadeOnceOwnerOnlyAndItsPublicHalfIsOneOpenSshLine() throws Exception {
        CloudInitBootstrap b = new CloudInitBootstrap(home);
        String pub = b.publicKey("quickstart");
        assertThat(pub).matches("ssh-ed25519 AAAA[A-Za-z0-9+/]+=* srv6sh-quickstart");
        Path key = b.privateKey("quickstart");
        assertThat(key).isEqualTo(home.resolve("aws/quickstart/id_ed25519"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.readString(key)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(Files.readString(key.resolveSibling("id_ed25519.pub"))).isEqualTo(pub + "\n");

        // the same pair on every later use, by this or another process
        assertThat(new CloudInitBootstrap(home).publicKey("quickstart")).isEqualTo(pub);
        KeyPair id = SshAgentClient.identity(key);
        assertThat(KeyUtils.compareKeys(id.getPublic(), SshAgentClient.publicKey(pub)))
                .isTrue();
        assertThat(b.publicKey("other")).isNotEqualTo(pub);
    }

    @Test
    void aPrivateKeyOthersMayReadIsRefused() throws Exception {
        CloudInitBootstrap b = new CloudInitBootstrap(home);
        b.publicKey("s");
        Files.setPosixFilePermissions(b.privateKey("s"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> b.publicKey("s"))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("accessible by others")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void namesThatCannotNameFilesAreRefused() {
        CloudInitBootstrap b = new CloudInitBootstrap(home);
        for (String bad : List.of("", "../x", "a/b", "-x", "a b", "x..y")) {
            assertThatThrownBy(() -> b.publicKey(bad), bad)
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("stack name");
        }
        Bootstrap.RouterBoot ok = boot("s");
        assertThatThrownBy(() -> b.routerUserData(new Bootstrap.RouterBoot(
                        "s", "pr", "eu-west-3", ok.distribution(), ok.configuration(), "02:1a", "a", "b")))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("management ENI's MAC address '02:1a'");
        assertThatThrownBy(() -> b.routerUserData(new Bootstrap.RouterBoot(
                        "s",
                        "pr",
                        "eu-west-3",
                        URI.create("file:///etc/passwd"),
                        ok.configuration(),
                        ok.managementMac(),
                        ok.insideMac(),
                        ok.transitMac())))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("distribution URL is not a plain http(s) URL");
    }

    @Test
    void routerUserDataIsOneCloudConfigThatStartsTheRouter() throws Exception {
        CloudInitBootstrap b = new CloudInitBootstrap(home);
        String ud = b.routerUserData(boot("quickstart"));
        assertThat(ud).startsWith("#cloud-config\n");
        assertThat(ud.getBytes(StandardCharsets.UTF_8).length).isLessThan(CloudInitBootstrap.USER_DATA_LIMIT);
        assertThat(ud)
                .contains("  - \"" + b.publicKey("quickstart") + "\"")
                .contains("SRV6SH_MGMT_MAC='02:1a:2b:3c:4d:01'") // lower-cased, as /sys/class/net says them
                .contains("SRV6SH_INSIDE_MAC='02:1a:2b:3c:4d:02'")
                .contains("SRV6SH_TRANSIT_MAC='02:1a:2b:3c:4d:03'")
                .contains("SRV6SH_SSH_PORT='2222'")
                .contains("SRV6SH_DIST_SHA256='" + "0".repeat(64) + "'")
                .contains("SRV6SH_CONFIG_WAIT='600'") // no longer than the configuration's URL lives
                .contains("dnf -y -q install java-25-amazon-corretto-headless")
                .contains("'-XX:+UseZGC' '-Xmx256m'")
                .contains("--enable-native-access=srv6sh.dataplane,io.netty.common")
                .contains("router --config /var/lib/srv6sh/boot.json --name \"$SRV6SH_ROUTER\"")
                .contains("Restart=on-failure")
                .contains("ExecStartPre=+/usr/local/libexec/srv6sh/links")
                .contains("runcmd:\n  - [/usr/local/libexec/srv6sh/bootstrap]\n");
        // the console markers are assembled on the instance: user-data never holds them
        assertThat(ud).doesNotContain(CloudInitBootstrap.BEGIN).doesNotContain(CloudInitBootstrap.FAILED);
        assertThat(b.hostKeys(ud)).isEmpty();
    }

    @Test
    void hostUserDataInstallsPingAndIperf3AndPrintsTheSshdKeys() throws Exception {
        CloudInitBootstrap b = new CloudInitBootstrap(home);
        String ud = b.hostUserData(new Bootstrap.HostBoot("quickstart", "hk", "eu-west-3"));
        assertThat(ud).startsWith("#cloud-config\n");
        assertThat(ud)
                .contains("dnf -y -q install iputils iperf3")
                .contains("host_keys /etc/ssh/ssh_host_*_key.pub")
                .contains("  - \"" + b.publicKey("quickstart") + "\"");
        assertThat(ud.length()).isLessThan(CloudInitBootstrap.USER_DATA_LIMIT);
    }

    @Test
    void theRouterConsolePinsTheDaemonsKeyAndListsTheInstancesToo() throws Exception {
        CloudInitBootstrap b = new CloudInitBootstrap(home);
        String c = console("router-al2023.txt");
        assertThat(b.routerHostKey(c)).contains(ROUTER_KEY);
        assertThat(b.hostKeys(c)).containsExactly(ROUTER_KEY, SSHD_ECDSA, SSHD_ED25519);
        assertThat(CloudInitBootstrap.bootstrapFailure(c)).isEmpty();
    }

    @Test
    void prefixedCrlfConsoleWithGarbageGivesOnlyTheKeysThatParse() throws Exception {
        CloudInitBootstrap b = new CloudInitBootstrap(home);
        String c = console("host-ec2-prefixed-crlf.txt");
        assertThat(c).contains("\r\n");
        assertThat(b.hostKeys(c)).containsExactly(SSHD_ED25519, SSHD_ECDSA);
        assertThat(CloudInitBootstrap.block(c, CloudInitBootstrap.CLOUD_INIT_BEGIN, CloudInitBootstrap.CLOUD_INIT_END))
                .as("the cut-short RSA key and the non-base64 line are passed over")
                .containsExactly(SSHD_ECDSA, SSHD_ED25519);
        assertThat(b.routerHostKey(c)).contains(SSHD_ED25519); // a host's block, here: its first key
    }

    @Test
    void nothingIsPinnedWhileTheBlockIsIncompleteAndAFailureIsReported() throws Exception {
        CloudInitBootstrap b = new CloudInitBootstrap(home);
        String booting = console("router-booting.txt");
        assertThat(b.routerHostKey(booting)).isEmpty();
        assertThat(b.hostKeys(booting)).isEmpty();
        assertThat(b.hostKeys("")).isEmpty();
        assertThat(b.hostKeys(null)).isEmpty();

        String failed = console("router-failed.txt");
        assertThat(b.routerHostKey(failed)).isEmpty();
        assertThat(CloudInitBootstrap.bootstrapFailure(failed))
                .contains("cannot download the srv6sh distribution (its presigned URL expires: apply again)");
    }

    @Test
    void aKeyWhoseLineNamesAnotherTypeIsNotTrusted() {
        String c = CloudInitBootstrap.BEGIN + "\nssh-rsa " + SSHD_ED25519.split(" ")[1] + "\n" + CloudInitBootstrap.END;
        assertThat(new CloudInitBootstrap(home).hostKeys(c)).isEmpty();
    }

    @Test
    void theLastCompleteBlockWins() {
        String c = CloudInitBootstrap.BEGIN + "\n" + SSHD_ECDSA + "\n" + CloudInitBootstrap.END + "\n"
                + CloudInitBootstrap.BEGIN + "\n" + ROUTER_KEY + "\n" + CloudInitBootstrap.END + "\n"
                + CloudInitBootstrap.BEGIN + "\n" + SSHD_ED25519 + "\n"; // cut short by the console's end
        assertThat(new CloudInitBootstrap(home).routerHostKey(c)).contains(ROUTER_KEY);
    }

    @Test
    void theConfigurationWaitIsBoundedByItsUrl() {
        assertThat(CloudInitBootstrap.configWait(URI.create("https://b.s3/k?X-Amz-Expires=900&X-Amz-Signature=x")))
                .isEqualTo(900);
        assertThat(CloudInitBootstrap.configWait(URI.create("https://b.s3/k?X-Amz-Expires=86400")))
                .isEqualTo(1800);
        assertThat(CloudInitBootstrap.configWait(URI.create("https://b.s3/k"))).isEqualTo(1800);
        assertThat(CloudInitBootstrap.configWait(URI.create("https://b.s3/k?X-Amz-Expires=5")))
                .isEqualTo(60);
    }

    @Test
    void quotingKeepsEveryCharacterOneWord() {
        assertThat(CloudInitBootstrap.quote("a'b $c")).isEqualTo("'a'\\''b $c'");
    }
}
