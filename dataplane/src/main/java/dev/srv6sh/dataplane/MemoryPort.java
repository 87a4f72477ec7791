package dev.srv6sh.dataplane;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An in-memory interface: frames injected here are received by the engine on the next {@link
 * Engine#poll}; frames the engine transmits go to the {@link FrameSink}, at once or, with {@link
 * #holdTransmitted}, when the owner drains the port's transmit ring. Not thread-safe: inject, poll
 * and drain belong to the engine's thread (the local backend's event loop, or a test).
 */
public final class MemoryPort {
    /** Receives transmitted frames; the segment slice is valid only during the call. */
    public interface FrameSink {
        void transmit(String iface, MemorySegment segment, long offset, int length);
    }

    /** The largest frame a port accepts: a buffer less its headroom; a larger one is counted, not taken. */
    public static final int MAX_FRAME = Buffers.SIZE - Buffers.HEADROOM;

    private final Engine engine;
    private final String name;
    private final int[] rx;
    private int head;
    private int size;
    private FrameSink sink;
    /** With {@link #holdTransmitted}: the buffers transmitted and not yet drained, in order; else null. */
    private int[] tx;

    private int txCount;
    long rxPackets;
    long rxBytes;
    long txPackets;
    long txBytes;
    long rxNoBuffer;

    MemoryPort(Engine engine, String name, int capacity) {
        this.engine = engine;
        this.name = name;
        this.rx = new int[capacity];
    }

    public String name() {
        return name;
    }

    public void onTransmit(FrameSink sink) {
        this.sink = sink;
    }

    /**
     * Keeps what the engine transmits on this port in a transmit ring, as a NIC's driver posts a
     * frame to its TX ring and the NIC sends it (and frees the buffer) later: the sink sees each frame
     * only at {@link #drainTransmitted}. An emulation that measures the engine's work can so copy the
     * frames out after the run it measures, as the receive side ({@link #inject}) copies them in
     * before. Off, the sink is called from interface-output and the buffer freed there.
     */
    public void holdTransmitted(boolean hold) {
        if (!hold) {
            drainTransmitted();
        }
        tx = hold ? (tx != null ? tx : new int[rx.length]) : null;
    }

    /**
     * Hands every frame held on the transmit ring to the sink, in the order transmitted, and frees
     * their buffers; returns how many. Call it between polls.
     */
    public int drainTransmitted() {
        int n = txCount;
        if (n == 0) {
            return 0;
        }
        Buffers b = engine.buffers();
        txCount = 0;
        for (int i = 0; i < n; i++) {
            int buf = tx[i];
            if (sink != null) {
                sink.transmit(name, b.memory, b.at(buf), b.length[buf]);
            }
            b.release(buf);
        }
        return n;
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

    /** As the others, with the buffer's flags set to {@code flags} ({@link Buffers#LEARN_ONLY}: a worker's copy). */
    void inject(byte[] frame, int off, int len, long timeNanos, int flags) {
        Buffers b = engine.buffers();
        if (len < 0 || len > MAX_FRAME || size == rx.length) {
            rxNoBuffer++;
            return;
        }
        int buf = b.allocate();
        if (buf < 0) {
            rxNoBuffer++;
            return;
        }
        MemorySegment.copy(frame, off, b.memory, ValueLayout.JAVA_BYTE, b.at(buf), len);
        b.length[buf] = len;
        b.time[buf] = timeNanos;
        b.flags[buf] = flags;
        rx[(head + size) % rx.length] = buf;
        size++;
        rxPackets++;
        rxBytes += len;
    }

    /** Moves up to {@code max} received buffers into {@code vector}; returns how many. */
    int take(int[] vector, int max, int ifIndex) {
        int n = Math.min(max, size);
        Buffers b = engine.buffers();
        for (int i = 0; i < n; i++) {
            int buf = rx[head];
            head = (head + 1) % rx.length;
            b.rxIf[buf] = ifIndex;
            vector[i] = buf;
        }
        size -= n;
        return n;
    }

    int queued() {
        return size;
    }

    /** Frees what is still queued (an interface gone from the configuration); what was transmitted leaves. */
    void drain() {
        drainTransmitted();
        Buffers b = engine.buffers();
        while (size > 0) {
            b.release(rx[head]);
            head = (head + 1) % rx.length;
            size--;
            rxNoBuffer++;
        }
    }

    /**
     * interface-output's hand-over of buffer {@code buf}: to the sink now, or onto the transmit ring
     * ({@link #holdTransmitted}). Returns whether the buffer is free to release now.
     */
    boolean transmit(Buffers b, int buf) {
        txPackets++;
        txBytes += b.length[buf];
        if (tx != null && txCount < tx.length) {
            tx[txCount++] = buf; // a ring as large as the pool cannot fill: every buffer would be on it
            return false;
        }
        if (sink != null) {
            sink.transmit(name, b.memory, b.at(buf), b.length[buf]);
        }
        return true;
    }
}
