package dev.srv6sh.cloud.model;

/**
 * How a shaper is sized (docs/emulation.md, "Bandwidth"): a token bucket at {@code rateBps} whose
 * burst is {@code burstNanos} of traffic at that rate or two of the largest frames, whichever is
 * more, in front of a queue that holds {@code queueNanos} at the rate or four frames, and drops the
 * tail beyond. The local backend sizes its instance and per-flow shapers this way, and the netns
 * backend's link daemon its per-flow shapers, from the same AWS figures.
 *
 * @param rateBps bits per second; 0 shapes nothing
 * @param queueNanos the queue's length, in time at the rate
 * @param burstNanos the burst, in time at the rate
 * @param largestFrame the largest frame (bytes, Ethernet header included) the shaper must pass
 */
public record Shaping(long rateBps, long queueNanos, long burstNanos, int largestFrame) {
    /** AWS: a 5-tuple flow between regions (outside a cluster placement group) gets at most 5 Gbps. */
    public static final long AWS_FLOW_BPS = 5_000_000_000L;

    /** The queue every shaper keeps: 2 ms at its rate. */
    public static final long AWS_QUEUE_NANOS = 2_000_000;

    /** The burst every shaper allows: 0.5 ms at its rate. */
    public static final long BURST_NANOS = 500_000;

    public Shaping {
        if (rateBps < 0) {
            throw new IllegalArgumentException("the rate is negative (" + rateBps + " bit/s)");
        }
        if (queueNanos < 0) {
            throw new IllegalArgumentException("the queue is negative (" + queueNanos + " ns)");
        }
        if (burstNanos < 0) {
            throw new IllegalArgumentException("the burst is negative (" + burstNanos + " ns)");
        }
        if (largestFrame <= 0) {
            throw new IllegalArgumentException("the largest frame is not positive (" + largestFrame + " bytes)");
        }
    }

    /** AWS's per-flow shaping between regions, for frames of at most {@code largestFrame} bytes. */
    public static Shaping awsFlow(int largestFrame) {
        return new Shaping(AWS_FLOW_BPS, AWS_QUEUE_NANOS, BURST_NANOS, largestFrame);
    }

    /** The bucket's depth (bytes). */
    public long burstBytes() {
        return Math.max(2L * largestFrame, Math.round(rateBps / 8e9 * burstNanos));
    }

    /** The queue's length (bytes). */
    public long bufferBytes() {
        return Math.max(4L * largestFrame, Math.round(rateBps / 8e9 * queueNanos));
    }

    /** A new, full bucket of this size. */
    public TokenBucket bucket() {
        return new TokenBucket(rateBps, burstBytes(), bufferBytes());
    }
}
