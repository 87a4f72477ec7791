package dev.srv6sh.cloud.netns;

import dev.srv6sh.dataplane.port.BufferPool;
import dev.srv6sh.dataplane.port.PortException;
import dev.srv6sh.dataplane.port.RxBurst;
import dev.srv6sh.dataplane.port.TxBurst;
import dev.srv6sh.dataplane.port.linux.AfPacketPort;
import dev.srv6sh.dataplane.port.linux.ErrnoException;
import dev.srv6sh.dataplane.port.linux.LinuxPort;
import dev.srv6sh.dataplane.port.linux.PortWaiter;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code srv6sh links}: the netns backend's links between regions, in user space because the kernel
 * here has no netem (docs/netns.md, "Links between regions"). Each VPC's uplink is cut in two, and
 * this daemon sits in between on AF_PACKET ports: a frame from the VPC's gateway ({@code inner}) for
 * another VPC ({@link LinkTable#destination}) leaves by {@code outer}, unchanged, after half the two
 * regions' RTT and the link's jitter ({@link LinkTable#arrival}), counted from when its flow's shaper
 * lets it go ({@link LinkTable#depart}: AWS's per-flow limit, as local; a frame its flow's full queue
 * drops is released and counted, and the count logged); frames towards the gateway, and
 * frames for no VPC (ARP, neighbor discovery, the uplinks' own addresses), pass at once. Layer 2 stays
 * transparent, so no address of the topology changes, and a round trip between two VPCs is delayed
 * once each way: the RTT of the local backend's table.
 *
 * <p>One thread moves every wire's frames: it receives from all the ports, holds delayed frames in a
 * {@link DelayQueue} in the daemon's own buffers, and sleeps in poll(2) until a frame comes or the
 * next one is due. Nothing allocates per frame.
 *
 * <p>Timing: a frame's delay counts from when the kernel received it (its AF_PACKET timestamp), not
 * from when this thread got to it, so the thread's own wake-up is not added to the link. poll counts
 * in milliseconds, so within {@value #POLL_MARGIN} ns of a due time it parks instead, and in the
 * last {@value #SPIN_NANOS} ns it spins, because a park overshoots by tens of microseconds. Measured
 * before these two: frames left 90 to 180 µs late, so a round trip between two regions came out
 * about 0.25 ms long.
 */
public final class LinkDaemon implements AutoCloseable {
    /** 32 MiB: 100k frames a second each way held 80 ms would fill it (a ping is one frame). */
    private static final int BUFFERS = 16 * 1024;

    private static final long IDLE_NANOS = 200_000_000L;
    private static final long POLL_MARGIN = 1_500_000L;
    private static final long PARK_NANOS = 20_000L;
    private static final long SPIN_NANOS = 80_000L;
    /** A kernel timestamp further from now than this is not believed (a clock step): now is used. */
    private static final long STAMP_SLACK = 20_000_000L;
    /** How often the shaper's drops are logged, when there are new ones. */
    private static final long REPORT_NANOS = 10_000_000_000L;

    private final LinksConfig config;
    private final LinkTable table;
    private final Pool pool = new Pool(BUFFERS);
    private final DelayQueue queue = new DelayQueue(BUFFERS);
    private final List<AfPacketPort> ports = new ArrayList<>();
    private final TxBurst[] tx;
    private final RxBurst rx;
    private final PortWaiter waiter;
    private final PrintStream log;
    private volatile boolean stopping;

    private LinkDaemon(LinksConfig config, PrintStream log) throws ErrnoException {
        this.config = config;
        this.table = new LinkTable(config);
        this.log = log;
        this.rx = new RxBurst(pool.offsets, pool.lengths, pool.times);
        this.tx = new TxBurst[2 * config.wires().size()];
        for (int i = 0; i < tx.length; i++) {
            tx[i] = new TxBurst(pool.offsets, pool.lengths);
        }
        this.waiter = new PortWaiter();
    }

    /** Opens every wire's two ports (in this process's namespace); on an error closes what it opened. */
    public static LinkDaemon open(LinksConfig config, PrintStream log) throws PortException, ErrnoException {
        LinkDaemon d = new LinkDaemon(config, log);
        try {
            for (LinksConfig.Wire w : config.wires()) {
                d.ports.add(AfPacketPort.open(w.inner(), d.pool));
                d.ports.add(AfPacketPort.open(w.outer(), d.pool));
                d.log("wire " + w.vpc() + ": " + w.inner() + " -> " + w.outer() + " delayed, back at once");
            }
            d.log(
                    config.flow().rateBps() == 0
                            ? "flows between regions are not shaped"
                            : "each flow between regions shaped to "
                                    + config.flow().rateBps() + " bit/s, burst "
                                    + config.flow().burstBytes() + " bytes, queue "
                                    + config.flow().bufferBytes() + " bytes");
        } catch (PortException | RuntimeException e) {
            d.close();
            throw e;
        }
        d.waiter.watch(List.copyOf(d.ports.stream().map(p -> (LinuxPort) p).toList()));
        return d;
    }

    /** One line of the daemon's log. */
    public void log(String line) {
        log.println("srv6sh links: " + line);
        log.flush();
    }

    /** Moves frames until {@link #stop}, at a data plane thread's priority where it may. */
    public void run() {
        log("moving frames at " + dev.srv6sh.dataplane.port.linux.ThreadNice.raise());
        MemorySegment memory = pool.memory();
        long epochOffset = epochOffset();
        long offsetAt = System.nanoTime();
        long reportedAt = offsetAt;
        long reported = 0;
        while (!stopping) {
            long now = System.nanoTime();
            if (now - offsetAt > 1_000_000_000L) { // follows the wall clock's adjustments, once a second
                epochOffset = epochOffset();
                offsetAt = now;
            }
            if (now - reportedAt > REPORT_NANOS) {
                reportedAt = now;
                long events = table.shapedDrops() + table.flowsEvicted();
                if (events != reported) {
                    reported = events;
                    logShaped();
                }
            }
            while (!queue.isEmpty() && queue.firstDue() <= now) {
                send(queue.firstPort(), queue.firstBuffer());
                queue.removeFirst();
            }
            boolean received = false;
            for (int p = 0; p < ports.size(); p++) {
                rx.reset(RxBurst.MAX);
                ports.get(p).receive(rx);
                received |= rx.count() > 0;
                long got = rx.count() > 0 ? System.nanoTime() : now; // no frame is stamped after this
                int wire = p >> 1;
                for (int k = 0; k < rx.count(); k++) {
                    int b = rx.buffer(k);
                    if ((p & 1) == 0) {
                        int to = table.destination(
                                memory, (long) b * BufferPool.BUFFER_SIZE + rx.offset(k), rx.length(k));
                        if (to >= 0 && table.oneWay(wire, to) > 0) {
                            long stamp = rx.time(k);
                            long at = stamp == 0 ? got : stamp - epochOffset;
                            if (at > got || got - at > STAMP_SLACK) {
                                at = got; // a clock step, or a frame left waiting too long: not early
                            }
                            long departure = table.depart(
                                    memory, (long) b * BufferPool.BUFFER_SIZE + rx.offset(k), rx.length(k), at);
                            if (departure < 0) {
                                pool.release(b); // its flow's queue is full: dropped, as on AWS
                                continue;
                            }
                            if (!queue.add(table.arrival(wire, to, departure), b, p + 1)) {
                                pool.release(b); // cannot happen: the queue holds as many as the pool
                            }
                            continue;
                        }
                    }
                    send(p ^ 1, b);
                }
            }
            for (int p = 0; p < tx.length; p++) {
                flush(p);
            }
            if (received) {
                continue;
            }
            long wait = queue.isEmpty() ? IDLE_NANOS : queue.firstDue() - System.nanoTime();
            if (wait > POLL_MARGIN) {
                waiter.await(wait - 1_000_000L); // poll rounds up to the next millisecond
            } else if (wait > SPIN_NANOS) {
                waiter.await(0);
                LockSupport.parkNanos(Math.min(wait - SPIN_NANOS, PARK_NANOS));
            } else if (wait > 0) {
                Thread.onSpinWait(); // and round again: the ports are looked at while it waits
            }
        }
        logShaped();
    }

    private void logShaped() {
        log("shaped: " + table.shapedDrops() + " frames dropped by the per-flow limit, " + table.flowsEvicted()
                + " active flows evicted from a full flow table");
    }

    /**
     * The wall clock (ns since the epoch, the kernel's frame timestamps) less {@link System#nanoTime}:
     * the best of five readings, the one whose two {@code nanoTime} calls lie closest together, so that a
     * thread preempted between them does not skew every frame's delay for the next second.
     */
    private static long epochOffset() {
        long best = 0;
        long gap = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long before = System.nanoTime();
            java.time.Instant wall = java.time.Instant.now();
            long after = System.nanoTime();
            if (after - before < gap) {
                gap = after - before;
                best = wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - (before + (after - before) / 2);
            }
        }
        return best;
    }

    private void send(int port, int buffer) {
        TxBurst t = tx[port];
        t.add(buffer);
        if (t.count() == TxBurst.MAX) {
            flush(port);
        }
    }

    private void flush(int port) {
        TxBurst t = tx[port];
        if (t.count() == 0) {
            return;
        }
        int done = ports.get(port).transmit(t);
        for (int k = 0; k < done; k++) {
            pool.release(t.buffer(k));
        }
        t.clear();
    }

    /** Ends {@link #run} soon, from any thread. */
    public void stop() {
        stopping = true;
        waiter.wake();
    }

    /** What the daemon serves, for its log. */
    public LinksConfig config() {
        return config;
    }

    @Override
    public void close() {
        for (AfPacketPort p : ports) {
            p.close();
        }
        ports.clear();
        waiter.close();
        pool.close();
    }

    /** The daemon's buffers: off-heap, page-aligned, a stack of free ones, with the metadata bursts read. */
    static final class Pool implements BufferPool {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment memory;
        private final int[] free;
        private int top;
        final int[] offsets;
        final int[] lengths;
        final long[] times;

        Pool(int count) {
            memory = arena.allocate((long) count * BUFFER_SIZE, 4096);
            free = new int[count];
            for (int i = 0; i < count; i++) {
                free[i] = count - 1 - i;
            }
            top = count;
            offsets = new int[count];
            lengths = new int[count];
            times = new long[count];
        }

        @Override
        public MemorySegment memory() {
            return memory;
        }

        @Override
        public int count() {
            return free.length;
        }

        @Override
        public int free() {
            return top;
        }

        @Override
        public int allocate() {
            if (top == 0) {
                return -1;
            }
            int b = free[--top];
            offsets[b] = HEADROOM;
            lengths[b] = 0;
            return b;
        }

        @Override
        public void release(int buffer) {
            free[top++] = buffer;
        }

        void close() {
            arena.close();
        }
    }
}
