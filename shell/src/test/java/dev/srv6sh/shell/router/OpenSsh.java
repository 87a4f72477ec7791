package dev.srv6sh.shell.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Assumptions;

/**
 * OpenSSH's client and key generator, as a user runs them against the router: {@code ssh -F /dev/null}
 * (no user configuration), batch mode, only the identities given, and the router's host key pinned in
 * a known-hosts file of the test's own.
 */
final class OpenSsh {
    private final Path dir;
    private final Path knownHosts;
    private final int port;

    OpenSsh(Path dir, int port, PublicKey hostKey) throws IOException {
        this.dir = dir;
        this.port = port;
        this.knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(hostKey) + "\n");
    }

    /** Skips the test when OpenSSH is not installed (fails it on CI, which installs it). */
    static void requireInstalled() {
        boolean there =
                Files.isExecutable(Path.of("/usr/bin/ssh")) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
        if (!there && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(
                    "CI must have OpenSSH's client (ssh, ssh-keygen): .ci/run installs openssh-client");
        }
        Assumptions.assumeTrue(there, "OpenSSH's client (ssh, ssh-keygen) is not installed");
    }

    /** A new key pair {@code dir/NAME} (and {@code NAME.pub}), no passphrase. */
    static Path keygen(Path dir, String name, String type, int bits) throws Exception {
        Path key = dir.resolve(name);
        List<String> cmd = new ArrayList<>(
                List.of("/usr/bin/ssh-keygen", "-q", "-t", type, "-N", "", "-C", name + "@test", "-f", key.toString()));
        if (bits > 0) {
            cmd.addAll(List.of("-b", Integer.toString(bits)));
        }
        Result r = run(cmd, null);
        assertThat(r.status()).as("ssh-keygen: " + r.err()).isZero();
        return key;
    }

    /** The SHA-256 fingerprint of {@code key}'s public half, as {@code ssh-keygen -l} prints it. */
    static String fingerprint(Path key) throws Exception {
        Result r = run(List.of("/usr/bin/ssh-keygen", "-l", "-E", "sha256", "-f", key + ".pub"), null);
        return r.out().split("\\s+")[1];
    }

    /** {@code ssh} to the router as {@code user} with {@code keys} and {@code options}, running {@code remote}. */
    List<String> command(String user, List<Path> keys, List<String> options, String... remote) {
        List<String> cmd = new ArrayList<>(List.of(
                "/usr/bin/ssh",
                "-F",
                "/dev/null",
                "-p",
                Integer.toString(port),
                "-e",
                "none",
                "-o",
                "BatchMode=yes",
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "IdentityAgent=none",
                "-o",
                "UserKnownHostsFile=" + knownHosts,
                "-o",
                "GlobalKnownHostsFile=/dev/null",
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "UpdateHostKeys=no",
                "-o",
                "ConnectTimeout=20"));
        for (Path k : keys) {
            cmd.add("-i");
            cmd.add(k.toString());
        }
        cmd.addAll(options);
        cmd.add(user + "@127.0.0.1");
        cmd.addAll(List.of(remote));
        return cmd;
    }

    /** Runs {@code ssh} with {@code input} (may be null) on its standard input, and waits for it. */
    Result ssh(String user, List<Path> keys, List<String> options, String input, String... remote) throws Exception {
        return run(command(user, keys, options, remote), input);
    }

    /** Starts {@code ssh}: the test writes its input and reads its output. */
    Process start(String user, List<Path> keys, List<String> options, String... remote) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(user, keys, options, remote));
        env(pb);
        return pb.start();
    }

    record Result(int status, String out, String err) {}

    static Result run(List<String> cmd, String input) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        env(pb);
        Process p = pb.start();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (input != null) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // it did not read its input: its output says why
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish in 60 s; its output: " + out.getNow("") + err.getNow(""));
        }
        return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    static CompletableFuture<String> drain(InputStream s) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(s.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    private static void env(ProcessBuilder pb) {
        pb.environment().remove("SSH_AUTH_SOCK");
        pb.environment().put("TERM", "xterm");
        pb.environment().put("LC_ALL", "C");
    }

    Path dir() {
        return dir;
    }
}
