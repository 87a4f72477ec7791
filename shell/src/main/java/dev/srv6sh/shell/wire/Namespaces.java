package dev.srv6sh.shell.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The namespaces and processes of one wire benchmark run, all named under one prefix, and the
 * commands that build them. {@link #close} removes everything it made (the processes it started,
 * then every namespace under the prefix, which takes their veths with them, and its working
 * directory); a JVM shutdown hook
 * does the same on Ctrl-C, so a run interrupted half-way leaves nothing behind.
 */
final class Namespaces implements AutoCloseable {
    private final String prefix;
    private final Path dir;
    private final List<Process> processes = Collections.synchronizedList(new ArrayList<>());
    private final Thread hook;
    private volatile boolean closed;

    /** The run's namespaces under {@code prefix}; {@code dir}, its working directory, goes with them. */
    Namespaces(String prefix, Path dir) {
        this.prefix = prefix;
        this.dir = dir;
        this.hook = new Thread(this::removeAll, "wire-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    String prefix() {
        return prefix;
    }

    /** Makes namespace {@code prefix-name} with its loopback up; returns its full name. */
    String add(String name) throws WireException {
        String ns = prefix + "-" + name;
        run("ip", "netns", "add", ns);
        run("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /** A veth pair: {@code a} in {@code nsA} with {@code macA}, {@code b} in {@code nsB} with {@code macB}, both up. */
    void veth(String nsA, String a, String macA, String nsB, String b, String macB, int mtu) throws WireException {
        run(
                "ip",
                "-n",
                nsA,
                "link",
                "add",
                a,
                "address",
                macA,
                "mtu",
                Integer.toString(mtu),
                "type",
                "veth",
                "peer",
                "name",
                b,
                "netns",
                nsB,
                "address",
                macB,
                "mtu",
                Integer.toString(mtu));
        run("ip", "-n", nsA, "link", "set", a, "up");
        run("ip", "-n", nsB, "link", "set", b, "up");
    }

    /** {@code ip netns exec ns cmd...}, which must succeed. */
    String in(String ns, String... cmd) throws WireException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd));
        return run(c.toArray(String[]::new));
    }

    /** Runs a command to its end; its output, or a {@link WireException} with it if it failed. */
    static String run(String... cmd) throws WireException {
        Result r = quiet(cmd);
        if (r.exit != 0) {
            throw new WireException(String.join(" ", cmd) + " failed (exit " + r.exit + "): " + r.out.strip());
        }
        return r.out;
    }

    record Result(int exit, String out) {}

    /** Runs a command to its end (at most 30 s), whatever its exit. */
    static Result quiet(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            // read on a thread of its own, so that the 30 s hold for a child that hangs with its output
            // open (reading first waited for it however long)
            java.util.concurrent.CompletableFuture<byte[]> out = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return p.getInputStream().readAllBytes();
                        } catch (IOException e) {
                            return new byte[0];
                        }
                    },
                    Thread::startVirtualThread);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            byte[] bytes;
            try {
                bytes = out.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                bytes = new byte[0]; // a grandchild kept the output open: the exit is what counts
            }
            return new Result(p.exitValue(), new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** Starts a long-running command, its output to {@code log}; stopped at the latest by {@link #close}. */
    Process start(List<String> cmd, Path log) throws WireException {
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new WireException("cannot start " + cmd.getFirst() + ": " + e.getMessage());
        }
    }

    /**
     * SIGTERM to the process and every process it started, then SIGKILL after {@code graceMs}; waits
     * for the end. Its children too: trafgen sends from a child it forks per CPU, which outlived a
     * SIGTERM to its parent and went on sending through the next case's measurement (a kernel round
     * read 14,000 packets per second while the previous srv6sh round's generator still ran).
     */
    static void stop(Process p, long graceMs) {
        List<ProcessHandle> children = p.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        p.destroy();
        long deadline = System.currentTimeMillis() + graceMs;
        for (ProcessHandle c : children) {
            try {
                c.onExit().get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                c.destroyForcibly();
            }
        }
        try {
            if (!p.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The namespaces under this run's prefix that still exist. */
    List<String> left() {
        List<String> out = new ArrayList<>();
        for (String line : quiet("ip", "netns", "list").out().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (name.startsWith(prefix + "-")) {
                out.add(name);
            }
        }
        return out;
    }

    /** Removes the namespaces of one phase ({@code prefix-phase...}), stopping what runs in them first. */
    void removePhase(String phase) {
        synchronized (processes) {
            for (Process p : List.copyOf(processes)) {
                stop(p, 3_000);
            }
            processes.clear();
        }
        for (String ns : left()) {
            if (ns.startsWith(prefix + "-" + phase)) {
                killIn(ns);
                quiet("ip", "netns", "del", ns);
            }
        }
    }

    /** Processes still in {@code ns} (ours: nothing else enters a namespace this run made). */
    private static void killIn(String ns) {
        for (String line : quiet("ip", "netns", "pids", ns).out().split("\n")) {
            try {
                ProcessHandle.of(Long.parseLong(line.strip())).ifPresent(ProcessHandle::destroyForcibly);
            } catch (NumberFormatException e) {
                // not a pid
            }
        }
    }

    private void removeAll() {
        if (closed) {
            return;
        }
        closed = true;
        removePhase("");
        try (var files = java.nio.file.Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // gone already, or a temporary directory left to the system
        }
    }

    @Override
    public void close() {
        removeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs (and finds everything removed)
        }
    }
}
