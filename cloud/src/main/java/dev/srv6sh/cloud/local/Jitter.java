package dev.srv6sh.cloud.local;

/**
 * The delay variation of the links between regions: a uniform jitter of a given width centred on
 * zero, so that a link's mean delay is the RTT table's figure (an average), drawn from a sequence
 * fixed by the seed and the link.
 *
 * <p>The n-th frame of every flow on a link gets the link's n-th value. Two measurements that send
 * the same number of frames over the same link, such as a pair's SRv6 path and its direct path, so
 * see the same delays, and the jitter cancels exactly in their difference: the simulation technique
 * of common random numbers, which compares alternatives under identical conditions. The values are
 * a hash of (seed, link, n), not a generator's state, so no other traffic shifts a flow's sequence.
 *
 * <p>Public for the netns backend's link daemon, which delays frames between regions the same way.
 */
public final class Jitter {
    /** AWS's links between regions: ±25 µs of one-way jitter (docs/emulation.md), 50 µs in all. */
    public static final long AWS_WIDTH_NANOS = 50_000;

    private final long seed;
    private final long width;

    /** A uniform jitter of {@code width} ns in all (±width/2), seeded by {@code seed}. */
    public Jitter(long seed, long width) {
        this.seed = seed;
        this.width = width;
    }

    /** The identity of the link from VPC {@code from} to VPC {@code to} (by name, so stable across runs). */
    public long link(String from, String to) {
        return mix(seed ^ mix(from.hashCode() * 0x9E3779B97F4A7C15L ^ to.hashCode()));
    }

    /**
     * The jitter of the {@code n}-th frame (from 0) of a flow on {@code link} whose fixed one-way delay
     * is {@code oneWay}: uniform in ±width/2, narrowed to ±oneWay when the delay is shorter, so that no
     * frame arrives before it was sent.
     */
    public long of(long link, long n, long oneWay) {
        long half = Math.min(width / 2, oneWay);
        if (half <= 0) {
            return 0;
        }
        double u = (mix(link + (n + 1) * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53;
        return Math.round((2 * u - 1) * half);
    }

    /** SplitMix64's finaliser: every input bit moves every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
