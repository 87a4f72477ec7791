package dev.srv6sh.shell.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code srv6sh router} as a process of its own, driven as an operator would: OpenSSH's client for
 * exec, SIGTERM to stop it, a restart on the same state directory.
 */
class RouterDaemonTest {
    @TempDir
    static Path keys;

    @TempDir
    Path dir;

    static Path alice;

    static final String SCRIPT =
            """
            region paris aws "eu-west-3"
            vpc pv in paris { cidr 10.11.0.0/16 }
            host pc in pv
            router pr in pv {
              locator auto
              sid dx4 End.DX4 nh pc
            }
            """;

    @BeforeAll
    static void keys() throws Exception {
        OpenSsh.requireInstalled();
        alice = OpenSsh.keygen(keys, "alice", "ed25519", 0);
    }

    /** A running daemon: its process, what it logged so far, its SSH port. */
    record Daemon(Process process, List<String> log, int port) {}

    private Daemon start(Path script, Path authorized, Path state) throws Exception {
        return start(script, "pr", authorized, state);
    }

    private static ProcessBuilder daemon(String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new java.util.ArrayList<>(
                List.of(java, "-cp", System.getProperty("java.class.path"), "dev.srv6sh.shell.Main", "router"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    private Daemon start(Path script, String name, Path authorized, Path state) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.srv6sh.shell.Main",
                "router",
                "--config",
                script.toString(),
                "--name",
                name,
                "--ssh",
                "127.0.0.1:0",
                "--authorized-keys",
                authorized.toString(),
                "--state",
                state.toString());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        List<String> log = new CopyOnWriteArrayList<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    log.add(line);
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Pattern listening = Pattern.compile("ssh: listening on \\[/127\\.0\\.0\\.1:(\\d+)]");
        while (System.nanoTime() < until) {
            for (String l : log) {
                Matcher m = listening.matcher(l);
                if (m.find() && log.stream().anyMatch(x -> x.contains(": running (pid "))) {
                    return new Daemon(p, log, Integer.parseInt(m.group(1)));
                }
            }
            assertThat(p.isAlive()).as("the daemon exited: " + log).isTrue();
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new AssertionError("the daemon did not start in 60 s: " + log);
    }

    private static void stop(Daemon d) throws Exception {
        // SIGTERM through the handle: Process.destroy() would also close our end of its stderr
        d.process().toHandle().destroy();
        assertThat(d.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < until && d.log().stream().noneMatch(l -> l.endsWith("router pr: stopped"))) {
            Thread.sleep(20);
        }
        assertThat(d.log())
                .as("exit " + d.process().exitValue())
                .anyMatch(l -> l.endsWith("router pr: stopping (signal)"));
        assertThat(d.log()).anyMatch(l -> l.endsWith("router pr: stopped"));
    }

    @Test
    void runsTheScriptsRouterManagedOverSshStopsOnSigtermAndKeepsItsHistory() throws Exception {
        Path script = dir.resolve("r.srv6");
        Files.writeString(script, SCRIPT);
        Path home = Files.createDirectory(
                dir.resolve("home"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path authorized = home.resolve("authorized_keys");
        Files.writeString(authorized, Files.readString(Path.of(alice + ".pub")));
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
        Path state = dir.resolve("state");

        Daemon d = start(script, authorized, state);
        try {
            assertThat(d.log()).anyMatch(l -> l.contains("router pr: configured from " + script + ": commit 1"));
            Path hostKeyFile = state.resolve("ssh_host_key");
            assertThat(Files.getPosixFilePermissions(hostKeyFile))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            PublicKey hostKey = KeyFiles.hostKey(hostKeyFile, l -> {}).getPublic();
            OpenSsh ssh = new OpenSsh(dir, d.port(), hostKey);

            OpenSsh.Result sids = ssh.ssh("alice", List.of(alice), List.of(), null, "show sids");
            assertThat(sids.status()).as(sids.err()).isZero();
            assertThat(sids.out()).contains("End.DX4", "dx4 nh 10.11.1.10");

            OpenSsh.Result commit =
                    ssh.ssh("alice", List.of(alice), List.of(), null, "sid e2 End; commit comment \"second\"");
            assertThat(commit.status()).as(commit.err()).isZero();
            assertThat(d.log()).anyMatch(l -> l.contains("router pr: commit 2 by alice: + sid e2 (\"second\")"));
            byte[] key = Files.readAllBytes(hostKeyFile);
            stop(d);

            Daemon again = start(script, authorized, state);
            try {
                assertThat(again.log()).anyMatch(l -> l.contains("configured from its history"));
                assertThat(Files.readAllBytes(hostKeyFile)).isEqualTo(key);
                OpenSsh ssh2 = new OpenSsh(Files.createDirectory(dir.resolve("second")), again.port(), hostKey);
                OpenSsh.Result after = ssh2.ssh("alice", List.of(alice), List.of(), null, "show sids; show commits");
                assertThat(after.status()).as(after.err()).isZero();
                assertThat(after.out()).contains("e2", "dx4", "\"second\"");
            } finally {
                stop(again);
            }
        } finally {
            d.process().destroyForcibly();
        }
    }

    @Test
    void aBackendStartsItFromARouterBootFileAndAWrongOneIsAClearError() throws Exception {
        Path home = Files.createDirectory(
                dir.resolve("home"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path authorized = home.resolve("authorized_keys");
        Files.writeString(authorized, Files.readString(Path.of(alice + ".pub")));
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
        Path boot = dir.resolve("r1.json");
        Files.writeString(
                boot,
                dev.srv6sh.dataplane.agent.AgentJson.write(new dev.srv6sh.dataplane.agent.RouterBoot(
                        dev.srv6sh.dataplane.agent.AgentConformance.BASE,
                        dev.srv6sh.dataplane.config.Prefix.parse("2001:db8:f::/48"))));

        Process wrong = daemon(
                        "--config",
                        boot.toString(),
                        "--name",
                        "r2",
                        "--state",
                        dir.resolve("s2").toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String said = new String(wrong.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(wrong.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(wrong.exitValue()).isEqualTo(2);
        assertThat(said).contains("configures router 'r1', not 'r2'");

        Files.writeString(dir.resolve("bad.json"), "{\"config\": {\"router\": 7}}");
        Process bad = daemon("--config", dir.resolve("bad.json").toString(), "--name", "r1")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String badSaid = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).isEqualTo(2);
        assertThat(badSaid).contains("is not a router configuration: $.config.router: expected a string");

        Daemon d = start(boot, "r1", authorized, dir.resolve("state"));
        try {
            PublicKey hostKey =
                    KeyFiles.hostKey(dir.resolve("state/ssh_host_key"), l -> {}).getPublic();
            OpenSsh ssh = new OpenSsh(dir, d.port(), hostKey);
            OpenSsh.Result r = ssh.ssh("alice", List.of(alice), List.of(), null, "sid e1 End; commit; show sids");
            assertThat(r.status()).as(r.err()).isZero();
            // placed in the boot file's locator, as apply would place it
            assertThat(r.out()).containsPattern("2001:db8:f:[0-9a-f:]+ +End +e1");
        } finally {
            d.process().toHandle().destroy();
            d.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
