package dev.srv6sh.dataplane;

import java.util.Arrays;

/**
 * Longest-prefix match over up to 128-bit keys (IPv4 keys sit in the top 32 bits of {@code hi}): a
 * multibit trie with a stride of 8 bits and controlled prefix expansion, in flat int arrays, built
 * once per configuration and then only read, so lookups allocate nothing. A lookup reads at most one
 * entry per byte of the key (16 for IPv6, 4 for IPv4) and stops at the first empty child; a binary
 * trie needed up to 128 dependent reads for a /128 SID.
 *
 * <p>Node {@code n} owns entries {@code [n*256, n*256+256)}. A prefix of length L ends in the node
 * at depth {@code (L-1)/8} and is expanded over the {@code 2^(8 - (L - 8*depth))} entries it covers
 * there; each entry remembers the length that set it, so a longer prefix always wins whatever the
 * insertion order, and deeper nodes (longer prefixes) override what shallower ones matched. Values are
 * ints; -1 means no match.
 */
final class Lpm {
    private static final int STRIDE = 8;
    private static final int FANOUT = 1 << STRIDE;

    private int[] child = new int[FANOUT];
    private int[] value = filled(FANOUT);
    private byte[] length = new byte[FANOUT];
    private int nodes = 1;
    /**
     * Host routes (/128, /32: SIDs, the router's own addresses) sit in an open-addressing hash
     * table instead of the trie, so that the commonest SRv6 lookup, a packet to a local SID, is one probe instead of a
     * walk down all 16 levels; a host route is the longest match there can be.
     */
    private long[] hostKeys = new long[0]; // hi, lo pairs

    private int[] hostValues = new int[0];
    private int hostCount;
    private int defaultValue = -1;
    private final int maxLength;
    private final int levels;

    Lpm(int maxLength) {
        if (maxLength % STRIDE != 0) {
            throw new IllegalArgumentException("key length " + maxLength);
        }
        this.maxLength = maxLength;
        this.levels = maxLength / STRIDE;
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, -1);
        return a;
    }

    private static int octet(long hi, long lo, int level) {
        return (int) (level < 8 ? hi >>> (56 - 8 * level) : lo >>> (56 - 8 * (level - 8))) & 0xff;
    }

    /** Adds or replaces the value for a prefix (bits past its length are ignored). */
    void insert(long hi, long lo, int prefixLength, int v) {
        if (prefixLength < 0 || prefixLength > maxLength) {
            throw new IllegalArgumentException("prefix length " + prefixLength);
        }
        if (prefixLength == 0) {
            defaultValue = v;
            return;
        }
        if (prefixLength == maxLength) {
            putHost(hi, lo, v); // only there: a lookup that misses the table matches no host route
            return;
        }
        int depth = (prefixLength - 1) / STRIDE;
        int node = 0;
        for (int level = 0; level < depth; level++) {
            int e = node * FANOUT + octet(hi, lo, level);
            if (child[e] == 0) {
                int c = newNode(); // first: it may grow the arrays
                child[e] = c;
            }
            node = child[e];
        }
        int free = STRIDE - (prefixLength - depth * STRIDE);
        int first = octet(hi, lo, depth) & ~((1 << free) - 1);
        for (int i = 0; i < 1 << free; i++) {
            int e = node * FANOUT + first + i;
            if ((length[e] & 0xff) <= prefixLength) {
                value[e] = v;
                length[e] = (byte) prefixLength;
            }
        }
    }

    private int newNode() {
        if ((nodes + 1) * FANOUT > value.length) {
            int size = value.length * 2;
            child = Arrays.copyOf(child, size);
            length = Arrays.copyOf(length, size);
            int old = value.length;
            value = Arrays.copyOf(value, size);
            Arrays.fill(value, old, size, -1);
        }
        return nodes++;
    }

    private static int mix(long hi, long lo) {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 33; // every bit of both halves reaches the low bits the index uses
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h;
    }

    private void putHost(long hi, long lo, int v) {
        if (2 * (hostCount + 1) > hostValues.length) {
            long[] oldKeys = hostKeys;
            int[] oldValues = hostValues;
            int size = Math.max(16, hostValues.length * 2);
            hostKeys = new long[2 * size];
            hostValues = new int[size];
            Arrays.fill(hostValues, -1);
            hostCount = 0;
            for (int i = 0; i < oldValues.length; i++) {
                if (oldValues[i] != -1) {
                    putHost(oldKeys[2 * i], oldKeys[2 * i + 1], oldValues[i]);
                }
            }
        }
        int mask = hostValues.length - 1;
        for (int i = mix(hi, lo) & mask; ; i = (i + 1) & mask) {
            if (hostValues[i] == -1) {
                hostKeys[2 * i] = hi;
                hostKeys[2 * i + 1] = lo;
                hostValues[i] = v;
                hostCount++;
                return;
            }
            if (hostKeys[2 * i] == hi && hostKeys[2 * i + 1] == lo) {
                hostValues[i] = v;
                return;
            }
        }
    }

    /** The value of the longest prefix that covers the key, or -1. */
    int lookup(long hi, long lo) {
        if (hostCount > 0) {
            int mask = hostValues.length - 1;
            for (int i = mix(hi, lo) & mask; ; i = (i + 1) & mask) {
                int v = hostValues[i];
                if (v == -1) {
                    break;
                }
                if (hostKeys[2 * i] == hi && hostKeys[2 * i + 1] == lo) {
                    return v;
                }
            }
        }
        int best = defaultValue;
        int node = 0;
        for (int level = 0; level < levels; level++) {
            int e = node * FANOUT + octet(hi, lo, level);
            int v = value[e];
            if (v != -1) {
                best = v;
            }
            node = child[e];
            if (node == 0) {
                break;
            }
        }
        return best;
    }
}
