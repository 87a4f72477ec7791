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
import java.lang.invoke.VarHandle;

/**
 * A port on one receive queue of a Linux network device through an {@code AF_XDP} socket (driver
 * {@code af_xdp}): the device's frames are redirected to the socket by an XDP program ({@link
 * XdpRedirect}) and land straight in the engine's own buffers, which are the socket's UMEM; frames are
 * sent from the engine's buffers in place. Four rings shared with the kernel, no system call per
 * frame, and none at all to receive. Nothing allocates after {@link #open}.
 *
 * <h2>Memory</h2>
 *
 * The UMEM is the engine's {@link BufferPool#memory} registered whole ({@code XDP_UMEM_REG}, 2 KiB
 * chunks, the pool's buffers): buffer {@code b} is chunk {@code b}, at {@code b × 2048}. The port
 * posts free buffers of the pool to the fill ring ({@value #FILL} of them outstanding), the kernel
 * writes a received frame into one at {@code XDP_PACKET_HEADROOM} (256 bytes, room for an
 * encapsulation in front) and hands it over on the receive ring with its address and length: the
 * buffer goes to the engine as it is, with no copy ({@link RxBurst#add} with the kernel's offset).
 * A frame the engine sends goes on the transmit ring as its buffer's address and length; the
 * buffer stays the port's until the kernel hands the address back on the completion ring, when
 * the port frees it ({@link Port#transmit}'s contract: it returns 0). So a frame received on one
 * af_xdp port and sent from another is never copied by srv6sh; the kernel copies it in copy mode,
 * and nobody does in zero-copy mode.
 *
 * <p>Each port registers the pool's memory as a UMEM of its own: the same pages, pinned once per
 * socket, so that every port has its own fill and completion rings and the ports of one engine
 * never share a ring across threads.
 *
 * <h2>Modes, said at start</h2>
 *
 * Two things decide the path, and {@link #toString} names both: whether the XDP program runs in
 * the driver ({@code native}) or after the kernel made a socket buffer ({@code generic}: a driver
 * without native XDP), and whether the socket's frames are copied between the device and the UMEM
 * ({@code copy}) or the device reads and writes the UMEM itself ({@code zero-copy}: the driver
 * supports it). The socket is bound in copy mode ({@code XDP_COPY}), always: a zero-copy socket's
 * buffers stay the device's until the kernel's deferred teardown after close, and the port gives
 * them back to the pool when it closes or drains, where a NIC could still write into them. So the
 * driver has it, and copy mode otherwise (veth: native XDP, copy).
 *
 * <h2>Wake-ups</h2>
 *
 * Bound with {@code XDP_USE_NEED_WAKEUP}: the transmit ring is kicked ({@code sendto}, one per
 * burst) only when the kernel flags it needs to be, the fill ring ({@code recvfrom}) likewise. In
 * copy mode the kernel sends at most 32 frames per kick and says {@code EAGAIN} for the rest, unless
 * told otherwise ({@code XDP_MAX_TX_SKB_BUDGET}, Linux 6.17 on: a whole burst of 256): the port kicks
 * again while the kernel takes frames, up to the burst. poll(2) on {@link #fd} wakes an
 * idle engine when a frame is on the receive ring.
 *
 * <h2>What it does not do</h2>
 *
 * A frame larger than a buffer holds after the kernel's headroom ({@value #MAX_FRAME} bytes) is
 * dropped by the kernel and counted here as rx no-buffer (from {@code XDP_STATISTICS}), as are
 * frames it dropped because the receive ring was full or the fill ring empty. The device's MTU
 * may be larger than that ({@link #mtu} says the less of the two). Only queue {@code queue}'s frames
 * come to this port: a device with several receive queues needs a port per queue (a worker each),
 * or the frames of the others go to the kernel's stack.
 */
public final class AfXdpPort implements LinuxPort {
    public static final String DRIVER = "af_xdp";

    // <linux/if_xdp.h>, <linux/socket.h>
    static final int AF_XDP = 44;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_XDP = 283;
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUFFORCE = 32;
    static final int XDP_MMAP_OFFSETS = 1;
    static final int XDP_RX_RING = 2;
    static final int XDP_TX_RING = 3;
    static final int XDP_UMEM_REG = 4;
    static final int XDP_UMEM_FILL_RING = 5;
    static final int XDP_UMEM_COMPLETION_RING = 6;
    static final int XDP_STATISTICS = 7;
    /** Frames one send call takes from the transmit ring in copy mode (Linux 6.17 on; 32 before). */
    static final int XDP_MAX_TX_SKB_BUDGET = 9;

    static final int XDP_OPTIONS = 8;
    static final int XDP_OPTIONS_ZEROCOPY = 1;
    static final int XDP_COPY = 1 << 1;
    static final int XDP_USE_NEED_WAKEUP = 1 << 3;
    static final int XDP_RING_NEED_WAKEUP = 1;
    static final long XDP_PGOFF_RX_RING = 0;
    static final long XDP_PGOFF_TX_RING = 0x80000000L;
    static final long XDP_UMEM_PGOFF_FILL_RING = 0x100000000L;
    static final long XDP_UMEM_PGOFF_COMPLETION_RING = 0x180000000L;
    /** Where the kernel writes a received frame in its chunk, in front of which XDP may grow it. */
    static final int XDP_PACKET_HEADROOM = 256;

    static final int PROT_READ_WRITE = 0x1 | 0x2;
    static final int MAP_SHARED = 0x01;
    static final int MAP_POPULATE = 0x08000;
    static final int MSG_DONTWAIT = 0x40;
    static final short POLLIN = 0x0001;

    /** Entries in each of the four rings. */
    static final int RING = 2048;
    /** Buffers kept posted on the fill ring: a quarter of an engine's pool per port. */
    static final int FILL = 1024;
    /** The largest frame the kernel writes into a buffer: the buffer less XDP's headroom. */
    static final int MAX_FRAME = BufferPool.BUFFER_SIZE - XDP_PACKET_HEADROOM;
    /** How often {@link #receive} reads the kernel's drop counters: a system call, so not per burst. */
    private static final long DROPS_EVERY_NANOS = 1_000_000;
    /** Kicks per transmit burst at most (32 frames each in copy mode, unless the budget is a burst). */
    private static final int KICKS = RxBurst.MAX / 32 + 2;

    private static final VarHandle INT = JAVA_INT.varHandle();

    /** Where a buffer is while the port has it: nowhere (the engine's or the pool's), on the fill ring, on the transmit ring. */
    private static final byte NONE = 0;

    private static final byte POSTED = 1;
    private static final byte SENDING = 2;

    private final String device;
    private final int queue;
    private final BufferPool pool;
    private final int mtu;
    private final MacAddress mac;
    private final XdpRedirect program;
    /** The network namespace the port was opened in ({@code net:[INODE]}), and a descriptor of it. */
    private final String namespace;

    private final int namespaceFd;
    private final PortCounters counters = new PortCounters();
    /** Where each of the pool's buffers is, as far as this port is concerned. */
    private final byte[] where;

    private Socket socket;
    /**
     * With several workers, this worker's packet socket for ARP and NS/NA, which the XDP program
     * passes to the kernel ({@link Fanout}); null with one.
     */
    private ResolutionSocket resolution;
    /** The resolution socket's memory and calls; closed with the port. */
    private final Arena arena = Arena.ofShared();

    private final Libc libc = new Libc(arena);
    /** Two {@code struct pollfd}: the socket's, the resolution socket's. */
    private final MemorySegment pollfds = arena.allocate(16, 8);
    /** When the kernel's drop counters were last read. */
    private long dropsRead = System.nanoTime();

    private int posted;
    private int sending;
    private boolean zeroCopy;
    /** Frames a kick sends at most in copy mode: 32, or a whole burst where the kernel lets us say so. */
    private int txBudget = 32;

    private boolean closed;

    private AfXdpPort(
            String device,
            int queue,
            BufferPool pool,
            int mtu,
            MacAddress mac,
            XdpRedirect program,
            String namespace,
            int namespaceFd) {
        this.namespace = namespace;
        this.namespaceFd = namespaceFd;
        this.device = device;
        this.queue = queue;
        this.pool = pool;
        this.mtu = mtu;
        this.mac = mac;
        this.program = program;
        this.where = new byte[pool.count()];
    }

    /**
     * Opens queue 0 of {@code device} (in the calling thread's network namespace) on the engine's
     * pool. A missing device, capability, or kernel feature: a {@link PortException} naming the driver,
     * the device, the step and the error.
     */
    public static AfXdpPort open(String device, BufferPool pool) throws PortException {
        return open(device, 0, pool);
    }

    /**
     * The port of one worker of a router ({@link Fanout}): with one worker, queue 0 as {@link
     * #open(String, BufferPool)}; with several, worker {@code k} serves receive queue {@code k} (the
     * device needs as many queues: {@code ip link add ... numrxqueues N}, a NIC's channels), the kernel
     * spreading flows over the queues, and ARP and NS/NA go to every worker through its packet socket
     * for them, as with af_packet.
     */
    public static AfXdpPort open(String device, BufferPool pool, Fanout fanout) throws PortException {
        if (fanout == null || !fanout.spreads()) {
            return open(device, 0, pool, false);
        }
        AfXdpPort port = open(device, fanout.worker(), pool, true);
        try {
            port.resolution =
                    ResolutionSocket.open(port.libc, port.arena, port.program.ifindex(), fanout.resolutionFlags());
            port.watch();
            return port;
        } catch (ErrnoException | RuntimeException e) {
            port.close();
            throw PortException.driver(DRIVER, device, e.getMessage(), e);
        }
    }

    /** As {@link #open(String, BufferPool)}, on receive queue {@code queue} of the device. */
    public static AfXdpPort open(String device, int queue, BufferPool pool) throws PortException {
        return open(device, queue, pool, false);
    }

    /**
     * As {@link #open(String, int, BufferPool)}; with {@code resolutionToKernel} (a router of several
     * workers, a queue each), ARP and IPv6 NS/NA frames are not redirected to the socket but passed to
     * the kernel, where each worker's packet socket for them takes them, so that every worker's
     * neighbor table hears the answer to its own solicitation. Every port of the device must be opened
     * alike.
     */
    public static AfXdpPort open(String device, int queue, BufferPool pool, boolean resolutionToKernel)
            throws PortException {
        String invalid = Netdev.invalidName(device);
        if (invalid != null) {
            throw PortException.driver(DRIVER, device, invalid, null);
        }
        if (pool.memory().address() % 4096 != 0 || pool.memory().byteSize() % BufferPool.BUFFER_SIZE != 0) {
            throw PortException.driver(DRIVER, device, "the engine's buffers are not page-aligned", null);
        }
        XdpRedirect program = null;
        int nsFd = -1;
        boolean opened = false;
        try (Arena a = Arena.ofConfined()) {
            Libc libc = new Libc(a);
            int ifindex = libc.ifNameToIndex(device);
            if (ifindex == 0) {
                throw new ErrnoException("", libc.error(), null);
            }
            int mtu;
            MacAddress mac;
            int inet = libc.socket(2 /* AF_INET */, 2 /* SOCK_DGRAM */ | SOCK_CLOEXEC, 0);
            if (inet < 0) {
                throw new ErrnoException("cannot open a socket to read the device's settings", libc.error(), null);
            }
            try {
                Netdev dev = new Netdev(libc, a, inet, device);
                mtu = dev.mtu();
                mac = dev.ethernetMac();
            } finally {
                libc.close(inet);
            }
            program = XdpRedirect.acquire(device, ifindex, resolutionToKernel);
            nsFd = libc.open("/proc/thread-self/ns/net", 0x80000 /* O_RDONLY | O_CLOEXEC */);
            if (nsFd < 0) {
                throw new ErrnoException("cannot hold on to its network namespace", libc.error(), null);
            }
            AfXdpPort port = new AfXdpPort(device, queue, pool, mtu, mac, program, XdpRedirect.namespace(), nsFd);
            try {
                port.bind();
            } catch (ErrnoException | RuntimeException e) {
                port.arena.close();
                throw e;
            }
            opened = true;
            return port;
        } catch (ErrnoException | Netdev.NotEthernet e) {
            throw PortException.driver(DRIVER, device, e.getMessage(), e);
        } finally {
            if (!opened) {
                if (program != null) {
                    program.release();
                }
                if (nsFd >= 0) {
                    closeFd(nsFd);
                }
            }
        }
    }

    /** A socket bound to the queue with its four rings mapped, its fill ring posted, and the queue served. */
    private void bind() throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            Libc libc = new Libc(a);
            if (libc.ifNameToIndex(device) != program.ifindex()) {
                throw new ErrnoException(
                        "", new Errno(Errno.ENODEV), "the device went away, or was made again: restart the router");
            }
        }
        Socket s = Socket.open(device, program.ifindex(), queue, pool.memory());
        try {
            zeroCopy = s.zeroCopy();
            txBudget = s.txBudget;
            socket = s;
            refill();
            program.serve(queue, s.fd);
            watch();
        } catch (ErrnoException | RuntimeException e) {
            socket = null;
            giveBack(s);
            throw e;
        }
    }

    /** What {@link #awaitReadable} polls: the socket, and the resolution socket if there is one. */
    private void watch() {
        Socket s = socket;
        pollfds.set(JAVA_INT, 0, s == null ? -1 : s.fd);
        pollfds.set(JAVA_SHORT, 4, POLLIN);
        pollfds.set(JAVA_INT, 8, resolution == null ? -1 : resolution.fd());
        pollfds.set(JAVA_SHORT, 12, POLLIN);
    }

    /** The socket's and, with several workers, the resolution socket's. */
    @Override
    public int[] fds() {
        return resolution == null ? new int[] {fd()} : new int[] {fd(), resolution.fd()};
    }

    @Override
    public String device() {
        return device;
    }

    /** The less of the device's MTU and the largest IP packet a buffer takes after XDP's headroom. */
    @Override
    public int mtu() {
        return Math.min(mtu, MAX_FRAME - 14);
    }

    @Override
    public MacAddress mac() {
        return mac;
    }

    @Override
    public int fd() {
        return socket == null ? -1 : socket.fd;
    }

    /** The receive queue it serves. */
    public int queue() {
        return queue;
    }

    /** Whether the XDP program runs in the driver (native) or after a socket buffer is made (generic). */
    public XdpRedirect.Mode xdpMode() {
        return program.mode();
    }

    /** Whether the device reads and writes the engine's buffers itself (zero-copy) or the kernel copies. */
    public boolean zeroCopy() {
        return zeroCopy;
    }

    /** Frames on the receive ring that {@link #receive} has not taken. */
    public int framesWaiting() {
        Socket s = socket;
        return (s == null ? 0 : s.rx.available()) + (resolution == null ? 0 : resolution.waiting());
    }

    @Override
    public void receive(RxBurst rx) {
        Socket s = socket;
        if (s == null) {
            return;
        }
        complete(s);
        Ring t = s.tx;
        if (t.kernelConsumer() != t.cached) {
            kick(s); // frames the kernel left on the transmit ring (busy when last kicked)
        }
        long now = System.nanoTime();
        if (now - dropsRead > DROPS_EVERY_NANOS) { // a system call: not per burst
            dropsRead = now;
            counters.noBuffer(s.drops());
        }
        Ring r = s.rx;
        int n = Math.min(rx.room(), r.available());
        if (n > 0) {
            // one reading of the clock per burst: the ring says nothing of when a frame came
            long time = dev.srv6sh.dataplane.agent.EpochNanos.now();
            long bytes = 0;
            int cons = r.cached;
            for (int k = 0; k < n; k++) {
                long d = r.desc(cons + k);
                long addr = r.memory.get(JAVA_LONG, d);
                int len = r.memory.get(JAVA_INT, d + 8);
                int b = (int) (addr >>> 11);
                int offset = (int) (addr & (BufferPool.BUFFER_SIZE - 1));
                where[b] = NONE;
                posted--;
                rx.add(b, offset, len, time);
                bytes += len;
            }
            r.consume(n);
            counters.received(n, bytes);
        }
        refill();
        if (resolution != null && rx.room() > 0) {
            resolution.receive(rx, pool, counters);
        }
    }

    /** Posts free buffers of the pool on the fill ring, up to {@value #FILL} outstanding. */
    private void refill() {
        Socket s = socket;
        Ring f = s.fill;
        // a quarter of the pool stays free for the graph (ARP and NS it sends, ICMP errors, copies of
        // other ports), however many af_xdp ports share the pool
        int want = Math.min(Math.min(FILL - posted, f.free()), pool.free() - pool.count() / 4);
        if (want <= 0) {
            return;
        }
        int prod = f.cached;
        int k = 0;
        for (; k < want; k++) {
            int b = pool.allocate();
            if (b < 0) {
                break;
            }
            where[b] = POSTED;
            f.memory.set(JAVA_LONG, f.desc(prod + k), (long) b * BufferPool.BUFFER_SIZE);
        }
        if (k > 0) {
            f.produce(k);
            posted += k;
            if (f.needsWakeup()) {
                s.kickFill();
            }
        }
    }

    /** Frees the buffers the kernel is done sending (the completion ring), and counts what it dropped. */
    private void complete(Socket s) {
        Ring c = s.completion;
        int n = c.available();
        if (n > 0) {
            int cons = c.cached;
            for (int k = 0; k < n; k++) {
                long addr = c.memory.get(JAVA_LONG, c.desc(cons + k));
                int b = (int) (addr >>> 11);
                if (where[b] == SENDING) {
                    where[b] = NONE;
                    sending--;
                    pool.release(b);
                }
            }
            c.consume(n);
        }
    }

    @Override
    public int transmit(TxBurst tx) {
        int n = tx.count();
        Socket s = socket;
        if (s == null) {
            counters.txError(n);
            return n; // drained: the engine frees them
        }
        complete(s);
        Ring t = s.tx;
        int fits = Math.min(n, t.free());
        int prod = t.cached;
        long bytes = 0;
        for (int k = 0; k < fits; k++) {
            long d = t.desc(prod + k);
            int len = tx.length(k);
            t.memory.set(JAVA_LONG, d, tx.offset(k));
            t.memory.set(JAVA_INT, d + 8, len);
            t.memory.set(JAVA_INT, d + 12, 0);
            where[tx.buffer(k)] = SENDING;
            bytes += len;
        }
        if (fits > 0) {
            t.produce(fits);
            sending += fits;
            counters.transmitted(fits, bytes);
            kick(s);
        }
        for (int k = fits; k < n; k++) { // the ring is full: the device is slower than the engine
            counters.txError();
            pool.release(tx.buffer(k));
        }
        return 0;
    }

    /**
     * Tells the kernel there is something to send, if it asked to be told: once, and again while it
     * takes frames and some are left (copy mode sends 32 per call, or {@link #txBudget}).
     */
    private void kick(Socket s) {
        Ring t = s.tx;
        for (int i = 0; i < KICKS && t.needsWakeup(); i++) {
            int before = t.kernelConsumer();
            s.kickTx();
            int after = t.kernelConsumer();
            if (after == t.cached || after == before) {
                return; // all taken, or the kernel took none (busy): the next burst kicks again
            }
        }
    }

    /** Buffers on the fill ring: the device's to write into. */
    @Override
    public int buffersHeld() {
        return posted;
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    /**
     * Frames the kernel dropped since it was last asked (receive ring full, fill ring empty, a frame
     * larger than a buffer), counted as rx no-buffer; called between polls (the owner's call, or
     * {@link #awaitReadable}) and when the port drains or closes.
     */
    public void countKernelDrops() {
        Socket s = socket;
        if (s != null) {
            counters.noBuffer(s.drops());
        }
    }

    /**
     * Drops what waits on the receive ring (counted as rx no-buffer), and closes the socket so that
     * every buffer the kernel had (posted, or being sent) comes back: an AF_XDP socket cannot be asked
     * for its fill ring back. The queue's frames go to the kernel's stack meanwhile; {@link #resume}
     * opens a new socket.
     */
    @Override
    public void drain() {
        Socket s = socket;
        if (s == null) {
            return;
        }
        counters.noBuffer(s.rx.available());
        countKernelDrops();
        socket = null;
        giveBack(s);
        watch();
        if (resolution != null) {
            resolution.drain(counters);
        }
    }

    /** Opens the socket again after {@link #drain}: the interface is back in the configuration. */
    @Override
    public void resume() throws PortException {
        if (socket != null || closed) {
            return;
        }
        try {
            if (XdpRedirect.namespace().equals(namespace)) {
                bind();
            } else {
                inNamespace();
            }
        } catch (ErrnoException e) {
            throw PortException.driver(DRIVER, device, e.getMessage(), e);
        }
    }

    /**
     * Binds from a thread of its own in the port's network namespace: a socket is made in its maker's,
     * and the configuration that brings the interface back may be applied from another thread (a
     * test's) than the one that opened the port.
     */
    private void inNamespace() throws ErrnoException {
        ErrnoException[] failed = new ErrnoException[1];
        Thread t = Thread.ofPlatform().name("af_xdp-" + device).start(() -> {
            try (Arena a = Arena.ofConfined()) {
                Libc libc = new Libc(a);
                int ns = libc.open("/proc/self/fd/" + namespaceFd, 0x80000 /* O_RDONLY | O_CLOEXEC */);
                boolean entered = ns >= 0 && libc.setns(ns, 0x40000000 /* CLONE_NEWNET */) == 0;
                Errno why = entered ? null : libc.error();
                if (ns >= 0) {
                    libc.close(ns);
                }
                if (!entered) {
                    failed[0] = new ErrnoException("cannot enter the device's network namespace", why, null);
                    return;
                }
                bind();
            } catch (ErrnoException e) {
                failed[0] = e;
            } catch (RuntimeException e) {
                failed[0] =
                        new ErrnoException("binding again failed: " + e, new Errno(Errno.EINVAL), "please report it");
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErrnoException("interrupted while binding", new Errno(Errno.EINTR), null);
        }
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    /** Closes {@code s} and gives every buffer back: the kernel touches none of them once it is closed. */
    private void giveBack(Socket s) {
        s.close();
        for (int b = 0; b < where.length; b++) {
            if (where[b] != NONE) {
                where[b] = NONE;
                pool.release(b);
            }
        }
        posted = 0;
        sending = 0;
    }

    @Override
    public boolean awaitReadable(long timeoutNanos) {
        Socket s = socket;
        if (s == null) {
            return false;
        }
        if (framesWaiting() > 0) {
            return true;
        }
        int millis = (int) Math.min(Integer.MAX_VALUE, (Math.max(0, timeoutNanos) + 999_999) / 1_000_000);
        libc.poll(pollfds.address(), resolution == null ? 1 : 2, millis);
        countKernelDrops();
        return framesWaiting() > 0;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Socket s = socket;
        socket = null;
        if (s != null) {
            giveBack(s);
        }
        if (resolution != null) {
            resolution.close();
        }
        program.release();
        closeFd(namespaceFd);
        arena.close();
    }

    private static void closeFd(int fd) {
        try (Arena a = Arena.ofConfined()) {
            new Libc(a).close(fd);
        }
    }

    @Override
    public String toString() {
        return DRIVER + ":" + device + " queue " + queue + " (XDP "
                + program.mode().text() + ", " + (zeroCopy ? "zero-copy" : "copy") + ")";
    }

    /** What it runs on, for a router's log: {@code native XDP, copy mode} and, in generic mode, why. */
    @Override
    public String describe() {
        return DRIVER + " on " + device + " queue " + queue + ": "
                + program.mode().text() + " XDP, "
                + (zeroCopy ? "zero-copy" : "copy mode, " + txBudget + " frames a kick")
                + (program.why() == null ? "" : " (" + program.why() + ")");
    }

    // ---- the rings --------------------------------------------------------------------------------

    /**
     * One of the four rings: a producer and a consumer index (free-running u32s) and an array of
     * {@value #RING} entries, in memory mapped from the socket. This side keeps its own index ({@link
     * #cached}) and publishes it with release; it reads the kernel's with acquire.
     */
    static final class Ring {
        final MemorySegment memory;
        private final long producer;
        private final long consumer;
        private final long flags;
        private final long descs;
        private final int entry;
        /** This side's index: the producer's for fill and transmit, the consumer's for receive and completion. */
        int cached;

        Ring(MemorySegment memory, long producer, long consumer, long flags, long descs, boolean produces, int entry) {
            this.memory = memory;
            this.producer = producer;
            this.consumer = consumer;
            this.flags = flags;
            this.descs = descs;
            this.entry = entry;
            this.cached = (int) INT.getAcquire(memory, produces ? producer : consumer);
        }

        /** Entries the kernel has produced that this side has not consumed. */
        int available() {
            return (int) INT.getAcquire(memory, producer) - cached;
        }

        /** Entries this side may produce: the ring less what the kernel has not consumed yet. */
        int free() {
            return RING - (cached - (int) INT.getAcquire(memory, consumer));
        }

        int kernelConsumer() {
            return (int) INT.getAcquire(memory, consumer);
        }

        /** Where entry {@code index} is: a descriptor (receive, transmit) or an address (fill, completion). */
        long desc(int index) {
            return descs + (long) (index & (RING - 1)) * entry;
        }

        void consume(int n) {
            cached += n;
            INT.setRelease(memory, consumer, cached);
        }

        void produce(int n) {
            cached += n;
            INT.setRelease(memory, producer, cached);
        }

        boolean needsWakeup() {
            return ((int) INT.getAcquire(memory, flags) & XDP_RING_NEED_WAKEUP) != 0;
        }
    }

    /** How long bind waits for a queue a closed socket still holds (the kernel lets go of it deferred). */
    static final long BIND_WAIT_NANOS = 2_000_000_000L;

    /** The socket, its UMEM registration and its four mapped rings. */
    private static final class Socket {
        final Arena arena = Arena.ofShared();
        final Libc libc = new Libc(arena);
        final int fd;
        Ring rx;
        Ring tx;
        Ring fill;
        Ring completion;
        private final long[] maps = new long[8];
        private final MemorySegment stats = arena.allocate(48, 8);
        private final MemorySegment statsLength = arena.allocate(4, 4);
        private long dropped;
        /** Frames a kick sends at most in copy mode. */
        int txBudget = 32;

        private Socket(int fd) {
            this.fd = fd;
        }

        @SuppressWarnings("restricted") // the rings, mapped by mmap: their size is the kernel's
        static Socket open(String device, int ifindex, int queue, MemorySegment umem) throws ErrnoException {
            Arena a0 = Arena.ofConfined();
            Libc l0 = new Libc(a0);
            int fd = l0.socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                Errno e = l0.error();
                a0.close();
                throw new ErrnoException(
                        "cannot open an AF_XDP socket",
                        e,
                        e.code() == 97
                                ? "the kernel has no AF_XDP (CONFIG_XDP_SOCKETS)"
                                : e.code() == Errno.EPERM || e.code() == Errno.EACCES ? "needs CAP_NET_RAW" : null);
            }
            a0.close();
            Socket s = new Socket(fd);
            boolean done = false;
            try {
                s.setUp(ifindex, queue, umem);
                done = true;
                return s;
            } finally {
                if (!done) {
                    s.close();
                }
            }
        }

        @SuppressWarnings("restricted")
        private void setUp(int ifindex, int queue, MemorySegment umem) throws ErrnoException {
            MemorySegment scratch = arena.allocate(128, 8);
            // struct xdp_umem_reg (v1: addr, len, chunk_size, headroom): the pool, 2 KiB chunks
            scratch.fill((byte) 0);
            scratch.set(JAVA_LONG, 0, umem.address());
            scratch.set(JAVA_LONG, 8, umem.byteSize());
            scratch.set(JAVA_INT, 16, BufferPool.BUFFER_SIZE);
            scratch.set(JAVA_INT, 20, 0);
            if (libc.setsockopt(fd, SOL_XDP, XDP_UMEM_REG, scratch, 24) < 0) {
                Errno e = libc.error();
                throw new ErrnoException(
                        "cannot register the engine's buffers as its UMEM (XDP_UMEM_REG)",
                        e,
                        e.code() == 12 || e.code() == Errno.EPERM
                                ? "locked memory: needs CAP_IPC_LOCK or a larger RLIMIT_MEMLOCK"
                                : null);
            }
            ringSize(XDP_UMEM_FILL_RING, "fill", scratch);
            ringSize(XDP_UMEM_COMPLETION_RING, "completion", scratch);
            ringSize(XDP_RX_RING, "receive", scratch);
            ringSize(XDP_TX_RING, "transmit", scratch);
            libc.setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, 8 << 20, scratch); // best effort: copy mode's skbs
            // a burst in one kick, where the kernel lets it (the kick loop covers older ones): in
            // copy mode a send call takes 32 frames otherwise, and the calls were 6% of a router's time
            if (libc.setsockopt(fd, SOL_XDP, XDP_MAX_TX_SKB_BUDGET, RxBurst.MAX, scratch) == 0) {
                txBudget = RxBurst.MAX;
            }
            MemorySegment length = arena.allocate(4, 4);
            length.set(JAVA_INT, 0, 128);
            if (libc.getsockoptOpening(fd, SOL_XDP, XDP_MMAP_OFFSETS, scratch, length) < 0) {
                throw new ErrnoException("cannot read its rings' layout (XDP_MMAP_OFFSETS)", libc.error(), null);
            }
            if (length.get(JAVA_INT, 0) < 128) {
                throw new ErrnoException(
                        "its rings' layout has no flags (XDP_MMAP_OFFSETS)",
                        new Errno(95),
                        "af_xdp needs Linux 5.9 or later");
            }
            // struct xdp_mmap_offsets: rx, tx, fr, cr, each {producer, consumer, desc, flags}
            long[] off = new long[16];
            for (int i = 0; i < 16; i++) {
                off[i] = scratch.get(JAVA_LONG, 8L * i);
            }
            rx = map(off, 0, XDP_PGOFF_RX_RING, 16, false, "receive");
            tx = map(off, 4, XDP_PGOFF_TX_RING, 16, true, "transmit");
            fill = map(off, 8, XDP_UMEM_PGOFF_FILL_RING, 8, true, "fill");
            completion = map(off, 12, XDP_UMEM_PGOFF_COMPLETION_RING, 8, false, "completion");
            // struct sockaddr_xdp: family, flags, ifindex, queue_id, shared_umem_fd
            MemorySegment sxdp = arena.allocate(16, 4);
            sxdp.set(JAVA_SHORT, 0, (short) AF_XDP);
            sxdp.set(JAVA_SHORT, 2, (short) (XDP_COPY | XDP_USE_NEED_WAKEUP));
            sxdp.set(JAVA_INT, 4, ifindex);
            sxdp.set(JAVA_INT, 8, queue);
            // a socket closed on this queue (this port's own, drained) lets go of it in the kernel's
            // deferred work, a little after close returns: until then bind says EBUSY
            long deadline = System.nanoTime() + BIND_WAIT_NANOS;
            int bound;
            while ((bound = libc.bind(fd, sxdp, 16)) < 0
                    && libc.errno() == Errno.EBUSY
                    && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (bound < 0) {
                Errno e = libc.error();
                throw new ErrnoException(
                        "cannot bind to queue " + queue,
                        e,
                        e.code() == Errno.EINVAL
                                ? "the device has no receive queue " + queue + ", or it is down"
                                : e.code() == Errno.EBUSY ? "another AF_XDP socket serves that queue" : null);
            }
            drops(); // what the kernel counted before is none of the engine's
        }

        private void ringSize(int which, String name, MemorySegment scratch) throws ErrnoException {
            if (libc.setsockopt(fd, SOL_XDP, which, RING, scratch) < 0) {
                throw new ErrnoException("cannot size its " + name + " ring", libc.error(), null);
            }
        }

        @SuppressWarnings("restricted")
        private Ring map(long[] off, int at, long pgoff, int entry, boolean produces, String name)
                throws ErrnoException {
            long size = off[at + 2] + (long) RING * entry;
            long addr = libc.mmap(size, PROT_READ_WRITE, MAP_SHARED | MAP_POPULATE, fd, pgoff);
            if (addr == -1) {
                throw new ErrnoException("cannot map its " + name + " ring (mmap)", libc.error(), null);
            }
            int slot = at / 2;
            maps[slot] = addr;
            maps[slot + 1] = size;
            MemorySegment m = MemorySegment.ofAddress(addr).reinterpret(size);
            return new Ring(m, off[at], off[at + 1], off[at + 3], off[at + 2], produces, entry);
        }

        /** Whether the kernel bound it zero-copy ({@code XDP_OPTIONS}). */
        boolean zeroCopy() {
            MemorySegment v = arena.allocate(4, 4);
            MemorySegment len = arena.allocate(4, 4);
            len.set(JAVA_INT, 0, 4);
            return libc.getsockopt(fd, SOL_XDP, XDP_OPTIONS, v, len) == 0
                    && (v.get(JAVA_INT, 0) & XDP_OPTIONS_ZEROCOPY) != 0;
        }

        void kickTx() {
            libc.sendto(fd, 0L, 0L, MSG_DONTWAIT, 0L, 0);
        }

        void kickFill() {
            libc.recv(fd, 0L, 0L, MSG_DONTWAIT);
        }

        /**
         * Frames the kernel dropped since the last call: {@code struct xdp_statistics}' rx_dropped and
         * rx_ring_full (cumulative in the kernel; the difference here).
         */
        long drops() {
            statsLength.set(JAVA_INT, 0, 48);
            if (libc.getsockopt(fd, SOL_XDP, XDP_STATISTICS, stats, statsLength) != 0) {
                return 0;
            }
            // rx_dropped (a frame too large, no buffer on the fill ring) and rx_ring_full; not
            // rx_fill_ring_empty_descs, which counts again a frame rx_dropped counts for an empty fill ring
            long total = stats.get(JAVA_LONG, 0);
            if (statsLength.get(JAVA_INT, 0) >= 32) {
                total += stats.get(JAVA_LONG, 24);
            }
            long d = total - dropped;
            dropped = total;
            return d;
        }

        void close() {
            libc.close(fd);
            for (int i = 0; i < maps.length; i += 2) {
                if (maps[i] != 0) {
                    libc.munmap(maps[i], maps[i + 1]);
                }
            }
            arena.close();
        }
    }
}
