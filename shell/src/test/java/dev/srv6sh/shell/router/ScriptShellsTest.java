package dev.srv6sh.shell.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.interpreter.Session;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A REPL deployment's router with {@code ssh ADDRESS:PORT} answers OpenSSH's client for as long as
 * the deployment lives: the same router, seen from the REPL and from its shell.
 */
class ScriptShellsTest {
    @TempDir
    static Path keys;

    @TempDir
    Path dir;

    static Path alice;

    @BeforeAll
    static void keys() throws Exception {
        OpenSsh.requireInstalled();
        alice = OpenSsh.keygen(keys, "alice", "ed25519", 0);
    }

    @AfterEach
    void clear() {
        System.clearProperty("srv6sh.home");
        System.clearProperty("srv6sh.authorizedKeys");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aDeployedRoutersShellAnswersOverSshUntilTheDeploymentIsDestroyed() throws Exception {
        Path home = Files.createDirectory(
                dir.resolve("home"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path authorized = home.resolve("authorized_keys");
        Files.writeString(authorized, Files.readString(Path.of(alice + ".pub")));
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
        System.setProperty("srv6sh.home", home.toString());
        System.setProperty("srv6sh.authorizedKeys", authorized.toString());
        int port = freePort();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Session s = new Session("local", out, out)) {
            for (String line : List.of(
                    "region paris aws \"eu-west-3\"",
                    "vpc pv in paris { cidr 10.11.0.0/16 }",
                    "host pc in pv",
                    "router pr in pv { locator auto; ssh 127.0.0.1:" + port + "; sid dx4 End.DX4 nh pc }",
                    "apply auto")) {
                assertThat(s.eval(line))
                        .as(bytes.toString(StandardCharsets.UTF_8))
                        .isTrue();
            }
            String said = bytes.toString(StandardCharsets.UTF_8);
            assertThat(said).contains("router pr: its shell answers on 127.0.0.1:" + port);
            Path hostKeyFile = home.resolve("routers/pr/ssh_host_key");
            assertThat(Files.getPosixFilePermissions(hostKeyFile))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            PublicKey hostKey = KeyFiles.hostKey(hostKeyFile, l -> {}).getPublic();
            OpenSsh ssh = new OpenSsh(dir, port, hostKey);

            OpenSsh.Result sids = ssh.ssh("alice", List.of(alice), List.of(), null, "show sids");
            assertThat(sids.status()).as(sids.err()).isZero();
            assertThat(sids.out()).contains("End.DX4", "dx4 nh 10.11.1.10");

            // a SID committed over SSH is the REPL's router's too
            OpenSsh.Result commit =
                    ssh.ssh("alice", List.of(alice), List.of(), null, "sid e2 End; commit comment \"from ssh\"");
            assertThat(commit.status()).as(commit.err()).isZero();
            bytes.reset();
            assertThat(s.eval("show fib pr")).isTrue();
            assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("SID e2 End");

            // applied again with no change, the shell keeps serving at the same address
            assertThat(s.eval("apply auto")).isTrue();
            assertThat(ssh.ssh("alice", List.of(alice), List.of(), null, "show sids")
                            .status())
                    .isZero();

            assertThat(s.eval("destroy auto")).isTrue();
            OpenSsh.Result gone = ssh.ssh("alice", List.of(alice), List.of(), null, "show sids");
            assertThat(gone.status()).isEqualTo(255);
            assertThat(gone.err()).contains("Connection refused");
        }
        assertThat(Files.readString(home.resolve("routers/pr/ssh.log")))
                .contains("alice from /127.0.0.1:", "exec 'show sids' ended (exit 0)", "ssh: stopped");
    }
}
