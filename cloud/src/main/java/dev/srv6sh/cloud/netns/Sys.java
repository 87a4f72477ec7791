package dev.srv6sh.cloud.netns;

import dev.srv6sh.cloud.ProviderException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The system commands the netns backend drives ({@code ip}, {@code nft}, {@code sysctl}, {@code
 * ping}), run with a deadline. A command that fails becomes a {@link ProviderException} naming the
 * command and quoting what it said, never a stack trace.
 */
final class Sys {
    private Sys() {}

    /** What a command printed and how it ended. */
    record Result(int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }
    }

    private static final long DEFAULT_TIMEOUT_MS = 20_000;

    /**
     * {@code nice -n -10 ip netns exec NS CMD...}: a measuring tool (ping, iperf3) in a host's
     * namespace, at the data plane threads' priority, so that a busy machine's other work does not add
     * to what it measures.
     */
    static List<String> measuring(String ns, String... cmd) {
        List<String> all = new ArrayList<>(
                List.of("nice", "-n", Integer.toString(RouterLauncher.NICE), "ip", "netns", "exec", ns));
        all.addAll(List.of(cmd));
        return all;
    }

    /** Runs {@code cmd}; a non-zero exit is an error. */
    static String run(String... cmd) throws ProviderException {
        return check(exec(List.of(cmd), null, DEFAULT_TIMEOUT_MS), List.of(cmd)).out();
    }

    /** Runs {@code cmd} with {@code input} on its standard input; a non-zero exit is an error. */
    static String runWithInput(String input, String... cmd) throws ProviderException {
        return check(exec(List.of(cmd), input, DEFAULT_TIMEOUT_MS), List.of(cmd))
                .out();
    }

    /** Runs {@code cmd} with {@code input} on its standard input, whatever its exit status. */
    static Result execQuiet(String input, String... cmd) {
        try {
            return exec(List.of(cmd), input, DEFAULT_TIMEOUT_MS);
        } catch (ProviderException e) {
            return new Result(-1, "", e.getMessage());
        }
    }

    /** Runs {@code cmd} in namespace {@code ns} ({@code ip netns exec}). */
    static String inNs(String ns, String... cmd) throws ProviderException {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(List.of(cmd));
        return run(all.toArray(String[]::new));
    }

    /** Runs {@code cmd}, whatever its exit status (cleanup: a thing already gone is no error). */
    static Result quiet(String... cmd) {
        return execQuiet(null, cmd);
    }

    static Result exec(List<String> cmd, String input, long timeoutMs) throws ProviderException {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("srv6sh-netns", ".out");
            err = Files.createTempFile("srv6sh-netns", ".err");
            ProcessBuilder pb =
                    new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (input == null) {
                pb.redirectInput(
                        ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            }
            Process p = pb.start();
            if (input != null) {
                try (OutputStream o = p.getOutputStream()) {
                    o.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new ProviderException(
                        "'" + String.join(" ", cmd) + "' did not finish within " + timeoutMs + " ms");
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new ProviderException("cannot run '" + cmd.getFirst() + "': " + e.getMessage()
                    + " (the netns backend needs iproute2, nftables and iputils-ping)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted while running '" + String.join(" ", cmd) + "'");
        } finally {
            delete(out);
            delete(err);
        }
    }

    private static Result check(Result r, List<String> cmd) throws ProviderException {
        if (!r.ok()) {
            throw new ProviderException("'" + String.join(" ", cmd) + "' failed (exit " + r.exit() + ")"
                    + (r.err().isEmpty() ? "" : ": " + r.err()));
        }
        return r;
    }

    private static void delete(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temporary file: nothing else to do
            }
        }
    }

    /** Whether this process runs as root (effective uid 0), read from /proc. */
    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.split("\\s+");
                    return f.length > 2 && f[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
