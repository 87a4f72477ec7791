package dev.srv6sh.cloud.netns;

/**
 * The link daemon's timer queue: frames (a buffer and the port it leaves by) held until their time,
 * a binary min-heap over primitive arrays, so that holding and releasing a frame allocates nothing.
 * Frames due at the same time leave in the order they were added (a link's frames keep their order).
 */
final class DelayQueue {
    private final long[] due;
    private final long[] order;
    private final int[] buffer;
    private final int[] port;
    private int size;
    private long added;

    /** A queue of at most {@code capacity} frames: the buffer pool's size, which it cannot exceed. */
    DelayQueue(int capacity) {
        due = new long[capacity];
        order = new long[capacity];
        buffer = new int[capacity];
        port = new int[capacity];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Holds {@code buf} until {@code at}, to leave by {@code out}; false when the queue is full. */
    boolean add(long at, int buf, int out) {
        if (size == due.length) {
            return false;
        }
        int i = size++;
        long seq = added++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(at, seq, due[parent], order[parent])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        set(i, at, seq, buf, out);
        return true;
    }

    /** When the first frame is due; only when not {@link #isEmpty}. */
    long firstDue() {
        return due[0];
    }

    int firstBuffer() {
        return buffer[0];
    }

    int firstPort() {
        return port[0];
    }

    /** Removes the first frame (read it first with {@link #firstBuffer} and {@link #firstPort}). */
    void removeFirst() {
        int last = --size;
        if (last == 0) {
            return;
        }
        long at = due[last];
        long seq = order[last];
        int buf = buffer[last];
        int out = port[last];
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= last) {
                break;
            }
            if (c + 1 < last && before(due[c + 1], order[c + 1], due[c], order[c])) {
                c++;
            }
            if (!before(due[c], order[c], at, seq)) {
                break;
            }
            move(c, i);
            i = c;
        }
        set(i, at, seq, buf, out);
    }

    private static boolean before(long atA, long seqA, long atB, long seqB) {
        return atA < atB || (atA == atB && seqA < seqB);
    }

    private void move(int from, int to) {
        set(to, due[from], order[from], buffer[from], port[from]);
    }

    private void set(int i, long at, long seq, int buf, int out) {
        due[i] = at;
        order[i] = seq;
        buffer[i] = buf;
        port[i] = out;
    }
}
