package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.port.BufferPool;
import dev.srv6sh.dataplane.port.Port;
import dev.srv6sh.dataplane.port.PortCounters;
import dev.srv6sh.dataplane.port.PortException;
import dev.srv6sh.dataplane.port.PortFactory;
import dev.srv6sh.dataplane.port.RxBurst;
import dev.srv6sh.dataplane.port.TxBurst;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An in-memory interface, the {@link Port} of tests, the local backend and replay: frames injected
 * here are copied into the engine's buffers at once (as a NIC's DMA fills its receive ring) and
 * received on the next {@link Engine#poll}; frames the engine transmits go to the {@link FrameSink},
 * at once or, with {@link #holdTransmitted}, when the owner drains the port's transmit ring. Not
 * thread-safe: inject, poll and drain belong to the engine's thread (the local backend's event loop,
 * or a test). It has no MTU or MAC of its own: the configuration's hold.
 */
public final class MemoryPort implements Port {
    /** Receives transmitted frames; the segment slice is valid only during the call. */
    public interface FrameSink {
        void transmit(String iface, MemorySegment segment, long offset, int length);
    }

    /** An in-memory port for every interface a configuration names, its queue as deep as the pool. */
    public static final PortFactory FACTORY = (iface, pool) -> {
        if (!DataplaneConfig.Interface.MEMORY.equals(iface.driver())) {
            throw new PortException(
                    iface.device() != null ? iface.device() : iface.name(),
                    "driver " + iface.driver() + " is not available here: this router's ports are in memory"
                            + " (Linux devices need a router of its own: srv6sh router, or --backend netns)");
        }
        return new MemoryPort(iface.name(), pool);
    };

    /** The largest frame a port accepts: a buffer less its headroom; a larger one is counted, not taken. */
    public static final int MAX_FRAME = BufferPool.MAX_FRAME;

    private final String name;
    private final BufferPool pool;
    private final PortCounters counters = new PortCounters();
    /** The receive queue: buffers injected and not yet received, with their frames' lengths and times. */
    private final int[] rx;

    private final int[] rxLength;
    private final long[] rxTime;
    private int head;
    private int size;
    private FrameSink sink;
    /** With {@link #holdTransmitted}: the transmit ring, frames sent and not yet drained, in order; else null. */
    private TransmitRing tx;

    MemoryPort(String name, BufferPool pool) {
        this.name = name;
        this.pool = pool;
        int capacity = pool.count();
        this.rx = new int[capacity];
        this.rxLength = new int[capacity];
        this.rxTime = new long[capacity];
    }

    /** The interface's name, as the sink is told. */
    public String name() {
        return name;
    }

    @Override
    public String device() {
        return "memory:" + name;
    }

    @Override
    public int mtu() {
        return 0;
    }

    @Override
    public MacAddress mac() {
        return null;
    }

    public void onTransmit(FrameSink sink) {
        this.sink = sink;
    }

    /**
     * Keeps what the engine transmits on this port in a transmit ring, as a NIC's driver posts a
     * frame to its TX ring and the NIC sends it (and frees the buffer) later: the sink sees each frame
     * only at {@link #drainTransmitted}. An emulation that measures the engine's work can so copy the
     * frames out after the run it measures, as the receive side ({@link #inject}) copies them in
     * before. Off, the sink is called from interface-output and the engine frees the buffer there.
     */
    public void holdTransmitted(boolean hold) {
        if (!hold) {
            drainTransmitted();
        }
        tx = hold ? (tx != null ? tx : new TransmitRing(rx.length)) : null;
    }

    /**
     * Hands every frame held on the transmit ring to the sink, in the order transmitted, and frees
     * their buffers; returns how many. Call it between polls.
     */
    public int drainTransmitted() {
        return tx == null ? 0 : tx.drain(name, sink, pool);
    }

    public void inject(byte[] frame) {
        inject(frame, 0, frame.length);
    }

    /** Copies a frame into a fresh buffer on the receive queue; counts a drop if none is free. */
    public void inject(byte[] frame, int off, int len) {
        inject(frame, off, len, 0);
    }

    /**
     * As {@link #inject(byte[], int, int)}, stamping the frame with its receive time in nanoseconds
     * since the epoch (a pcap record's timestamp on replay), which captures of it report.
     */
    public void inject(byte[] frame, int off, int len, long timeNanos) {
        inject(frame, off, len, timeNanos, 0);
    }

    /**
     * A large send kept whole, as a device that hands them over so (af_packet) gives one: {@code len}
     * bytes in a large buffer, of kind {@code gsoType} ({@link BufferPool#GSO_TCPV4}, ...), whose
     * segments carry {@code gsoSize} bytes of the payload starting {@code payload} bytes into the
     * frame, its transport checksum field the pseudo-header's sum over its length. Counts a drop if no
     * large buffer is free.
     */
    void injectLarge(byte[] frame, int gsoType, int gsoSize, int payload) {
        int len = frame.length;
        if (len > BufferPool.MAX_LARGE_FRAME || size == rx.length) {
            counters.noBuffer();
            return;
        }
        int buf = pool.allocateLarge();
        if (buf < 0) {
            counters.noBuffer();
            return;
        }
        MemorySegment.copy(frame, 0, pool.memory(), ValueLayout.JAVA_BYTE, BufferPool.frameOffset(buf), len);
        Buffers b = (Buffers) pool;
        b.gsoType[buf] = gsoType;
        b.gsoSize[buf] = gsoSize;
        b.gsoPayload[buf] = BufferPool.HEADROOM + payload;
        queue(buf, -len, 0); // negative: a large send (receive keeps its metadata)
    }

    /** Puts {@code buf}, a frame of {@code length} bytes (negative: a large send's), on the receive queue. */
    private void queue(int buf, int length, long timeNanos) {
        int at = (head + size) % rx.length;
        rx[at] = buf;
        rxLength[at] = length;
        rxTime[at] = timeNanos;
        size++;
    }

    /**
     * As the others, with the buffer's flags set to {@code flags} ({@link Buffers#LEARN_ONLY}: a
     * worker's copy). Flags are the graph's metadata, which only an engine's own buffers have.
     */
    void inject(byte[] frame, int off, int len, long timeNanos, int flags) {
        if (len < 0 || len > MAX_FRAME || size == rx.length) {
            counters.noBuffer();
            return;
        }
        int buf = pool.allocate();
        if (buf < 0) {
            counters.noBuffer();
            return;
        }
        MemorySegment.copy(frame, off, pool.memory(), ValueLayout.JAVA_BYTE, BufferPool.frameOffset(buf), len);
        if (flags != 0) {
            ((Buffers) pool).flags[buf] = flags;
        }
        queue(buf, len, timeNanos);
    }

    @Override
    public void receive(RxBurst burst) {
        int n = Math.min(burst.room(), size);
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            int len = rxLength[head];
            if (len < 0) { // a large send (injectLarge)
                Buffers b = (Buffers) pool;
                int buf = rx[head];
                len = -len;
                burst.addLarge(
                        buf,
                        len,
                        rxTime[head],
                        b.gsoType[buf],
                        b.gsoSize[buf],
                        b.gsoPayload[buf] - BufferPool.HEADROOM);
            } else {
                burst.add(rx[head], len, rxTime[head]);
            }
            bytes += len;
            head = head + 1 == rx.length ? 0 : head + 1;
        }
        size -= n;
        counters.received(n, bytes);
    }

    /** To the sink now, and the engine frees the frames; or onto the transmit ring ({@link #holdTransmitted}). */
    @Override
    public int transmit(TxBurst burst) {
        int n = burst.count();
        if (tx != null) {
            long bytes = 0;
            for (int k = 0; k < n; k++) {
                bytes += burst.length(k);
            }
            counters.transmitted(n, bytes);
            tx.hold(burst); // a ring as large as the pool cannot fill: every buffer would be on it
            return 0;
        }
        FrameSink s = sink;
        MemorySegment memory = pool.memory();
        long bytes = 0;
        for (int k = 0; k < n; k++) {
            int length = burst.length(k);
            bytes += length;
            if (s != null) {
                s.transmit(name, memory, burst.offset(k), length);
            }
        }
        counters.transmitted(n, bytes);
        return n;
    }

    /** Frames on the receive queue. */
    @Override
    public int buffersHeld() {
        return size;
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    /**
     * Frees what is still queued (an interface gone from the configuration: counted as rx no-buffer,
     * as it never reached the engine); what was transmitted leaves.
     */
    @Override
    public void drain() {
        drainTransmitted();
        while (size > 0) {
            pool.release(rx[head]);
            head = head + 1 == rx.length ? 0 : head + 1;
            size--;
            counters.noBuffer();
        }
    }

    /** Gives every buffer back, the sink told nothing: the engine is closing. */
    @Override
    public void close() {
        if (tx != null) {
            tx.drain(name, null, pool);
        }
        while (size > 0) {
            pool.release(rx[head]);
            head = head + 1 == rx.length ? 0 : head + 1;
            size--;
        }
    }
}
