package dev.srv6sh.dataplane.port.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * An {@code io_uring} instance (Linux 5.1 on) through FFM, for a port whose device has no ring of its
 * own (a TAP device): the port writes one submission per frame to write, and one {@code
 * io_uring_enter(2)} has the kernel do them all and post their results, where a frame used to take a
 * system call each. No libraries: {@code io_uring_setup(2)} and {@code io_uring_enter(2)} through
 * {@code syscall(2)}, the rings mapped with {@code mmap(2)} and read and written as the kernel's
 * {@code io_uring.h} lays them out.
 *
 * <p>The submission ring's array maps slot i to entry i once for all (the ring is used in order), so
 * a submission is its entry's fields and the tail published with release; completions are read after
 * the tail read with acquire, and their head published with release. One thread uses an instance at
 * a time (the engine's), with no submission queue thread: the kernel reads the entries only inside
 * {@link #submit}.
 */
final class IoUring implements AutoCloseable {
    static final long SYS_IO_URING_SETUP = 425;
    static final long SYS_IO_URING_ENTER = 426;
    static final long SYS_IO_URING_REGISTER = 427;
    static final int IORING_REGISTER_PROBE = 8;
    static final int IO_URING_OP_SUPPORTED = 1;
    static final int IORING_ENTER_GETEVENTS = 1;
    static final int IORING_FEAT_SINGLE_MMAP = 1;
    static final long IORING_OFF_SQ_RING = 0L;
    static final long IORING_OFF_CQ_RING = 0x8000000L;
    static final long IORING_OFF_SQES = 0x10000000L;
    static final byte IORING_OP_WRITE = 23;

    /** Calls of {@code io_uring_enter} that take nothing before {@link #submit} takes its entries back. */
    static final int TRIES = 8;

    static final int SQE_SIZE = 64;
    static final int CQE_SIZE = 16;
    static final int PARAMS_SIZE = 120;
    static final int PROT_READ_WRITE = 0x3;
    static final int MAP_SHARED = 0x01;
    static final int MAP_POPULATE = 0x8000;
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final Arena arena;
    private final Libc libc;
    private final int fd;
    private final long[] maps;
    private final MemorySegment sq;
    private final MemorySegment cq;
    private final MemorySegment sqes;
    private final long sqTail;
    private final long sqHead;
    private final long cqHead;
    private final long cqTail;
    private final long cqes;
    private final int sqMask;
    private final int cqMask;
    /** The submission ring's size: at most this many entries a {@link #submit}. */
    final int entries;

    private int tail;
    private int head;
    private boolean closed;

    private IoUring(
            Arena arena,
            Libc libc,
            int fd,
            long[] maps,
            MemorySegment sq,
            MemorySegment cq,
            MemorySegment sqes,
            MemorySegment params) {
        this.arena = arena;
        this.libc = libc;
        this.fd = fd;
        this.maps = maps;
        this.sq = sq;
        this.cq = cq;
        this.sqes = sqes;
        this.entries = params.get(JAVA_INT, 0);
        this.sqHead = params.get(JAVA_INT, 40);
        this.sqTail = params.get(JAVA_INT, 44);
        this.sqMask = sq.get(JAVA_INT, params.get(JAVA_INT, 48));
        long array = params.get(JAVA_INT, 64);
        this.cqHead = params.get(JAVA_INT, 80);
        this.cqTail = params.get(JAVA_INT, 84);
        this.cqMask = cq.get(JAVA_INT, params.get(JAVA_INT, 88));
        this.cqes = params.get(JAVA_INT, 100);
        for (int i = 0; i < entries; i++) {
            sq.set(JAVA_INT, array + 4L * i, i);
        }
        this.tail = (int) INT.getAcquire(sq, sqTail);
        this.head = (int) INT.getAcquire(cq, cqHead);
    }

    /**
     * Sets up an instance with a submission ring of {@code entries} (a power of two; the completion
     * ring is twice that). An {@link ErrnoException} says why not: no {@code io_uring} in the kernel
     * ({@code ENOSYS}), or refused ({@code EPERM}: {@code kernel.io_uring_disabled}, or a seccomp
     * filter, as container runtimes have).
     */
    static IoUring open(int entries) throws ErrnoException {
        Arena arena = Arena.ofShared();
        Libc libc = new Libc(arena);
        int fd = -1;
        long[] maps = new long[6];
        boolean opened = false;
        try {
            MemorySegment params = arena.allocate(PARAMS_SIZE, 8);
            long r = libc.syscall(SYS_IO_URING_SETUP, entries, params.address(), 0);
            if (r < 0) {
                Errno e = libc.error();
                throw new ErrnoException(
                        "no io_uring",
                        e,
                        switch (e.code()) {
                            case 38 -> "the kernel has none (CONFIG_IO_URING)";
                            case Errno.EPERM, Errno.EACCES ->
                                "refused: kernel.io_uring_disabled, or a seccomp filter (a container's)";
                            default -> null;
                        });
            }
            fd = (int) r;
            int sqEntries = params.get(JAVA_INT, 0);
            int cqEntries = params.get(JAVA_INT, 4);
            int features = params.get(JAVA_INT, 20);
            long sqSize = params.get(JAVA_INT, 64) + 4L * sqEntries;
            long cqSize = params.get(JAVA_INT, 100) + (long) CQE_SIZE * cqEntries;
            boolean single = (features & IORING_FEAT_SINGLE_MMAP) != 0;
            if (single) {
                sqSize = Math.max(sqSize, cqSize);
            }
            MemorySegment sq = map(libc, maps, 0, fd, sqSize, IORING_OFF_SQ_RING);
            MemorySegment cq = single ? sq : map(libc, maps, 2, fd, cqSize, IORING_OFF_CQ_RING);
            MemorySegment sqes = map(libc, maps, 4, fd, (long) SQE_SIZE * sqEntries, IORING_OFF_SQES);
            IoUring ring = new IoUring(arena, libc, fd, maps, sq, cq, sqes, params);
            opened = true;
            return ring;
        } finally {
            if (!opened) {
                for (int i = 0; i < maps.length; i += 2) {
                    if (maps[i] != 0) {
                        libc.munmap(maps[i], maps[i + 1]);
                    }
                }
                if (fd >= 0) {
                    libc.close(fd);
                }
                arena.close();
            }
        }
    }

    private static MemorySegment map(Libc libc, long[] maps, int at, int fd, long size, long offset)
            throws ErrnoException {
        long addr = libc.mmap(size, PROT_READ_WRITE, MAP_SHARED | MAP_POPULATE, fd, offset);
        if (addr == -1) {
            throw new ErrnoException("cannot map an io_uring ring", libc.error(), null);
        }
        maps[at] = addr;
        maps[at + 1] = size;
        return MemorySegment.ofAddress(addr).reinterpret(size);
    }

    /**
     * Whether the kernel's io_uring knows operation {@code op} ({@code IORING_REGISTER_PROBE}, Linux
     * 5.6 on; false before, whose io_uring lacks the plain read and write too).
     */
    boolean supports(int op) {
        try (Arena a = Arena.ofConfined()) {
            int ops = 256;
            MemorySegment probe = a.allocate(16 + 8L * ops, 8);
            if (libc.syscallHot(SYS_IO_URING_REGISTER, fd, IORING_REGISTER_PROBE, probe.address(), ops, 0L, 0L) < 0) {
                return false;
            }
            int known = probe.get(JAVA_BYTE, 1) & 0xff;
            return op < known && (probe.get(ValueLayout.JAVA_SHORT, 16 + 8L * op + 2) & IO_URING_OP_SUPPORTED) != 0;
        }
    }

    /** The {@code k}-th entry from the tail, cleared: to fill before {@link #submit}. */
    private long entry(int k) {
        long at = (long) ((tail + k) & sqMask) * SQE_SIZE;
        for (int b = 0; b < SQE_SIZE; b += 8) {
            sqes.set(JAVA_LONG, at + b, 0L);
        }
        return at;
    }

    /** Entry {@code k} writes {@code length} bytes from {@code address}. */
    void write(int k, int file, long address, int length, long userData) {
        long at = entry(k);
        sqes.set(JAVA_BYTE, at, IORING_OP_WRITE);
        sqes.set(JAVA_INT, at + 4, file);
        sqes.set(JAVA_LONG, at + 16, address);
        sqes.set(JAVA_INT, at + 24, length);
        sqes.set(JAVA_LONG, at + 32, userData);
    }

    /**
     * Hands the {@code n} entries filled since the last call to the kernel and waits until each one
     * it took has posted its completion (a write to a TAP device is done inside the call, so this is
     * one system call): an entry's buffer is the kernel's until then. Returns how many it did not
     * take, the last ones, taken back unread: 0 unless {@code io_uring_enter} failed or took none
     * {@value #TRIES} times in a row ({@code EINTR}; {@code EAGAIN} for a moment's want of memory).
     */
    int submit(int n) {
        int target = available() + n;
        tail += n;
        INT.setRelease(sq, sqTail, tail);
        int back = 0;
        for (int failures = 0; ; ) {
            int left = tail - (int) INT.getAcquire(sq, sqHead);
            if (left == 0) {
                break;
            }
            // min_complete counts every completion not consumed; a call that takes fewer than
            // left does not wait at all
            long r = libc.syscallHot(SYS_IO_URING_ENTER, fd, left, target, IORING_ENTER_GETEVENTS, 0L, 0L);
            if (r <= 0 && ++failures >= TRIES) {
                // nobody is inside io_uring_enter, so the kernel is not reading them: take them back
                tail -= left;
                INT.setRelease(sq, sqTail, tail);
                back = left;
                break;
            }
        }
        target -= back;
        while (available() < target) {
            libc.syscallHot(SYS_IO_URING_ENTER, fd, 0, target, IORING_ENTER_GETEVENTS, 0L, 0L);
        }
        return back;
    }

    /** Completions posted and not yet {@link #consumed}. */
    int available() {
        return (int) INT.getAcquire(cq, cqTail) - head;
    }

    /** The {@code i}-th completion from the head: its entry's user data. */
    long userData(int i) {
        return cq.get(JAVA_LONG, cqes + (long) ((head + i) & cqMask) * CQE_SIZE);
    }

    /** The {@code i}-th completion from the head: its result (bytes, or a negated errno). */
    int result(int i) {
        return cq.get(JAVA_INT, cqes + (long) ((head + i) & cqMask) * CQE_SIZE + 8);
    }

    /** Gives the first {@code n} completions back to the kernel. */
    void consumed(int n) {
        head += n;
        INT.setRelease(cq, cqHead, head);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < maps.length; i += 2) {
            if (maps[i] != 0) {
                libc.munmap(maps[i], maps[i + 1]);
            }
        }
        libc.close(fd);
        arena.close();
    }
}
