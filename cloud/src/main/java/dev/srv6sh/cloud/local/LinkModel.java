package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.model.Shaping;
import dev.srv6sh.cloud.model.TokenBucket;

/**
 * The traffic model of the emulated links (docs/emulation.md says where each figure comes from).
 *
 * @param perFlowBps a 5-tuple flow between regions (outside a cluster placement group) is shaped to this
 * @param jitterNanos each frame crossing between regions is delayed by RTT/2 plus a uniform jitter of
 *     this width centred on zero (the RTT table's figures are averages), from a seeded sequence ({@link
 *     Jitter})
 * @param reorder false keeps frames of one inter-region link in order whatever their jitter (as a fixed
 *     path does); true lets a frame with less jitter overtake one with more
 * @param queueNanos every shaper queues at most this much traffic at its rate, and drops the tail beyond
 * @param instanceBps when positive, every instance's bandwidth instead of its type's (for tests)
 * @param seed the jitter's seed: the same seed gives the same delays (srv6sh's {@code --seed})
 */
record LinkModel(long perFlowBps, long jitterNanos, boolean reorder, long queueNanos, long instanceBps, long seed) {
    /** AWS: 5 Gbps per flow, ±25 µs of one-way jitter, in order, 2 ms queues ({@link Shaping}); the default seed. */
    static final LinkModel AWS = new LinkModel(
            Shaping.AWS_FLOW_BPS,
            Jitter.AWS_WIDTH_NANOS,
            false,
            Shaping.AWS_QUEUE_NANOS,
            0,
            dev.srv6sh.cloud.Providers.DEFAULT_SEED);

    /** The largest frame a shaper must pass at once: the VPC's jumbo MTU plus Ethernet. */
    private static final int LARGEST_FRAME = LocalDeployment.MTU + 14;

    /** A shaper at {@code rateBps} with this model's queue, and a burst of 0.5 ms or two frames. */
    TokenBucket bucket(long rateBps) {
        return new Shaping(rateBps, queueNanos, Shaping.BURST_NANOS, LARGEST_FRAME).bucket();
    }

    LinkModel withInstanceBps(long bps) {
        return new LinkModel(perFlowBps, jitterNanos, reorder, queueNanos, bps, seed);
    }

    LinkModel withPerFlowBps(long bps) {
        return new LinkModel(bps, jitterNanos, reorder, queueNanos, instanceBps, seed);
    }

    LinkModel withJitter(long nanos, boolean reorder) {
        return new LinkModel(perFlowBps, nanos, reorder, queueNanos, instanceBps, seed);
    }

    LinkModel withSeed(long seed) {
        return new LinkModel(perFlowBps, jitterNanos, reorder, queueNanos, instanceBps, seed);
    }
}
