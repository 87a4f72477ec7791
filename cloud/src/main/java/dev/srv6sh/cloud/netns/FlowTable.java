package dev.srv6sh.cloud.netns;

import dev.srv6sh.cloud.model.Shaping;
import dev.srv6sh.cloud.model.TokenBucket;

/**
 * The link daemon's per-flow shapers: a fixed-size table of {@link TokenBucket}s, keyed by {@link
 * dev.srv6sh.cloud.model.FlowKey} (as local's {@code Internet} keys its flows), with open addressing
 * over primitive arrays. The buckets are made once, at construction, and reused, so admitting a frame
 * allocates nothing.
 *
 * <p>A flow's slot is one of the {@value #PROBES} slots from its hash on. A new flow takes the first
 * empty one, else the one served longest ago, whose bucket is {@link TokenBucket#reset reset}. A flow
 * idle for {@link #idleNanos} (the time its bucket takes to fill from empty) has a full bucket and an
 * empty queue, so resetting it changes nothing. When the table is full, in the sense that all of a
 * new flow's slots hold flows served more recently than that, the least recent one is evicted
 * anyway: it restarts with a full bucket, so it may pass one burst more than it should, and {@link
 * #evictedActive} counts it (the daemon logs it). With {@value #DEFAULT_CAPACITY} slots, that takes
 * thousands of concurrent flows between regions, far more than a script makes. Two flows whose 64-bit
 * keys collide share one bucket, as on local.
 */
final class FlowTable {
    static final int DEFAULT_CAPACITY = 8192;
    static final int PROBES = 8;

    private final long[] keys;
    private final long[] lastServed;
    private final TokenBucket[] buckets;
    private final int mask;
    private final boolean shapes;
    private final long idleNanos;
    private long dropped;
    private long evictedActive;

    /** {@code capacity} slots (a power of two, at least {@value #PROBES}) shaped as {@code shaping} says. */
    FlowTable(Shaping shaping, int capacity) {
        if (Integer.bitCount(capacity) != 1 || capacity < PROBES) {
            throw new IllegalArgumentException("a flow table's capacity is a power of two of at least " + PROBES);
        }
        keys = new long[capacity];
        lastServed = new long[capacity];
        buckets = new TokenBucket[capacity];
        for (int i = 0; i < capacity; i++) {
            buckets[i] = shaping.bucket();
        }
        mask = capacity - 1;
        shapes = buckets[0].shapes();
        idleNanos = shapes ? (long) Math.ceil(shaping.burstBytes() / (shaping.rateBps() / 8e9)) : 0;
    }

    /**
     * When a frame of {@code bytes} of flow {@code key}, arriving at {@code now} (ns), leaves its
     * flow's shaper, or -1 when the flow's queue is full and the frame is dropped.
     */
    long admit(long key, long now, int bytes) {
        if (!shapes) {
            return now;
        }
        long k = key == 0 ? 1 : key; // 0 marks an empty slot
        int home = (int) (k ^ (k >>> 32)) & mask;
        int slot = -1;
        int empty = -1;
        int oldest = -1;
        for (int i = 0; i < PROBES; i++) {
            int s = (home + i) & mask;
            long held = keys[s];
            if (held == k) {
                slot = s;
                break;
            }
            if (held == 0) {
                if (empty < 0) {
                    empty = s;
                }
            } else if (oldest < 0 || lastServed[s] < lastServed[oldest]) {
                oldest = s;
            }
        }
        if (slot < 0) {
            slot = empty >= 0 ? empty : oldest;
            if (keys[slot] != 0 && now - lastServed[slot] < idleNanos) {
                evictedActive++;
            }
            keys[slot] = k;
            lastServed[slot] = now;
            buckets[slot].reset();
        }
        long departure = buckets[slot].admit(now, bytes);
        if (departure < 0) {
            dropped++;
            return -1;
        }
        lastServed[slot] = departure;
        return departure;
    }

    /** Frames dropped because their flow's queue was full. */
    long dropped() {
        return dropped;
    }

    /** Flows evicted while their bucket was still refilling (the table was full). */
    long evictedActive() {
        return evictedActive;
    }

    /** How long an idle flow takes to be as a new one (its bucket full again). */
    long idleNanos() {
        return idleNanos;
    }
}
