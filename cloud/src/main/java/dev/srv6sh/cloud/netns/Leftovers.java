package dev.srv6sh.cloud.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds and removes what a netns deployment left, by its prefix alone, so that a destroy in another
 * process (or after a crash) needs nothing but the prefix: the processes in its namespaces (SIGTERM,
 * then SIGKILL after a grace period), its namespaces (which takes their links with them), its links
 * in the root namespace, and its directory under {@code $SRV6SH_HOME/netns}.
 */
public final class Leftovers {
    private Leftovers() {}

    /** A deployment prefix: {@code s6} and four hexadecimal digits (short, as interface names are). */
    static final Pattern PREFIX = Pattern.compile("s6[0-9a-f]{4}");

    private static final long GRACE_MS = 5_000;

    /** What a prefix still has on this machine. */
    public record Found(List<String> namespaces, List<String> links, List<Long> processes, boolean directory) {
        public boolean isEmpty() {
            return namespaces.isEmpty() && links.isEmpty() && processes.isEmpty() && !directory;
        }
    }

    /** The namespaces, root-namespace links, processes and directory that {@code prefix} names. */
    public static Found find(String prefix) {
        List<String> ns = namespaces(prefix);
        List<Long> pids = new ArrayList<>();
        for (String n : ns) {
            pids.addAll(pids(n));
        }
        return new Found(ns, links(prefix), pids, Files.exists(NetnsProvider.dir(prefix)));
    }

    /** Removes everything {@code prefix} names; what is already gone is no error. */
    public static void remove(String prefix) {
        List<String> ns = namespaces(prefix);
        List<ProcessHandle> procs = new ArrayList<>();
        for (String n : ns) {
            for (long pid : pids(n)) {
                ProcessHandle.of(pid).ifPresent(procs::add);
            }
        }
        stop(procs);
        for (String n : ns) {
            Sys.quiet("ip", "netns", "del", n);
        }
        for (String l : links(prefix)) {
            Sys.quiet("ip", "link", "del", l);
        }
        deleteTree(NetnsProvider.dir(prefix));
    }

    /** SIGTERM to each, then SIGKILL to those still alive after the grace period. */
    static void stop(List<ProcessHandle> procs) {
        procs.forEach(ProcessHandle::destroy);
        long deadline = System.currentTimeMillis() + GRACE_MS;
        for (ProcessHandle p : procs) {
            try {
                p.onExit()
                        .get(
                                Math.max(1, deadline - System.currentTimeMillis()),
                                java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }

    /** Every deployment prefix that has a namespace or a directory on this machine. */
    static List<String> prefixes() {
        List<String> out = new ArrayList<>();
        for (String n : allNamespaces()) {
            int dash = n.indexOf('-');
            if (dash > 0 && PREFIX.matcher(n.substring(0, dash)).matches() && !out.contains(n.substring(0, dash))) {
                out.add(n.substring(0, dash));
            }
        }
        try (Stream<Path> s = Files.list(NetnsProvider.dir(""))) {
            s.map(p -> p.getFileName().toString())
                    .filter(p -> PREFIX.matcher(p).matches() && !out.contains(p))
                    .forEach(out::add);
        } catch (IOException e) {
            // no directory: no deployment made one
        }
        return out;
    }

    static List<String> namespaces(String prefix) {
        return allNamespaces().stream().filter(n -> n.startsWith(prefix + "-")).toList();
    }

    private static List<String> allNamespaces() {
        Sys.Result r = Sys.quiet("ip", "netns", "list");
        List<String> out = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (!name.isEmpty()) {
                out.add(name);
            }
        }
        return out;
    }

    static List<String> links(String prefix) {
        Sys.Result r = Sys.quiet("ip", "-o", "link", "show");
        List<String> out = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            String[] f = line.split(":\\s+", 3);
            if (f.length >= 2) {
                String name = f[1].split("@")[0].strip();
                if (name.startsWith(prefix)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    private static List<Long> pids(String ns) {
        Sys.Result r = Sys.quiet("ip", "netns", "pids", ns);
        List<Long> out = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (!line.isBlank()) {
                try {
                    out.add(Long.parseLong(line.strip()));
                } catch (NumberFormatException e) {
                    // not a pid
                }
            }
        }
        return out;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for the next destroy, which finds it by prefix
                }
            });
        } catch (IOException e) {
            // as above
        }
    }

    /** The pid recorded in a file, if any. */
    static Optional<Long> pid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
