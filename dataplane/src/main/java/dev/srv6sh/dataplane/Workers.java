package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A router's data plane on several cores, as VPP runs one worker per core: each worker is a whole
 * {@link Engine} (its own buffers, graph and counters) on its own thread, and received frames are
 * spread over them by a hash of the flow (addresses, protocol, ports), so the packets of one flow
 * always meet the same worker and stay in order. {@link Engine} alone is the deterministic invoker
 * mode that tests use.
 *
 * <p>Each worker has its own neighbor table, and solicits for itself. So that every table learns what
 * the link says, ARP and NS/NA frames go to every worker (copied into each one's ring, as every
 * frame is): the worker their hash picks answers them, the others only learn ({@link
 * Buffers#LEARN_ONLY}), so the link sees one answer. Each worker counts its copy as received, then
 * used (a learn-only copy that fails a check is consumed: the answering worker counts the drop), so
 * summed port and node counters count such a frame once per worker, errors once. An interface steered
 * at layer 2 carries the customer's ARP and ND as any frame, to one worker. The router daemon's
 * workers on real devices do the same with the kernel's help ({@code port.linux.Fanout}).
 *
 * <p>Frames enter through {@link #inject}, from one producer thread per interface (a NIC's receive
 * queue); each worker drains a lock-free single-producer ring per interface, without allocating.
 * Transmitted frames reach the sink on the worker's thread: a sink must be thread-safe.
 */
public final class Workers implements AutoCloseable {
    /** Frames a ring holds before {@link #inject} reports it full (a drop the caller counts). */
    static final int RING = 1024;

    private final String name;
    private final Engine[] engines;
    private final Thread[] threads;
    /**
     * What producers and workers read, published whole by {@link #apply}: the interfaces, which of them
     * are steered at layer 2, and per worker and interface its ring and port ([worker][interface]).
     */
    private record Layout(List<String> ifaces, boolean[] l2, Ring[][] rings, MemoryPort[][] ports) {}

    private volatile Layout layout = new Layout(List.of(), new boolean[0], new Ring[0][0], new MemoryPort[0][0]);
    private boolean started;
    private volatile Throwable failure;
    private volatile boolean running = true;
    private volatile MemoryPort.FrameSink sink;

    public Workers(String name, int count) {
        this(name, count, Clock.SYSTEM);
    }

    /** Workers whose engines read {@code clock} (a test's fake time: no timer fires unless it moves). */
    Workers(String name, int count, Clock clock) {
        if (count < 1 || count > 64) {
            throw new IllegalArgumentException("workers: 1 to 64, not " + count);
        }
        this.name = name;
        engines = new Engine[count];
        threads = new Thread[count];
        for (int w = 0; w < count; w++) {
            engines[w] = new Engine(name + "/" + w, clock, MemoryPort.FACTORY);
        }
    }

    /** The number of workers. */
    public int count() {
        return engines.length;
    }

    /**
     * Installs a configuration on every worker (validated once, whole; on {@link ConfigException}
     * nothing changes) and starts the workers on the first call. Frames of interfaces the new
     * configuration drops are discarded.
     */
    public synchronized void apply(DataplaneConfig config) throws ConfigException {
        Fib fib = FibBuilder.build(config); // validate before touching any worker
        if (started) {
            pause();
        }
        try {
            for (Engine e : engines) {
                e.apply(config);
            }
            Layout old = layout;
            List<String> names = config.interfaces().stream()
                    .map(DataplaneConfig.Interface::name)
                    .toList();
            boolean[] l2 = new boolean[names.size()];
            for (int i = 0; i < l2.length; i++) {
                l2[i] = fib.ifL2Policy[fib.ifIndex(names.get(i))] >= 0;
            }
            Ring[][] rings = new Ring[engines.length][names.size()];
            MemoryPort[][] ports = new MemoryPort[engines.length][names.size()];
            for (int w = 0; w < engines.length; w++) {
                for (int i = 0; i < names.size(); i++) {
                    int before = old.ifaces().indexOf(names.get(i));
                    rings[w][i] = before >= 0 ? old.rings()[w][before] : new Ring();
                    ports[w][i] = engines[w].port(names.get(i), MemoryPort.class);
                    ports[w][i].onTransmit((iface, s, o, l) -> {
                        MemoryPort.FrameSink k = sink;
                        if (k != null) {
                            k.transmit(iface, s, o, l);
                        }
                    });
                }
            }
            layout = new Layout(names, l2, rings, ports);
        } finally {
            if (started) {
                resume();
            } else {
                start();
                started = true;
            }
        }
    }

    /** Where transmitted frames go, from any worker's thread. */
    public void onTransmit(MemoryPort.FrameSink sink) {
        this.sink = sink;
    }

    /**
     * Hands a received frame to the worker its flow hashes to, and an ARP or NS/NA frame to every
     * worker (that one to answer it, the others to learn from it); returns false when a ring it goes
     * to is full (the frame is not taken, by any worker). One thread per interface may call this.
     */
    public boolean inject(String iface, byte[] frame, int off, int len) {
        Layout l = layout;
        int i = l.ifaces().indexOf(iface);
        if (i < 0) {
            throw new IllegalArgumentException("router " + name + " has no interface '" + iface + "'");
        }
        int w = engines.length == 1 ? 0 : Math.floorMod(flowHash(frame, off, len), engines.length);
        Ring[][] rings = l.rings();
        if (engines.length == 1 || l.l2()[i] || !resolution(frame, off, len)) {
            return rings[w][i].offer(frame, off, len, 0);
        }
        // all or nothing: this thread is the one producer of interface i's rings, so room seen stays
        for (Ring[] r : rings) {
            if (!r[i].hasRoom(len)) {
                return false;
            }
        }
        for (int v = 0; v < rings.length; v++) {
            rings[v][i].offer(frame, off, len, v == w ? 0 : Buffers.LEARN_ONLY);
        }
        return true;
    }

    /**
     * Whether an Ethernet frame is ARP, or an NS or NA (ICMPv6 types 135 and 136 right behind the IPv6
     * header, which ip6-input hands to ip6-nd): what a neighbor table learns from.
     */
    static boolean resolution(byte[] f, int off, int len) {
        if (len < 14) {
            return false;
        }
        int type = ((f[off + 12] & 0xff) << 8) | (f[off + 13] & 0xff);
        if (type == 0x0806) {
            return true;
        }
        int ip = off + 14;
        if (type != 0x86dd || len < 14 + 40 + 1 || (f[ip + 6] & 0xff) != 58) {
            return false;
        }
        int icmpType = f[ip + 40] & 0xff;
        return icmpType == 135 || icmpType == 136;
    }

    /** What went wrong on a worker's thread (a bug: the worker logs it here and goes on), or null. */
    public Throwable failure() {
        return failure;
    }

    /** The worker a frame's flow goes to (for tests and for pinning a flow). */
    public int workerOf(byte[] frame) {
        return Math.floorMod(flowHash(frame, 0, frame.length), engines.length);
    }

    /**
     * Waits until every ring is empty and every worker idle: no frame in its ports or its graph (held
     * packets wait for their neighbor, and do not count).
     */
    public void drain() throws InterruptedException {
        while (true) {
            boolean idle = true;
            Layout l = layout;
            for (int w = 0; w < engines.length; w++) {
                for (Ring r : l.rings()[w]) {
                    idle &= r.isEmpty();
                }
                // a ring's frames are in the worker's port before the ring reads empty: count them too
                idle &= engines[w].idle();
            }
            if (idle) {
                return;
            }
            Thread.sleep(1);
        }
    }

    /** The sum of every worker's counters. */
    public Counters counters() {
        List<Counters> all = new ArrayList<>();
        for (Engine e : engines) {
            all.add(e.counters());
        }
        return Counters.sum(all);
    }

    /** One worker's counters (how evenly the flows spread). */
    public Counters counters(int worker) {
        return engines[worker].counters();
    }

    /** One worker's neighbor table, read from another thread: exact once the workers are idle ({@link #drain}). */
    List<NeighborEntry> neighbors(int worker) {
        return engines[worker].neighbors();
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            if (t != null) {
                LockSupport.unpark(t);
                try {
                    t.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (Engine e : engines) {
            e.close();
        }
    }

    // ---- the workers' loop ----------------------------------------------------------------------

    private volatile int pauseRequested;
    private final java.util.concurrent.atomic.AtomicInteger paused = new java.util.concurrent.atomic.AtomicInteger();

    private void start() {
        for (int w = 0; w < engines.length; w++) {
            int id = w;
            threads[w] =
                    Thread.ofPlatform().name(name + "-worker-" + w).daemon().start(() -> loop(id));
        }
    }

    private void pause() {
        pauseRequested = 1;
        // real time on purpose: a watchdog on OS threads answering, not the data plane's time (Clock)
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (paused.get() < engines.length) {
            if (System.nanoTime() > deadline) {
                pauseRequested = 0;
                throw new IllegalStateException("router " + name + ": a worker did not pause within 5 s");
            }
            Thread.onSpinWait();
        }
    }

    private void resume() {
        pauseRequested = 0;
        while (paused.get() > 0) {
            Thread.onSpinWait();
        }
    }

    private void loop(int w) {
        Engine e = engines[w];
        int idle = 0;
        while (running) {
            if (pauseRequested != 0) {
                paused.incrementAndGet();
                while (pauseRequested != 0 && running) {
                    Thread.onSpinWait();
                }
                paused.decrementAndGet();
                continue;
            }
            Layout l = layout;
            Ring[] mine = l.rings()[w];
            MemoryPort[] ports = l.ports()[w];
            int moved = 0;
            int done = 0;
            try {
                for (int i = 0; i < mine.length; i++) {
                    moved += mine[i].drainInto(ports[i], Engine.VECTOR);
                }
                done = e.poll();
            } catch (RuntimeException | Error bug) {
                failure = bug; // recorded for the caller; the worker keeps serving its rings
            }
            if (moved + done == 0) {
                // spin a little, then back off: a busy worker never sleeps, an idle one costs nothing
                if (++idle > 1000) {
                    LockSupport.parkNanos(50_000);
                }
            } else {
                idle = 0;
            }
        }
    }

    // ---- flow hash over the raw frame --------------------------------------------------------

    /**
     * Addresses, protocol and ports of the IPv4 or IPv6 packet in an Ethernet frame (for SRv6, the
     * outer header's, whose flow label carries the inner flow's hash per RFC 6437); 0 otherwise.
     */
    static int flowHash(byte[] f, int off, int len) {
        if (len < 14) {
            return 0;
        }
        int type = ((f[off + 12] & 0xff) << 8) | (f[off + 13] & 0xff);
        int ip = off + 14;
        long h;
        if (type == 0x0800 && len >= 14 + 20) {
            int ihl = (f[ip] & 0x0f) * 4;
            int proto = f[ip + 9] & 0xff;
            h = (int32(f, ip + 12) & 0xffff_ffffL) << 32 | (int32(f, ip + 16) & 0xffff_ffffL);
            h = h * 0x9E3779B97F4A7C15L + proto;
            if ((proto == 6 || proto == 17) && ihl >= 20 && 14 + ihl + 4 <= len) {
                h ^= (int32(f, ip + ihl) & 0xffff_ffffL) * 0xC2B2AE3D27D4EB4FL;
            }
        } else if (type == 0x86dd && len >= 14 + 40) {
            h = (int32(f, ip) & 0x000f_ffffL) * 0x165667B19E3779F9L; // flow label
            for (int k = 8; k < 40; k += 8) {
                h = (h ^ long64(f, ip + k)) * 0x9E3779B97F4A7C15L;
            }
            int nh = f[ip + 6] & 0xff;
            if ((nh == 6 || nh == 17) && 14 + 44 <= len) {
                h ^= (int32(f, ip + 40) & 0xffff_ffffL) * 0xC2B2AE3D27D4EB4FL;
            }
        } else {
            return 0;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h & 0x7fff_ffff;
    }

    private static int int32(byte[] f, int at) {
        return (f[at] & 0xff) << 24 | (f[at + 1] & 0xff) << 16 | (f[at + 2] & 0xff) << 8 | (f[at + 3] & 0xff);
    }

    private static long long64(byte[] f, int at) {
        return (int32(f, at) & 0xffff_ffffL) << 32 | (int32(f, at + 4) & 0xffff_ffffL);
    }

    // ---- the single-producer, single-consumer ring ----------------------------------------------

    /** Frames copied into preallocated slots; head and tail published with release/acquire. */
    static final class Ring {
        private static final VarHandle TAIL;
        private static final VarHandle HEAD;

        static {
            try {
                TAIL = MethodHandles.lookup().findVarHandle(Ring.class, "tail", long.class);
                HEAD = MethodHandles.lookup().findVarHandle(Ring.class, "head", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final byte[][] slots = new byte[RING][Buffers.SIZE - Buffers.HEADROOM];
        private final int[] lengths = new int[RING];
        /** The buffer flags each frame starts with ({@link Buffers#LEARN_ONLY} for a copy). */
        private final int[] flags = new int[RING];

        private long head; // next to take (consumer)
        private long tail; // next to fill (producer)

        /** Whether {@link #offer} would take a frame of {@code len} bytes now (producer only). */
        boolean hasRoom(int len) {
            return tail - (long) HEAD.getAcquire(this) < RING && len <= slots[0].length && len >= 0;
        }

        boolean offer(byte[] frame, int off, int len, int bufferFlags) {
            if (!hasRoom(len)) {
                return false;
            }
            long t = tail;
            int i = (int) (t & (RING - 1));
            System.arraycopy(frame, off, slots[i], 0, len);
            lengths[i] = len;
            flags[i] = bufferFlags;
            TAIL.setRelease(this, t + 1);
            return true;
        }

        int drainInto(MemoryPort port, int max) {
            long h = head;
            long t = (long) TAIL.getAcquire(this);
            int n = (int) Math.min(max, t - h);
            for (int k = 0; k < n; k++) {
                int i = (int) ((h + k) & (RING - 1));
                port.inject(slots[i], 0, lengths[i], 0, flags[i]);
            }
            if (n > 0) {
                HEAD.setRelease(this, h + n);
            }
            return n;
        }

        boolean isEmpty() {
            return (long) HEAD.getAcquire(this) == (long) TAIL.getAcquire(this);
        }
    }
}
