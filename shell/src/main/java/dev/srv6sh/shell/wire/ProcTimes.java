package dev.srv6sh.shell.wire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A process's CPU time and its threads' from {@code /proc}, read under a root directory that tests
 * replace with a fake one: {@code PID/stat} for the process (utime + stime of all its threads, the
 * exited ones too), and for each thread {@code PID/task/TID/stat} (its name and utime + stime), {@code
 * status} (its voluntary context switches: how often it went to sleep, so how often it woke) and
 * {@code schedstat} (its run time in nanoseconds, where the kernel keeps it: ticks are 10 ms, and an
 * idle thread's few milliseconds a second would round to nothing there).
 */
public final class ProcTimes {
    private ProcTimes() {}

    /** One thread: its name (the kernel's 15 characters), CPU ticks, run time (-1: unknown), sleeps. */
    public record Task(long tid, String name, long ticks, long runNs, long voluntarySwitches) {}

    /** One reading: the process's ticks (utime + stime) and its threads alive at the time. */
    public record Snapshot(long processTicks, List<Task> threads) {}

    /** A {@code stat} line's name and utime + stime. */
    record Stat(String name, long ticks) {}

    /**
     * Parses {@code /proc/PID/stat} or {@code /proc/PID/task/TID/stat}. The name (field 2) is in
     * parentheses and may itself hold spaces and parentheses (a thread may name itself {@code "a) b
     * ("}): it runs from the first {@code (} to the last {@code )}, and the numbers follow that.
     */
    static Stat parseStat(String text) {
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a /proc stat line: " + abbreviate(text));
        }
        String[] f = text.substring(close + 1).strip().split("\\s+"); // f[0] is field 3, the state
        if (f.length < 13) {
            throw new IllegalArgumentException(
                    "a /proc stat line with " + (f.length + 2) + " fields, not 15 or more: " + abbreviate(text));
        }
        try {
            return new Stat(text.substring(open + 1, close), Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "a /proc stat line whose utime or stime is no number: " + abbreviate(text));
        }
    }

    private static final Pattern VOLUNTARY = Pattern.compile("(?m)^voluntary_ctxt_switches:\\s*(\\d+)");

    /** {@code voluntary_ctxt_switches} of a {@code status} file; -1 if it has none. */
    static long voluntarySwitches(String status) {
        Matcher m = VOLUNTARY.matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The first number of a {@code schedstat} file, the time on a CPU in ns; -1 if it is not one. */
    static long runNs(String schedstat) {
        String[] f = schedstat.strip().split("\\s+");
        try {
            return Long.parseLong(f[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The process {@code pid} under {@code proc} (normally {@code /proc}); null once it is gone. */
    public static Snapshot read(Path proc, long pid) {
        Path dir = proc.resolve(Long.toString(pid));
        String stat = text(dir.resolve("stat"));
        if (stat == null) {
            return null;
        }
        long ticks = parseStat(stat).ticks();
        List<Task> threads = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(dir.resolve("task"))) {
            for (Path t : tasks.sorted().toList()) {
                long tid;
                try {
                    tid = Long.parseLong(t.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                String ts = text(t.resolve("stat"));
                if (ts == null) {
                    continue; // the thread ended between the listing and the read
                }
                Stat s = parseStat(ts);
                String status = text(t.resolve("status"));
                String sched = text(t.resolve("schedstat"));
                threads.add(new Task(
                        tid,
                        s.name(),
                        s.ticks(),
                        sched == null ? -1 : runNs(sched),
                        status == null ? -1 : voluntarySwitches(status)));
            }
        } catch (IOException e) {
            // no task directory (the process ended): its total still counts
        }
        return new Snapshot(ticks, threads);
    }

    private static String text(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        String line = s.strip();
        return line.length() > 80 ? line.substring(0, 80) + "..." : line;
    }
}
