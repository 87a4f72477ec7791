package dev.srv6sh.shell.wire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the wire benchmark reads of the machine: its CPU, kernel, load, and CPU time from /proc. */
final class Machine {
    private Machine() {}

    /** USER_HZ, the unit of /proc's CPU times: 100 on every Linux architecture srv6sh runs on. */
    static final int TICKS_PER_SECOND = 100;

    static String cpu() {
        for (String line : lines("/proc/cpuinfo")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).strip() + ", "
                        + Runtime.getRuntime().availableProcessors() + " CPUs";
            }
        }
        return "unknown";
    }

    static String kernel() {
        return System.getProperty("os.version");
    }

    static String loadAverage() {
        String[] f = String.join(" ", lines("/proc/loadavg")).split("\\s+");
        return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "unknown";
    }

    /** utime + stime of a process, all its threads (fields 14 and 15 of /proc/PID/stat). */
    static long processTicks(long pid) {
        String s = String.join(" ", lines("/proc/" + pid + "/stat"));
        int close = s.lastIndexOf(')');
        if (close < 0) {
            return 0;
        }
        String[] f = s.substring(close + 2).split("\\s+"); // f[0] is field 3, the state
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The machine's softirq time, all CPUs (the seventh number of /proc/stat's "cpu" line). */
    static long softirqTicks() {
        for (String line : lines("/proc/stat")) {
            if (line.startsWith("cpu ")) {
                return Long.parseLong(line.split("\\s+")[7]);
            }
        }
        return 0;
    }

    private static java.util.List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            return java.util.List.of();
        }
    }
}
