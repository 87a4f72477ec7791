package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.port.Loopback;
import dev.srv6sh.dataplane.port.LoopbackPort;
import dev.srv6sh.dataplane.port.RxBurst;
import dev.srv6sh.dataplane.port.TxBurst;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The far end of a {@link Loopback} link played by a test: the link's other {@link LoopbackPort} on
 * a pool of its own, driven through the port API as an engine drives it (bursts in and out), so
 * what it sends and takes allocates nothing.
 */
final class FarEnd implements AutoCloseable {
    private final Buffers pool = new Buffers(Loopback.CAPACITY + 64);
    private final LoopbackPort port;
    private final RxBurst rx = pool.rxBurst();
    private final TxBurst tx = pool.txBurst();

    FarEnd(Loopback link) {
        port = link.b(pool);
    }

    /**
     * Sends {@code frame} towards the engine. It is put at the start of a buffer, with no headroom,
     * so that a frame larger than the engine's buffers take can be sent too.
     */
    void send(byte[] frame) {
        int buf = pool.allocate();
        if (buf < 0) {
            throw new IllegalStateException("far end: every buffer is in flight");
        }
        long at = (long) buf * Buffers.SIZE;
        MemorySegment.copy(frame, 0, pool.memory(), ValueLayout.JAVA_BYTE, at, frame.length);
        pool.offset[buf] = 0; // the far end's own pool: its metadata is this driver's to set
        pool.length[buf] = frame.length;
        tx.add(buf);
        int done = port.transmit(tx);
        for (int k = 0; k < done; k++) {
            pool.release(tx.buffer(k));
        }
        tx.clear();
    }

    /** Copies of the frames the engine sent that arrived here since the last call, in order. */
    List<byte[]> take() {
        List<byte[]> out = new ArrayList<>();
        do {
            rx.reset(RxBurst.MAX);
            port.receive(rx);
            for (int k = 0; k < rx.count(); k++) {
                out.add(Harness.copy(pool.memory(), (long) rx.buffer(k) * Buffers.SIZE + rx.offset(k), rx.length(k)));
                pool.release(rx.buffer(k));
            }
        } while (rx.count() > 0);
        return out;
    }

    /** Takes what arrived without keeping it; returns how many frames. Allocates nothing. */
    int discard() {
        int n = 0;
        do {
            rx.reset(RxBurst.MAX);
            port.receive(rx);
            for (int k = 0; k < rx.count(); k++) {
                pool.release(rx.buffer(k));
            }
            n += rx.count();
        } while (rx.count() > 0);
        return n;
    }

    LoopbackPort port() {
        return port;
    }

    @Override
    public void close() {
        port.close();
        pool.close();
    }
}
