package dev.srv6sh.dataplane.port;

/**
 * What one {@link Port#receive} call hands the engine: up to {@link #room} frames, each a buffer of
 * the engine's {@link BufferPool} with where the frame starts in it, its length and when it was
 * received. The engine owns one, reuses it for every call and every port, and empties it before
 * each; nothing in it allocates. What {@link #add} is told goes straight into the engine's metadata
 * of the buffer, which is the engine's from then on: a frame costs the engine no second copy of it.
 *
 * <p>A port adds a frame with {@link #add}; from then on the buffer is the engine's. The buffer must
 * be one the port owns: allocated from the pool (and filled: a copy from a kernel ring, a socket's
 * receive straight into the buffer) or filled by the device in place (AF_XDP's fill ring).
 */
public final class RxBurst {
    /** The most frames a burst holds: a vector. */
    public static final int MAX = 256;

    /**
     * A frame flag ({@link #add(int, int, int, long, int)}): this worker's copy of an ARP or NS/NA
     * frame that another worker of the same router answers. The graph learns from it (every worker's
     * neighbor table hears the link), answers nothing, and forwards nothing of it (on an interface
     * steered at layer 2, the answering worker encapsulates the customer's frame).
     */
    public static final int LEARN_ONLY = 16;

    /**
     * A frame flag: the answering copy of an ARP or NS/NA frame that every worker of the router gets
     * (the others with {@link #LEARN_ONLY}). An advertisement for a neighbor this worker's table does
     * not have is another worker's answer, used there, not an error here.
     */
    public static final int EVERY_WORKER = 32;

    private final int[] buffer = new int[MAX];
    private final int[] offsets;
    private final int[] lengths;
    private final long[] times;
    /** The graph's flags of each buffer (null: a burst whose ports flag nothing). */
    private final int[] flags;
    /** The large sends' metadata of each buffer (null: a burst that takes no large buffer). */
    private final int[] gsoSizes;

    private final int[] gsoTypes;
    private final int[] gsoPayloads;
    private int limit;
    private int count;

    /**
     * The engine's side: a burst over the pool's metadata, where each buffer's frame starts in it
     * ({@code offsets}), how long it is ({@code lengths}) and when it came ({@code times}), all
     * indexed by buffer.
     */
    public RxBurst(int[] offsets, int[] lengths, long[] times) {
        this(offsets, lengths, times, null);
    }

    /**
     * As {@link #RxBurst(int[], int[], long[])}, with the buffers' flags ({@code flags}, indexed by
     * buffer) that {@link #add(int, int, int, long, int)} sets.
     */
    public RxBurst(int[] offsets, int[] lengths, long[] times, int[] flags) {
        this(offsets, lengths, times, flags, null, null, null);
    }

    /**
     * As {@link #RxBurst(int[], int[], long[], int[])}, with the metadata of large sends that {@link
     * #addLarge} and {@link #grow} set (each indexed by buffer): the segment size, the kind, and where
     * the segmented payload starts from the buffer's start.
     */
    public RxBurst(
            int[] offsets,
            int[] lengths,
            long[] times,
            int[] flags,
            int[] gsoSizes,
            int[] gsoTypes,
            int[] gsoPayloads) {
        this.offsets = offsets;
        this.lengths = lengths;
        this.times = times;
        this.flags = flags;
        this.gsoSizes = gsoSizes;
        this.gsoTypes = gsoTypes;
        this.gsoPayloads = gsoPayloads;
    }

    /** Whether {@link #addLarge} may be called: the engine's pool has large buffers to give. */
    public boolean takesLarge() {
        return gsoSizes != null;
    }

    /**
     * A frame of {@code length} bytes at {@link BufferPool#HEADROOM} in a large buffer ({@link
     * BufferPool#allocateLarge}): a large send of kind {@code gsoType} whose segments carry {@code
     * gsoSize} bytes of the payload that starts {@code payload} bytes into the frame; {@code gsoSize}
     * 0 for a frame that is not one (yet: {@link #grow} makes it one).
     */
    public void addLarge(int buffer, int length, long timeNanos, int gsoType, int gsoSize, int payload) {
        if (gsoSizes == null
                || count == limit
                || length < 0
                || length > BufferPool.MAX_LARGE_FRAME
                || gsoSize < 0
                || payload < 0
                || payload > length) {
            throw new IllegalArgumentException(
                    "rx burst: a large frame of " + length + " bytes (segments of " + gsoSize + ", payload at "
                            + payload + ") does not fit" + (gsoSizes == null ? ": this burst takes none" : ""));
        }
        this.buffer[count++] = buffer;
        offsets[buffer] = BufferPool.HEADROOM;
        lengths[buffer] = length;
        times[buffer] = timeNanos;
        gsoSizes[buffer] = gsoSize;
        gsoTypes[buffer] = gsoType;
        gsoPayloads[buffer] = BufferPool.HEADROOM + payload;
    }

    /**
     * Puts large buffer {@code large} in frame {@code k}'s place (the frame copied there by the caller,
     * at the standard headroom, its buffer the caller's to free): the start of a coalesced send.
     */
    public void replace(int k, int large, int length, int gsoType, int gsoSize, int payload) {
        int old = buffer[k];
        long time = times[old];
        int was = count;
        count = k;
        try {
            addLarge(large, length, time, gsoType, gsoSize, payload);
        } finally {
            count = was;
        }
    }

    /** Frame {@code k}, a large one, is now {@code length} bytes long (segments appended to it). */
    public void grow(int k, int length) {
        if (length > BufferPool.MAX_LARGE_FRAME) {
            throw new IllegalArgumentException("rx burst: a large frame of " + length + " bytes does not fit");
        }
        lengths[buffer[k]] = length;
    }

    /** Frame {@code k}'s segment size as a large send, or 0. */
    public int gsoSize(int k) {
        return gsoSizes == null ? 0 : gsoSizes[buffer[k]];
    }

    /** How many more frames this call may add. */
    public int room() {
        return limit - count;
    }

    /** A frame of {@code length} bytes at {@link BufferPool#HEADROOM} in {@code buffer}. */
    public void add(int buffer, int length, long timeNanos) {
        add(buffer, BufferPool.HEADROOM, length, timeNanos);
    }

    /**
     * A frame of {@code length} bytes at {@code offset} in {@code buffer} (a device that chooses where
     * it writes: AF_XDP's headroom), received at {@code timeNanos} (ns since the epoch; 0 when not
     * known), which captures report. The offset leaves at least {@link BufferPool#HEADROOM} in front.
     */
    public void add(int buffer, int offset, int length, long timeNanos) {
        // one test per frame: any of the three differences negative is a frame that does not fit
        if (count == limit
                || ((offset - BufferPool.HEADROOM) | length | (BufferPool.BUFFER_SIZE - offset - length)) < 0) {
            throw misfit(offset, length);
        }
        this.buffer[count++] = buffer;
        offsets[buffer] = offset;
        lengths[buffer] = length;
        times[buffer] = timeNanos;
    }

    /**
     * As {@link #add(int, int, int, long)}, the frame flagged ({@link #LEARN_ONLY}, {@link
     * #EVERY_WORKER}): how a worker's port tells the graph that a frame is a copy every worker gets.
     */
    public void add(int buffer, int offset, int length, long timeNanos, int frameFlags) {
        if ((frameFlags & ~(LEARN_ONLY | EVERY_WORKER)) != 0 || (frameFlags != 0 && flags == null)) {
            throw new IllegalArgumentException("rx burst: flags " + frameFlags + " are not LEARN_ONLY | EVERY_WORKER"
                    + (flags == null ? " (this burst takes no flags)" : ""));
        }
        add(buffer, offset, length, timeNanos);
        if (frameFlags != 0) {
            flags[buffer] |= frameFlags;
        }
    }

    /** Out of line, so that {@link #add} stays small enough to inline into a port's loop. */
    private IllegalArgumentException misfit(int offset, int length) {
        return new IllegalArgumentException(
                count == limit
                        ? "rx burst: no room for another frame (" + limit + ")"
                        : "rx burst: a frame of " + length + " bytes at " + offset + " does not fit a buffer of "
                                + BufferPool.BUFFER_SIZE + " with " + BufferPool.HEADROOM + " of headroom");
    }

    /** Frames added so far. */
    public int count() {
        return count;
    }

    public int buffer(int k) {
        return buffer[k];
    }

    /** Where frame {@code k} starts in its buffer. */
    public int offset(int k) {
        return offsets[buffer[k]];
    }

    public int length(int k) {
        return lengths[buffer[k]];
    }

    public long time(int k) {
        return times[buffer[k]];
    }

    /** The engine's side: empties the burst for a call that may add up to {@code room} frames. */
    public void reset(int room) {
        if (room < 0 || room > MAX) {
            throw new IllegalArgumentException("rx burst: room " + room + " is out of 0.." + MAX);
        }
        limit = room;
        count = 0;
    }
}
