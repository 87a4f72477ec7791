package dev.srv6sh.dataplane;

/**
 * Longest-prefix match over up to 128-bit keys (IPv4 keys sit in the top 32 bits of {@code hi}): a
 * binary trie in parallel int arrays, built once per configuration and then only read, so lookups
 * allocate nothing. Values are ints; -1 means no match.
 */
final class Lpm {
    private int[] zero = new int[64];
    private int[] one = new int[64];
    private int[] value = new int[64];
    private int size = 1;
    private final int maxLength;

    Lpm(int maxLength) {
        this.maxLength = maxLength;
        value[0] = -1;
    }

    private static int bit(long hi, long lo, int i) {
        return (int) (i < 64 ? (hi >>> (63 - i)) & 1 : (lo >>> (127 - i)) & 1);
    }

    /** Adds or replaces the value for a prefix. */
    void insert(long hi, long lo, int length, int v) {
        if (length < 0 || length > maxLength) {
            throw new IllegalArgumentException("prefix length " + length);
        }
        int n = 0;
        for (int i = 0; i < length; i++) {
            int[] next = bit(hi, lo, i) == 0 ? zero : one;
            if (next[n] == 0) {
                int child = newNode();
                (bit(hi, lo, i) == 0 ? zero : one)[n] = child;
            }
            n = (bit(hi, lo, i) == 0 ? zero : one)[n];
        }
        value[n] = v;
    }

    private int newNode() {
        if (size == value.length) {
            zero = java.util.Arrays.copyOf(zero, size * 2);
            one = java.util.Arrays.copyOf(one, size * 2);
            value = java.util.Arrays.copyOf(value, size * 2);
        }
        value[size] = -1;
        return size++;
    }

    /** The value of the longest prefix that covers the key, or -1. */
    int lookup(long hi, long lo) {
        int n = 0;
        int best = value[0];
        for (int i = 0; i < maxLength; i++) {
            n = bit(hi, lo, i) == 0 ? zero[n] : one[n];
            if (n == 0) {
                break;
            }
            if (value[n] != -1) {
                best = value[n];
            }
        }
        return best;
    }
}
