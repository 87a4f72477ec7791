package dev.srv6sh.dataplane.port;

import dev.srv6sh.dataplane.config.MacAddress;
import java.lang.foreign.MemorySegment;

/**
 * One end of a {@link Loopback} link: a second {@link Port} implementation, written against the
 * public port API alone, as AF_PACKET, TAP, UDP or AF_XDP ports will be. It receives by copying the
 * peer's frames into buffers it allocates (a socket's or a TPACKET ring's one copy) and transmits
 * without copying: it keeps the frames, returns 0 from {@link #transmit}, and frees each buffer at
 * its next call once the peer has copied it out (AF_XDP's completion ring).
 */
public final class LoopbackPort implements Port {
    private final String device;
    private final int mtu;
    private final BufferPool pool;
    private final Loopback.Lane in;
    private final Loopback.Lane out;
    private final PortCounters counters = new PortCounters();
    /** Buffers sent and not yet freed: on the lane, or done and waiting for {@link #reap}. */
    private int sending;

    LoopbackPort(String device, int mtu, BufferPool pool, Loopback.Lane in, Loopback.Lane out) {
        this.device = device;
        this.mtu = mtu;
        this.pool = pool;
        this.in = in;
        this.out = out;
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public MacAddress mac() {
        return null;
    }

    @Override
    public void receive(RxBurst rx) {
        reap();
        MemorySegment mine = pool.memory();
        while (in.size > 0 && rx.room() > 0) {
            int h = in.head;
            int len = in.length[h];
            int buf = len <= BufferPool.MAX_FRAME ? pool.allocate() : -1;
            if (buf < 0) {
                counters.noBuffer();
            } else {
                MemorySegment.copy(in.memory[h], in.offset[h], mine, BufferPool.frameOffset(buf), len);
                rx.add(buf, len, 0);
                counters.received(len);
            }
            in.complete();
        }
    }

    @Override
    public int transmit(TxBurst tx) {
        reap();
        MemorySegment mine = pool.memory();
        for (int k = 0; k < tx.count(); k++) {
            if (out.offer(mine, tx.offset(k), tx.length(k), tx.buffer(k))) {
                counters.transmitted(tx.length(k));
                sending++;
            } else {
                counters.txError();
                pool.release(tx.buffer(k)); // refused: the port's, so the port frees it
            }
        }
        return 0; // the rest stay on the lane until the peer copies them
    }

    /** Frees the buffers the peer is done with. */
    private void reap() {
        for (int i = 0; i < out.doneCount; i++) {
            pool.release(out.done[i]);
        }
        sending -= out.doneCount;
        out.doneCount = 0;
    }

    /** None: a frame is copied into a buffer only as it is handed over. */
    @Override
    public int buffersHeld() {
        return 0;
    }

    /** Buffers sent that this end still holds (in use, for the engine). */
    public int sending() {
        return sending;
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    /** Drops what waits on either lane and frees every buffer this end holds. */
    @Override
    public void drain() {
        while (in.size > 0) {
            counters.noBuffer();
            in.complete();
        }
        while (out.size > 0) {
            out.complete(); // not taken by the peer: dropped, the buffer freed below
        }
        reap();
    }

    @Override
    public void close() {
        drain();
    }
}
