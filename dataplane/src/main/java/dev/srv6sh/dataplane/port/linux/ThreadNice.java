package dev.srv6sh.dataplane.port.linux;

import java.lang.foreign.Arena;

/**
 * A data plane thread's scheduling: a router's polling thread, or the link daemon's, stands for a
 * network device, whose latency the machine's other work (and its own process's: the JIT's compiler
 * threads, the SSH server) should not add to. It asks for the real-time class {@code SCHED_FIFO} at
 * the lowest real-time priority ({@value #FIFO_PRIORITY}) on the thread alone, and where that is
 * refused, a nice value of {@value #DATA_PLANE}. Both take CAP_SYS_NICE (root, as the netns backend
 * runs); without it the thread keeps its process's scheduling and the answer says why.
 *
 * <p>Why real time, measured on the netns backend (two loaded cores: two busy loops and a build
 * beside it, load average 3.1; 150 pings through the quickstart's two routers and the link daemon,
 * three rounds each, interleaved): at nice -10 the means were 10.09 to 11.13 ms for the table's
 * 9.435, with a 99th percentile of 12.6 to 20.3 ms and single echoes up to 54 ms, as a fair-class
 * thread that wakes still waits for the running one's time slice; under {@code SCHED_FIFO} 10.03 to
 * 10.14 ms, 99th percentile 10.2 to 10.3 ms, at most 12.8 ms. It does not starve the processes whose
 * packets it carries: such a thread runs only while frames wait for it (it sleeps in poll(2) after
 * 64 empty polls), and draining before the sender runs again is what a pipeline wants: iperf3 TCP
 * through the same routers gave 743 and 765 Mbit/s with 0 and 1 retransmits, against 455 and 571
 * Mbit/s with about 1,600 at nice -10. The kernel's real-time throttling (95% of each second by
 * default) bounds a thread that would spin regardless.
 */
public final class ThreadNice {
    /** The nice value a data plane thread asks for where the real-time class is refused. */
    public static final int DATA_PLANE = -10;

    /** {@code SCHED_FIFO}'s lowest priority: above every fair-class thread, below the kernel's own. */
    public static final int FIFO_PRIORITY = 1;

    private static final int PRIO_PROCESS = 0;
    private static final int SCHED_FIFO = 1;

    private ThreadNice() {}

    /**
     * Raises the calling thread to {@code SCHED_FIFO} {@value #FIFO_PRIORITY}, or failing that to
     * nice {@value #DATA_PLANE}, and says what it got, for the daemon's log: {@code SCHED_FIFO 1},
     * {@code nice -10 (SCHED_FIFO refused: WHY)}, or {@code the process's scheduling (SCHED_FIFO
     * refused: WHY; nice -10 refused: WHY)}.
     */
    public static String raise() {
        String fifo = fifo();
        if (fifo == null) {
            return "SCHED_FIFO " + FIFO_PRIORITY;
        }
        String nice = set(DATA_PLANE);
        return nice == null
                ? "nice " + DATA_PLANE + " (SCHED_FIFO refused: " + fifo + ")"
                : "the process's scheduling (SCHED_FIFO refused: " + fifo + "; nice " + DATA_PLANE + " refused: " + nice
                        + ")";
    }

    /** Puts the calling thread in SCHED_FIFO; null when done, else why not. */
    static String fifo() {
        try (Arena arena = Arena.ofConfined()) {
            Libc libc = new Libc(arena);
            int tid = libc.gettid();
            if (libc.schedSetScheduler(tid, SCHED_FIFO, FIFO_PRIORITY) == 0) {
                return null;
            }
            return libc.error().toString();
        } catch (RuntimeException | LinkageError e) {
            return e.getMessage();
        }
    }

    /** Sets the calling thread's nice value; null when done, else why not ({@code Permission denied (EACCES)}). */
    public static String set(int nice) {
        try (Arena arena = Arena.ofConfined()) {
            Libc libc = new Libc(arena);
            int tid = libc.gettid();
            if (libc.setpriority(PRIO_PROCESS, tid, nice) == 0) {
                return null;
            }
            return libc.error().toString();
        } catch (RuntimeException | LinkageError e) {
            return e.getMessage();
        }
    }
}
