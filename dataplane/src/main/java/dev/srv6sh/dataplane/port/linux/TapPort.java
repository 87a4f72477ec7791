package dev.srv6sh.dataplane.port.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.port.BufferPool;
import dev.srv6sh.dataplane.port.PortCounters;
import dev.srv6sh.dataplane.port.PortException;
import dev.srv6sh.dataplane.port.RxBurst;
import dev.srv6sh.dataplane.port.TxBurst;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A port that is a TAP device the router creates: {@code /dev/net/tun} opened non-blocking, {@code
 * TUNSETIFF} with {@code IFF_TAP | IFF_NO_PI} (Ethernet frames, no packet-information prefix) under
 * the configured name, then set up. The device is not persistent: it goes away when the port closes.
 * The router is the far end of the device: what the kernel sends out of it arrives here, and what
 * the engine transmits the kernel receives on it, so {@link #mac} is null (the configuration's MAC
 * is the router's) and {@link #mtu} is the device's.
 *
 * <p>A frame is read with {@code readv(2)} straight into a buffer of the engine's pool at its headroom
 * (the kernel's copy is the only one), with a scratch area behind it: tun cuts a frame short to the
 * space it is given and says only how much it copied, so a frame that reaches the scratch area is
 * one larger than a buffer, and dropped. A read that finds nothing leaves the buffer as the port's
 * spare for the next ({@link #buffersHeld} is then 1), so an idle poll costs one system call and no
 * pool traffic.
 *
 * <p>A TAP device has no ring, and tun reads and writes one frame per call. So a burst of {@value
 * #MIN_BATCH} frames or more to transmit goes through {@link IoUring}: a write per frame, all in one
 * {@code io_uring_enter(2)}, which the kernel does inside the call, in order; every buffer is given
 * back on return. Reads are not batched so: tun cannot say through io_uring's plain read that a
 * frame was cut short, and its vectored read, which can (the scratch area), saved nothing against
 * {@code readv} when measured (docs/performance.md, "TAP"). Where the kernel has no {@code io_uring}
 * or refuses it (a container's seccomp filter, {@code kernel.io_uring_disabled}), or its io_uring
 * has no write (before Linux 5.6), each frame is a {@code write(2)} and {@link #describe} says why.
 *
 * <p>The kernel hands a TAP device without offloads (no {@code TUNSETOFFLOAD}) frames whose
 * checksums are complete and whose size fits the MTU, so nothing is left to finish here.
 */
public final class TapPort implements LinuxPort {
    /** The driver's name in configurations and errors. */
    public static final String DRIVER = "tap";

    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    /** {@code _IOW('T', 202, int)}. */
    static final long TUNSETIFF = 0x400454caL;

    static final short IFF_TAP = 0x0002;
    static final short IFF_NO_PI = 0x1000;
    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final short POLLIN = 0x1;
    /** A frame read when no buffer is free lands here and is dropped; a tun frame is at most 64 KiB. */
    static final int SCRATCH = 65536;
    /** The fewest frames a burst writes through io_uring: fewer are cheaper a call each. */
    static final int MIN_BATCH = 4;
    /** The io_uring submission ring: a whole transmit burst. */
    static final int RING = 256;

    private final String device;
    private final BufferPool pool;
    private final long memory;
    private final Arena arena;
    private final Libc libc;
    private final int fd;
    private final int mtu;
    private final MemorySegment pollfd;
    private final long scratch;
    /** Two {@code struct iovec}: the buffer of the frame being read, then the scratch area. */
    private final MemorySegment iov;

    private final PortCounters counters = new PortCounters();
    /** Null when each frame is a system call of its own. */
    private final IoUring ring;
    /** How the port reads and writes, and why so: for {@link #describe}. */
    private final String batching;

    private int spare = -1;
    /** Frames written through io_uring (for tests: the batches ran). */
    long batchedWrites;

    private boolean closed;

    private TapPort(
            String device, BufferPool pool, Arena arena, Libc libc, int fd, int mtu, IoUring ring, String batching) {
        this.device = device;
        this.pool = pool;
        this.memory = pool.memory().address();
        this.arena = arena;
        this.libc = libc;
        this.fd = fd;
        this.mtu = mtu;
        this.ring = ring;
        this.batching = batching;
        this.pollfd = arena.allocate(8, 8);
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(JAVA_SHORT, 4, POLLIN);
        this.scratch = arena.allocate(SCRATCH, 64).address();
        this.iov = arena.allocate(32, 8);
        iov.set(JAVA_LONG, 8, BufferPool.MAX_FRAME);
        iov.set(JAVA_LONG, 16, scratch);
        iov.set(JAVA_LONG, 24, SCRATCH);
    }

    /**
     * Creates the TAP device {@code device} (in the calling thread's network namespace), sets it up
     * and opens it on the engine's pool. Needs {@code CAP_NET_ADMIN}; a name taken by a device that is
     * not a TAP device, or a TAP device another process holds, is an error naming both.
     */
    public static TapPort open(String device, BufferPool pool) throws PortException {
        return open(device, pool, true);
    }

    /**
     * As {@link #open(String, BufferPool)}; with {@code batch} false the port makes a system call per
     * frame whatever the kernel offers (to compare the two, and to test the way a kernel without
     * {@code io_uring} is served).
     */
    public static TapPort open(String device, BufferPool pool, boolean batch) throws PortException {
        String invalid = Netdev.invalidName(device);
        if (invalid == null && device.indexOf('%') >= 0) {
            invalid = "'" + device + "' is a name pattern, not a device name";
        }
        if (invalid != null) {
            throw PortException.driver(DRIVER, device, invalid, null);
        }
        Arena arena = Arena.ofShared();
        Libc libc = new Libc(arena);
        int fd = -1;
        int socket = -1;
        boolean opened = false;
        try {
            fd = libc.open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
            if (fd < 0) {
                Errno e = libc.error();
                throw new ErrnoException(
                        "cannot open /dev/net/tun",
                        e,
                        switch (e.code()) {
                            case Errno.ENOENT, 6, Errno.ENODEV -> "the kernel has no tun driver (modprobe tun)";
                            case Errno.EACCES, Errno.EPERM -> "needs read and write access to /dev/net/tun";
                            default -> null;
                        });
            }
            MemorySegment ifreq = arena.allocate(Netdev.IFREQ_SIZE, 8);
            Netdev.writeName(ifreq, device);
            ifreq.set(JAVA_SHORT, 16, (short) (IFF_TAP | IFF_NO_PI));
            if (libc.ioctl(fd, TUNSETIFF, ifreq) < 0) {
                Errno e = libc.error();
                throw new ErrnoException(
                        "cannot create the TAP device (TUNSETIFF)",
                        e,
                        switch (e.code()) {
                            case Errno.EPERM, Errno.EACCES -> "needs CAP_NET_ADMIN";
                            case Errno.EBUSY -> "another process holds the TAP device of that name";
                            case Errno.EINVAL -> "a device of that name exists and is not a TAP device";
                            default -> null;
                        });
            }
            socket = libc.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (socket < 0) {
                throw new ErrnoException("cannot open a socket to set the device up", libc.error(), null);
            }
            IoUring ring = null;
            String batching = "a system call per frame (batching off)";
            if (batch) {
                try {
                    ring = IoUring.open(RING);
                    if (ring.supports(IoUring.IORING_OP_WRITE)) {
                        batching = "writes through io_uring, up to " + RING + " a system call; a read a frame";
                    } else {
                        batching = "a system call per frame (the kernel's io_uring has no write: Linux 5.6 on)";
                    }
                } catch (ErrnoException | RuntimeException e) {
                    batching = "a system call per frame (" + e.getMessage() + ")";
                }
                if (ring != null && !batching.startsWith("writes")) {
                    ring.close();
                    ring = null;
                }
            }
            Netdev dev = new Netdev(libc, arena, socket, device);
            try {
                dev.up();
                int mtu = dev.mtu();
                TapPort port = new TapPort(device, pool, arena, libc, fd, mtu, ring, batching);
                opened = true;
                return port;
            } finally {
                if (!opened && ring != null) {
                    ring.close();
                }
            }
        } catch (ErrnoException e) {
            throw PortException.driver(DRIVER, device, e.getMessage(), e);
        } finally {
            if (socket >= 0) {
                libc.close(socket);
            }
            if (!opened) {
                if (fd >= 0) {
                    libc.close(fd);
                }
                arena.close();
            }
        }
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** Null: the router is the far end of its TAP device, and its MAC is the configuration's. */
    @Override
    public MacAddress mac() {
        return null;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public void receive(RxBurst rx) {
        while (rx.room() > 0) {
            int buf = spare >= 0 ? spare : pool.allocate();
            spare = -1;
            if (buf < 0) {
                if (libc.read(fd, scratch, SCRATCH) <= 0) {
                    return; // nothing waits
                }
                counters.noBuffer(); // a frame, and no buffer to take it
                continue;
            }
            iov.set(JAVA_LONG, 0, memory + BufferPool.frameOffset(buf));
            long read = libc.readv(fd, iov.address(), 2);
            if (read <= 0) {
                spare = buf; // EAGAIN: nothing waits (or the device is down)
                return;
            }
            if (read > BufferPool.MAX_FRAME || read < 14) {
                spare = buf; // larger than a buffer (it ran into the scratch area), or no Ethernet frame
                counters.noBuffer();
                continue;
            }
            int length = (int) read;
            rx.add(buf, length, 0);
            counters.received(length);
        }
    }

    /** Writes each frame to the device, a burst in one {@code io_uring_enter}; every buffer goes back to the engine. */
    @Override
    public int transmit(TxBurst tx) {
        int n = tx.count();
        if (ring == null || n < MIN_BATCH) {
            write(tx, 0, n);
            return n;
        }
        for (int from = 0; from < n; ) {
            int m = Math.min(n - from, RING);
            for (int k = 0; k < m; k++) {
                ring.write(k, fd, memory + tx.offset(from + k), tx.length(from + k), from + k);
            }
            int back = ring.submit(m);
            int c = ring.available();
            for (int i = 0; i < c; i++) {
                int length = tx.length((int) ring.userData(i));
                if (ring.result(i) == length) {
                    counters.transmitted(length);
                } else {
                    counters.txError();
                }
            }
            ring.consumed(c);
            batchedWrites += c;
            // what the kernel did not take (it failed the call again and again) goes frame by frame,
            // after the others, so that the order holds
            write(tx, from + m - back, from + m);
            from += m;
        }
        return n;
    }

    /** Frames {@code from} to {@code to} of {@code tx}, a {@code write(2)} each. */
    private void write(TxBurst tx, int from, int to) {
        for (int k = from; k < to; k++) {
            int length = tx.length(k);
            long written = libc.write(fd, memory + tx.offset(k), length);
            if (written == length) {
                counters.transmitted(length);
            } else {
                counters.txError();
            }
        }
    }

    /** Whether bursts go through io_uring. */
    boolean batches() {
        return ring != null;
    }

    /** How the port writes: {@code tap on t0: writes through io_uring, ...}, or a system call per frame and why. */
    @Override
    public String describe() {
        return DRIVER + " on " + device + ": " + batching;
    }

    /** The spare buffer, if a read found nothing. */
    @Override
    public int buffersHeld() {
        return spare >= 0 ? 1 : 0;
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    /** Reads and drops what waits (rx no-buffer each), and gives the spare back. */
    @Override
    public void drain() {
        while (libc.read(fd, scratch, SCRATCH) > 0) {
            counters.noBuffer();
        }
        giveBackSpare();
    }

    private void giveBackSpare() {
        if (spare >= 0) {
            pool.release(spare);
            spare = -1;
        }
    }

    @Override
    public boolean awaitReadable(long timeoutNanos) {
        int millis = (int) Math.min(Integer.MAX_VALUE, (Math.max(0, timeoutNanos) + 999_999) / 1_000_000);
        return libc.poll(pollfd.address(), 1, millis) > 0 && (pollfd.get(JAVA_SHORT, 6) & POLLIN) != 0;
    }

    /** Gives the spare back and closes the ring and the descriptor: the kernel removes the device. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        giveBackSpare();
        if (ring != null) {
            ring.close();
        }
        libc.close(fd);
        arena.close();
    }

    @Override
    public String toString() {
        return DRIVER + ":" + device;
    }
}
