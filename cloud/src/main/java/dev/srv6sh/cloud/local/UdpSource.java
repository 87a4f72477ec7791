package dev.srv6sh.cloud.local;

import java.util.concurrent.CountDownLatch;

/**
 * The sending end of a measurement flow, paced on the event loop: one task per tick sends every
 * datagram due by then (the rate's share of the elapsed time), at most {@link #MAX_BURST} at once, so
 * a rate of thousands of datagrams per second costs thousands of events per second fewer than one
 * event each. The sender's instance shaper then spaces the burst at its bandwidth. If the loop falls
 * behind by more than a burst, the datagrams it could not send are not sent: {@link #sent()} is what
 * really left, and the rate reported follows it.
 */
final class UdpSource {
    static final long TICK_NANOS = 100_000;
    static final int MAX_BURST = 256;

    /** What sends one datagram: its sequence number and send time. */
    interface Sender {
        void send(int seq, long now);
    }

    private final EventLoop loop;
    private final Sender sender;
    private final long total;
    private final double nanosPerDatagram;
    private final long durationNanos;
    final CountDownLatch done = new CountDownLatch(1);
    private long start;
    private volatile long sent;
    private volatile long endedAt;

    UdpSource(EventLoop loop, long rateBps, int size, long durationNanos, Sender sender) {
        this.loop = loop;
        this.sender = sender;
        this.durationNanos = durationNanos;
        this.nanosPerDatagram = size * 8e9 / rateBps;
        this.total = Math.max(1, (long) Math.floor(durationNanos / nanosPerDatagram));
    }

    void start() {
        loop.execute(() -> {
            start = System.nanoTime();
            tick();
        });
    }

    private void tick() {
        long now = System.nanoTime();
        long elapsed = now - start;
        long due = elapsed >= durationNanos ? total : Math.min(total, 1 + (long) (elapsed / nanosPerDatagram));
        long s = sent;
        for (int burst = 0; s < due && burst < MAX_BURST; burst++) {
            sender.send((int) s, System.nanoTime());
            s++;
        }
        sent = s;
        if (s >= total || elapsed >= durationNanos) {
            endedAt = System.nanoTime();
            done.countDown();
            return;
        }
        loop.at(now + TICK_NANOS, this::tick);
    }

    long sent() {
        return sent;
    }

    /** How long the source sent, from its first datagram to its last tick (ns). */
    long sendingNanos() {
        return Math.max(endedAt - start, 1);
    }
}
