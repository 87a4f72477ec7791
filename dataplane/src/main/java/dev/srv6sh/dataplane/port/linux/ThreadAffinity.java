package dev.srv6sh.dataplane.port.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which CPUs a router's data plane threads run on ({@code srv6sh router --cpus 2,3}, as VPP's {@code
 * corelist-workers}): worker {@code k} is pinned to the {@code k}-th CPU of the list (wrapping around
 * when there are more workers than CPUs). A data plane thread that polls at {@code SCHED_FIFO} and is
 * woken by a frame runs, by the real-time scheduler's choice, on the CPU whose soft interrupt woke it
 * when the task there is of the fair class: the one that produced the frame. On a machine where the
 * traffic's source shares the router's CPUs (a benchmark's generator, the hosts of a netns
 * deployment), the router then took the generator's own CPU while another stood idle (measured: the
 * bench's router and trafgen both on CPU 0, CPU 1 41% idle). A pinned thread stays on its CPU.
 */
public final class ThreadAffinity {
    private ThreadAffinity() {}

    /** The most CPUs a list may name: a {@code cpu_set_t} of 1024 bits, as the C library's. */
    static final int MAX_CPUS = 1024;

    /**
     * The CPUs of a list such as {@code 2}, {@code 1,3} or {@code 0-3,6}, in order, or an error saying
     * what is wrong with it.
     */
    public static List<Integer> parse(String text) {
        List<Integer> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a CPU list is needed (2, 1,3 or 0-3)");
        }
        for (String part : text.split(",")) {
            String p = part.strip();
            int dash = p.indexOf('-');
            try {
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
                if (from < 0 || to < from || to >= MAX_CPUS) {
                    throw new NumberFormatException();
                }
                for (int c = from; c <= to; c++) {
                    if (!out.contains(c)) {
                        out.add(c);
                    }
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "'%s' in CPU list '%s' is not a CPU (0 to %d) or a range of them (2-3)",
                        p,
                        text,
                        MAX_CPUS - 1));
            }
        }
        return out;
    }

    /**
     * Pins the calling thread to {@code cpu}; null when done, else why not (a CPU the machine or the
     * process's cpuset does not have), for the log: the thread then runs where the scheduler puts it.
     */
    public static String pin(int cpu) {
        if (cpu < 0 || cpu >= MAX_CPUS) {
            return "CPU " + cpu + " is out of 0.." + (MAX_CPUS - 1);
        }
        try (Arena a = Arena.ofConfined()) {
            Libc libc = new Libc(a);
            MemorySegment mask = a.allocate(MAX_CPUS / 8, 8);
            mask.set(ValueLayout.JAVA_BYTE, cpu / 8, (byte) (1 << (cpu % 8)));
            if (libc.schedSetAffinity(0, mask, MAX_CPUS / 8) < 0) {
                Errno e = libc.error();
                return "cannot pin it to CPU " + cpu + ": " + e
                        + (e.code() == Errno.EINVAL
                                ? " (the machine, or this process's cpuset, has no CPU " + cpu + ")"
                                : "");
            }
            return null;
        }
    }

    /** The CPU the calling thread ran on last ({@code /proc/thread-self/stat}, field 39), or -1. */
    public static int current() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(f[39 - 3]);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }
}
