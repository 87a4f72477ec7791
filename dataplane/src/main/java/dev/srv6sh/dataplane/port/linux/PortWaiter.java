package dev.srv6sh.dataplane.port.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Where an idle router's data plane thread sleeps: in {@code poll(2)} on its Linux ports'
 * descriptors and an eventfd of its own, so that a frame on any port, or {@link #wake} from another
 * thread (a request of the agent's), ends the sleep at once, and an idle router costs nothing between
 * them. One per polling thread; {@link #watch} and {@link #await} on that thread, {@link #wake} from
 * any.
 */
public final class PortWaiter implements AutoCloseable {
    private static final short POLLIN = 0x0001;
    private static final int EFD_CLOEXEC = 02000000;
    private static final int EFD_NONBLOCK = 04000;

    private final Arena arena = Arena.ofShared();
    private final Libc libc = new Libc(arena);
    private final int eventFd;
    /** 1, as eventfd(2) counts: what {@link #wake} writes (read-only, so shared by every thread). */
    private final MemorySegment one = arena.allocate(JAVA_LONG);

    private final MemorySegment drained = arena.allocate(JAVA_LONG);
    private MemorySegment pollfds;
    /** Descriptors in {@link #pollfds} (the eventfd first), and the ports they are of. */
    private int count;

    private int watched;

    public PortWaiter() throws ErrnoException {
        eventFd = libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (eventFd < 0) {
            throw new ErrnoException("eventfd", libc.error(), "the router's data plane thread cannot be woken");
        }
        one.set(JAVA_LONG, 0, 1L);
        watch(List.of());
    }

    /** From now on, sleeps end when frames wait on {@code ports} too (the configuration's, after each change). */
    public void watch(List<LinuxPort> ports) {
        List<int[]> each = ports.stream().map(LinuxPort::fds).toList();
        int n = 1 + each.stream().mapToInt(f -> f.length).sum();
        MemorySegment fds = arena.allocate(8L * n, 8);
        fds.set(JAVA_INT, 0, eventFd);
        fds.set(JAVA_SHORT, 4, POLLIN);
        int i = 1;
        for (int[] f : each) {
            for (int d : f) {
                fds.set(JAVA_INT, 8L * i, d);
                fds.set(JAVA_SHORT, 8L * i + 4, POLLIN);
                i++;
            }
        }
        pollfds = fds;
        count = n;
        watched = ports.size();
    }

    /** How many ports it watches. */
    public int ports() {
        return watched;
    }

    /**
     * Sleeps until a watched port has frames, {@link #wake} is called, or {@code timeoutNanos} pass
     * (rounded up to a millisecond, poll's unit; 0 only looks).
     */
    public void await(long timeoutNanos) {
        int millis = (int) Math.min(Integer.MAX_VALUE, (Math.max(0, timeoutNanos) + 999_999) / 1_000_000);
        if (libc.poll(pollfds.address(), count, millis) > 0 && (pollfds.get(JAVA_SHORT, 6) & POLLIN) != 0) {
            libc.read(eventFd, drained.address(), 8); // the wake-ups so far, all at once
        }
    }

    /** Ends the sleep in progress, or the next one, at once. From any thread. */
    public void wake() {
        libc.write(eventFd, one.address(), 8);
    }

    @Override
    public void close() {
        libc.close(eventFd);
        arena.close();
    }
}
