package dev.srv6sh.dataplane.port.linux;

import java.lang.foreign.Arena;

/**
 * A data plane thread's scheduling priority: a router's polling thread, or the link daemon's, asks for
 * a nice value of its own, above the rest of its process (the JIT's compiler threads, the SSH server),
 * so that neither the machine's other work nor its own process's background work delays a frame's
 * thread when it wakes. Linux keeps a nice value per thread ({@code setpriority(PRIO_PROCESS, tid)}).
 * Raising it takes CAP_SYS_NICE (root, as the netns backend runs); without it the thread keeps its
 * nice value and the answer says why. Not a real-time class: a thread forwarding at full rate must not
 * starve the processes whose packets it carries.
 */
public final class ThreadNice {
    /** The nice value a data plane thread asks for. */
    public static final int DATA_PLANE = -10;

    private static final int PRIO_PROCESS = 0;

    private ThreadNice() {}

    /**
     * What a log says of a data plane thread's priority, from {@link #set}'s answer: {@code nice -10},
     * or {@code the process's nice value (nice -10 refused: WHY)}.
     */
    public static String describe(String refused) {
        return refused == null
                ? "nice " + DATA_PLANE
                : "the process's nice value (nice " + DATA_PLANE + " refused: " + refused + ")";
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
