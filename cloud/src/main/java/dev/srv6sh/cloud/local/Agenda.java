package dev.srv6sh.cloud.local;

import java.util.Arrays;

/**
 * The event loop's pending events: a binary min-heap ordered by due time, then by the order they
 * were added (so that events of one instant run first come, first served). Times and sequence numbers
 * live in primitive arrays beside the actions: a UDP flow keeps thousands of frames in flight on a
 * long link, and a heap of objects with a comparator cost more than the rest of an event.
 */
final class Agenda {
    private long[] due = new long[1024];
    private long[] seq = new long[1024];
    private Runnable[] action = new Runnable[1024];
    private int size;
    private long added;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The due time of the next event; only when not empty. */
    long nextDue() {
        return due[0];
    }

    void add(long at, Runnable a) {
        if (size == due.length) {
            due = Arrays.copyOf(due, size * 2);
            seq = Arrays.copyOf(seq, size * 2);
            action = Arrays.copyOf(action, size * 2);
        }
        long s = added++;
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(at, s, due[parent], seq[parent])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        put(i, at, s, a);
    }

    /** Removes and returns the next event's action; only when not empty. */
    Runnable poll() {
        Runnable first = action[0];
        int last = --size;
        long at = due[last];
        long s = seq[last];
        Runnable a = action[last];
        action[last] = null;
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(due[right], seq[right], due[child], seq[child])) {
                child = right;
            }
            if (!before(due[child], seq[child], at, s)) {
                break;
            }
            move(child, i);
            i = child;
        }
        if (size > 0) {
            put(i, at, s, a);
        }
        return first;
    }

    void clear() {
        Arrays.fill(action, 0, size, null);
        size = 0;
    }

    private static boolean before(long dueA, long seqA, long dueB, long seqB) {
        return dueA != dueB ? dueA < dueB : seqA < seqB;
    }

    private void move(int from, int to) {
        due[to] = due[from];
        seq[to] = seq[from];
        action[to] = action[from];
    }

    private void put(int i, long at, long s, Runnable a) {
        due[i] = at;
        seq[i] = s;
        action[i] = a;
    }
}
