package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.port.BufferPool;
import dev.srv6sh.dataplane.port.TxBurst;

/**
 * A {@link MemoryPort}'s transmit ring, as a NIC's: the frames transmitted, in order, kept in their
 * buffers (the port owns them) until the owner drains the ring, which hands them to the sink and
 * frees them. As large as the pool, so it cannot fill.
 */
final class TransmitRing {
    private final int[] buffer;
    private final long[] offset;
    private final int[] length;
    private int count;

    TransmitRing(int capacity) {
        buffer = new int[capacity];
        offset = new long[capacity];
        length = new int[capacity];
    }

    /** Keeps every frame of {@code tx}. */
    void hold(TxBurst tx) {
        int n = tx.count();
        for (int k = 0; k < n; k++) {
            buffer[count] = tx.buffer(k);
            offset[count] = tx.offset(k);
            length[count] = tx.length(k);
            count++;
        }
    }

    /** Hands each frame to {@code sink} (none: just freed), in order, and frees it; returns how many. */
    int drain(String iface, MemoryPort.FrameSink sink, BufferPool pool) {
        int n = count;
        count = 0;
        for (int i = 0; i < n; i++) {
            if (sink != null) {
                sink.transmit(iface, pool.memory(), offset[i], length[i]);
            }
            pool.release(buffer[i]);
        }
        return n;
    }
}
