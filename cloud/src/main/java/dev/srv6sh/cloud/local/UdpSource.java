package dev.srv6sh.cloud.local;

/**
 * The sending end of a measurement flow, paced exactly in virtual time: datagram k leaves at start +
 * k × (size × 8 / rate), one event each, the next scheduled by the one before, so the world holds one
 * pending send at a time. The sender's instance shaper then applies the instance's bandwidth. Runs on
 * the event loop.
 */
final class UdpSource {
    /** What sends one datagram: its sequence number and send time (virtual ns). */
    interface Sender {
        void send(int seq, long now);
    }

    private final EventLoop loop;
    private final Sender sender;
    private final long total;
    private final double nanosPerDatagram;
    private long start;
    private long sent;
    private boolean cancelled;

    UdpSource(EventLoop loop, long rateBps, int size, long durationNanos, Sender sender) {
        this.loop = loop;
        this.sender = sender;
        this.nanosPerDatagram = size * 8e9 / rateBps;
        this.total = Math.max(1, (long) Math.floor(durationNanos / nanosPerDatagram));
    }

    /** Sends the first datagram now. */
    void start() {
        start = loop.now();
        send();
    }

    private void send() {
        if (cancelled) {
            return;
        }
        sender.send((int) sent, loop.now());
        sent++;
        if (sent < total) {
            loop.at(start + Math.round(sent * nanosPerDatagram), this::send);
        }
    }

    /** Stops sending (the measurement was interrupted); what is on its way still arrives. */
    void cancel() {
        cancelled = true;
    }

    boolean finished() {
        return cancelled || sent >= total;
    }

    long sent() {
        return sent;
    }

    /** How many datagrams the flow sends in all. */
    long total() {
        return total;
    }
}
