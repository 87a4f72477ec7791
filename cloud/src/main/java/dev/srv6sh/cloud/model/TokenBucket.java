package dev.srv6sh.cloud.model;

/**
 * A token-bucket shaper with a bounded FIFO queue in front of it, computed in virtual time: {@link
 * #admit} says when a frame arriving at a given time leaves, or that it is dropped because the queue
 * ahead of it already holds more than {@code bufferBytes} (drop tail). Tokens (bytes) accumulate at
 * {@code rate} up to {@code burstBytes}; a frame leaves once the frames before it have left and the
 * bucket holds its size. Departures are non-decreasing, so a shaped flow stays in order.
 *
 * <p>Arrivals must be non-decreasing too (each bucket has one upstream: an instance, or one flow of
 * one instance, or one flow on a link). Not thread-safe: local's event loop, or the link daemon's
 * thread. {@link Shaping} sizes one from the AWS figures.
 */
public final class TokenBucket {
    private final double bytesPerNano;
    private final long burstBytes;
    private final long bufferBytes;
    private double tokens;
    private long last;
    private long lastDeparture = Long.MIN_VALUE;
    private long passed;
    private long dropped;

    /** rateBps bits per second; a bucket of rate 0 or less shapes nothing. */
    public TokenBucket(long rateBps, long burstBytes, long bufferBytes) {
        this.bytesPerNano = rateBps / 8e9;
        this.burstBytes = burstBytes;
        this.bufferBytes = bufferBytes;
        this.tokens = burstBytes;
    }

    public boolean shapes() {
        return bytesPerNano > 0;
    }

    /** When a frame of {@code bytes} arriving at {@code arrival} (ns) departs, or -1 if it is dropped. */
    public long admit(long arrival, int bytes) {
        if (!shapes()) {
            passed++;
            return arrival;
        }
        long start = Math.max(arrival, lastDeparture);
        double available =
                lastDeparture == Long.MIN_VALUE ? tokens : Math.min(burstBytes, tokens + (start - last) * bytesPerNano);
        long departure = start;
        if (available < bytes) {
            departure = start + (long) Math.ceil((bytes - available) / bytesPerNano);
        }
        // what waits ahead of this frame: the time until it may leave, at the shaped rate
        if ((departure - arrival) * bytesPerNano > bufferBytes) {
            dropped++;
            return -1;
        }
        tokens = Math.min(burstBytes, available + (departure - start) * bytesPerNano) - bytes;
        last = departure;
        lastDeparture = departure;
        passed++;
        return departure;
    }

    /**
     * Back to a full bucket with nothing queued and its counters at zero, as new: for a table that
     * reuses one bucket for another flow.
     */
    public void reset() {
        tokens = burstBytes;
        last = 0;
        lastDeparture = Long.MIN_VALUE;
        passed = 0;
        dropped = 0;
    }

    public long passed() {
        return passed;
    }

    public long dropped() {
        return dropped;
    }
}
