package dev.srv6sh.dataplane.port;

import java.lang.foreign.MemorySegment;

/**
 * A point-to-point link in memory between two {@link LoopbackPort}s, each on its own pool (two
 * engines, or an engine and a test playing the far end). Each direction is a {@link Lane}: a frame
 * sent stays in the sender's buffer, read in place, until the receiving end copies it into a buffer
 * of its own; only then does the sender free it. So a sent buffer is freed later, by the sender, as
 * AF_XDP's completion ring has it, and a received frame costs exactly one copy.
 */
public final class Loopback {
    /** Frames a direction holds before the sender's further frames are tx errors. */
    public static final int CAPACITY = 1024;

    private final Lane ab = new Lane();
    private final Lane ba = new Lane();
    private final String name;
    private final int mtu;

    /** A link named {@code name} whose ends carry IP packets of up to {@code mtu} bytes (0: any). */
    public Loopback(String name, int mtu) {
        this.name = name;
        this.mtu = mtu;
    }

    /** One end, on {@code pool}: it sends on one lane and receives from the other. */
    public LoopbackPort a(BufferPool pool) {
        return new LoopbackPort(name + ".a", mtu, pool, ba, ab);
    }

    public LoopbackPort b(BufferPool pool) {
        return new LoopbackPort(name + ".b", mtu, pool, ab, ba);
    }

    /**
     * One direction: the frames in flight, in the sender's memory, in order; then the sender's
     * buffers the receiver is done with, which the sender frees at its next call.
     */
    static final class Lane {
        final MemorySegment[] memory = new MemorySegment[CAPACITY];
        final long[] offset = new long[CAPACITY];
        final int[] length = new int[CAPACITY];
        final int[] buffer = new int[CAPACITY];
        int head;
        int size;
        final int[] done = new int[CAPACITY];
        int doneCount;

        boolean offer(MemorySegment m, long off, int len, int buf) {
            if (size + doneCount == CAPACITY) {
                return false; // every slot in flight or waiting for its sender to free it
            }
            int i = (head + size) % CAPACITY;
            memory[i] = m;
            offset[i] = off;
            length[i] = len;
            buffer[i] = buf;
            size++;
            return true;
        }

        /** The oldest frame is done with: its buffer goes back to the sender. */
        void complete() {
            done[doneCount++] = buffer[head];
            memory[head] = null;
            head = (head + 1) % CAPACITY;
            size--;
        }
    }
}
