package dev.srv6sh.dataplane.port.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace of a test's own, made with {@code ip netns add} under a random name ({@code
 * s6t-<hex>-<role>}, so tests running at once never meet) and deleted on {@link #close}, which takes
 * its devices with it. Code that must open a socket or a TAP device inside it runs on a thread of its
 * own that {@code setns(2)}s there first ({@link #call}): a namespace is per thread in Linux, and a
 * socket stays in the one it was made in.
 *
 * <p>{@link #require} skips a test that needs root and the tools (or fails it under {@code
 * CI=true}, where they must be there).
 */
public final class Netns implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    /**
     * Skips the test unless it runs as root with {@code ip}, {@code sysctl} and each of {@code tools}
     * on the PATH;
     * under {@code CI=true} it fails instead, naming what is missing.
     */
    public static void require(String... tools) {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("root (network namespaces, veth, AF_PACKET)");
        }
        List<String> all = new ArrayList<>(List.of("ip", "sysctl"));
        all.addAll(List.of(tools));
        for (String t : all) {
            if (!onPath(t)) {
                missing.add("'" + t + "' on the PATH");
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String why = "needs " + String.join(", ", missing);
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(why + "; CI must have it (.ci/run installs the tools)");
        }
        Assumptions.abort(why);
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // the effective uid
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A new namespace for {@code role} (a few letters). With {@code kernelIpv6} false the kernel's
     * IPv6 is off in it from the start, so it sends nothing of its own (router solicitations, DAD) on
     * the devices a test watches.
     */
    public static Netns create(String role, boolean kernelIpv6) {
        byte[] r = new byte[3];
        ThreadLocalRandom.current().nextBytes(r);
        Netns ns = new Netns("s6t-" + HexFormat.of().formatHex(r) + "-" + role);
        run("ip", "netns", "add", ns.name);
        try {
            ns.exec("ip", "link", "set", "lo", "up");
            if (!kernelIpv6) {
                ns.exec("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            }
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** Runs {@code command} inside the namespace ({@code ip netns exec}); its output, or an error with it. */
    public String exec(String... command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", name));
        c.addAll(List.of(command));
        return run(c.toArray(String[]::new));
    }

    /** {@code ip -n NAME ARGS}. */
    public String ip(String... args) {
        List<String> c = new ArrayList<>(List.of("ip", "-n", name));
        c.addAll(List.of(args));
        return run(c.toArray(String[]::new));
    }

    /** Runs {@code command}: its output (stdout and stderr), or an error with it when it fails. */
    public static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + ": timed out");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + ": exit " + p.exitValue() + ": " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + ": interrupted", e);
        }
    }

    /**
     * Runs {@code body} on a new platform thread that has entered this namespace, and returns what it
     * returns: sockets and TAP devices it opens are this namespace's for good.
     */
    public <T> T call(Callable<T> body) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("netns-" + name).start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                Libc libc = new Libc(arena);
                int fd = libc.open("/var/run/netns/" + name, O_RDONLY_CLOEXEC);
                if (fd < 0) {
                    throw new IllegalStateException("cannot open namespace " + name + ": " + libc.error());
                }
                int entered = libc.setns(fd, CLONE_NEWNET);
                libc.close(fd);
                if (entered < 0) {
                    throw new IllegalStateException("cannot enter namespace " + name + ": " + libc.error());
                }
                result.set(body.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.join();
        Throwable e = failure.get();
        if (e instanceof Exception x) {
            throw x;
        }
        if (e instanceof Error x) {
            throw x;
        }
        return result.get();
    }

    /**
     * Ends the processes still running in the namespace ({@code ip netns pids}): a server a test
     * started there and never connected to (iperf3 {@code -s -1}) would outlive the namespace.
     */
    public void endProcesses() {
        try {
            for (String pid : run("ip", "netns", "pids", name).split("\\s+")) {
                if (!pid.isEmpty()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (RuntimeException e) {
            // the namespace is gone, or nothing runs there
        }
    }

    /** Deletes the namespace and, with it, every device in it. */
    @Override
    public void close() {
        try {
            run("ip", "netns", "del", name);
        } catch (RuntimeException e) {
            // already gone, or never made: nothing left to clean
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
