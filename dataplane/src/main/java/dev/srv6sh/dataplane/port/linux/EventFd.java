package dev.srv6sh.dataplane.port.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A non-blocking {@code eventfd(2)}: one thread {@link #signal}s it, another polls its {@link #fd}
 * (readable while signalled) and {@link #clear}s it. A port whose frames another thread receives
 * (udp, on Netty's event loop) hands it to the router's {@link PortWaiter} as its descriptor, so the
 * data plane thread sleeps in {@code poll(2)} until that thread has frames for it; the same port
 * wakes Netty's loop with one when the engine has frames to send. {@link #signal} and {@link #clear}
 * are one system call each and allocate nothing; they are safe from any thread.
 */
public final class EventFd implements AutoCloseable {
    private static final short POLLIN = 0x0001;
    private static final int EFD_CLOEXEC = 02000000;
    private static final int EFD_NONBLOCK = 04000;

    private final Arena arena;
    private final Libc libc;
    private final int fd;
    /** 1, what {@link #signal} adds (read-only, so shared by every thread). */
    private final long one;

    /** Where {@link #clear} reads the count into: only the clearing thread touches it. */
    private final long count;

    private final MemorySegment pollfd;
    private boolean closed;

    private EventFd(Arena arena, Libc libc, int fd) {
        this.arena = arena;
        this.libc = libc;
        this.fd = fd;
        MemorySegment o = arena.allocate(JAVA_LONG);
        o.set(JAVA_LONG, 0, 1L);
        this.one = o.address();
        this.count = arena.allocate(JAVA_LONG).address();
        this.pollfd = arena.allocate(8, 8);
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(JAVA_SHORT, 4, POLLIN);
    }

    /** A new eventfd, not signalled; an error names the system's reason (too many descriptors). */
    public static EventFd open() throws ErrnoException {
        Arena arena = Arena.ofShared();
        Libc libc = new Libc(arena);
        int fd = libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (fd < 0) {
            Errno e = libc.error();
            arena.close();
            throw new ErrnoException("cannot make an eventfd", e, null);
        }
        return new EventFd(arena, libc, fd);
    }

    /** The descriptor: readable (POLLIN) from a {@link #signal} until the next {@link #clear}. */
    public int fd() {
        return fd;
    }

    /** Makes the descriptor readable, ending a {@code poll(2)} on it. From any thread. */
    public void signal() {
        libc.write(fd, one, 8);
    }

    /**
     * Makes the descriptor unreadable again, and says whether it was signalled: one read takes every
     * signal so far.
     */
    public boolean clear() {
        return libc.read(fd, count, 8) == 8;
    }

    /**
     * Sleeps in {@code poll(2)} until the descriptor is signalled or {@code timeoutNanos} passed
     * (rounded up to a millisecond; 0 only looks), and says whether it is. It does not clear it.
     */
    public boolean await(long timeoutNanos) {
        int millis = (int) Math.min(Integer.MAX_VALUE, (Math.max(0, timeoutNanos) + 999_999) / 1_000_000);
        return libc.poll(pollfd.address(), 1, millis) > 0 && (pollfd.get(JAVA_SHORT, 6) & POLLIN) != 0;
    }

    /** Closes the descriptor; once, after every thread is done with it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        libc.close(fd);
        arena.close();
    }
}
