package dev.srv6sh.dataplane;

/**
 * RFC 4443 §2.4 (f) and RFC 1812 §4.3.2.8: ICMP errors are rate-limited, here by two token buckets
 * in the manner of Linux (catalogue M25), for every error type (Linux's default ratemask exempts
 * Packet Too Big; here it is limited like the rest): one for all errors the router sends ({@link #RATE_PER_SECOND},
 * burst {@link #GLOBAL_BURST}), and one per destination, the offending packet's source ({@link
 * #PER_SOURCE_RATE}, burst {@link #BURST}), so that one source's flood of bad packets cannot use
 * up the errors everyone else is owed. Per-source buckets live in a fixed table indexed by a hash of
 * the address (sources that collide share a bucket); nothing is allocated.
 */
final class IcmpRateLimit {
    /** All errors: Linux's icmp_msgs_per_sec default. */
    static final long RATE_PER_SECOND = 1000;

    static final long GLOBAL_BURST = 200;
    /** Errors to one source: a tenth of the whole, with Linux's icmp_msgs_burst default as burst. */
    static final long PER_SOURCE_RATE = 100;

    static final long BURST = 50;
    private static final int SLOTS = 1024;

    private final Clock clock;
    private long tokens = GLOBAL_BURST;
    private long refilledAt;
    private final long[] sourceTokens = new long[SLOTS];
    private final long[] sourceRefilledAt = new long[SLOTS];

    IcmpRateLimit(Clock clock) {
        this.clock = clock;
        refilledAt = clock.nanos();
        java.util.Arrays.fill(sourceTokens, BURST);
        java.util.Arrays.fill(sourceRefilledAt, refilledAt);
    }

    /** Takes a token for an error to the source whose address hashes to {@code hash}; false: limited. */
    boolean allow(long hash) {
        long now = clock.nanos();
        long earned = earned(now, refilledAt, RATE_PER_SECOND);
        if (earned > 0) {
            tokens = Math.min(GLOBAL_BURST, tokens + earned);
            refilledAt = tokens == GLOBAL_BURST ? now : refilledAt + earned * 1_000_000_000L / RATE_PER_SECOND;
        }
        int slot = (int) ((hash ^ (hash >>> 29) ^ (hash >>> 47)) * 0x9E3779B97F4A7C15L >>> 54); // 10 bits
        long e = earned(now, sourceRefilledAt[slot], PER_SOURCE_RATE);
        if (e > 0) {
            sourceTokens[slot] = Math.min(BURST, sourceTokens[slot] + e);
            sourceRefilledAt[slot] =
                    sourceTokens[slot] == BURST ? now : sourceRefilledAt[slot] + e * 1_000_000_000L / PER_SOURCE_RATE;
        }
        if (tokens == 0 || sourceTokens[slot] == 0) {
            return false;
        }
        tokens--;
        sourceTokens[slot]--;
        return true;
    }

    /**
     * Whole tokens earned since {@code since} at {@code rate} per second; the fraction of a token
     * carries over (the caller advances {@code since} by what it took), and a long idle time is
     * capped at ten seconds so the product cannot overflow.
     */
    private static long earned(long now, long since, long rate) {
        return Math.min(now - since, 10_000_000_000L) * rate / 1_000_000_000L;
    }

    /** A hash of an IPv6 address. */
    static long hash(long hi, long lo) {
        return hi * 0xC2B2AE3D27D4EB4FL ^ lo;
    }
}
