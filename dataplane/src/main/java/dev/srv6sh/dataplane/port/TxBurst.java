package dev.srv6sh.dataplane.port;

/**
 * What one {@link Port#transmit} call hands a port: up to {@link #MAX} frames the graph sent out of
 * its interface in one vector, in order, each a buffer of the engine's {@link BufferPool} with the
 * frame's place in {@link BufferPool#memory} and its length. The engine owns one per interface and
 * reuses it; nothing in it allocates.
 *
 * <p>A frame's place and length are read from the engine's metadata of its buffer, so gathering a
 * vector into bursts costs the engine one store per frame; they are fixed while the port has the
 * call. A port that keeps a frame past the call keeps its place and length too.
 *
 * <p>Who frees the buffers is {@link Port#transmit}'s return value: the engine frees the frames a
 * port is done with on return, the port the others, later (see {@link Port}).
 */
public final class TxBurst {
    /** The most frames a burst holds: a vector. */
    public static final int MAX = 256;

    private final int[] buffer = new int[MAX];
    private final int[] offsets;
    private final int[] lengths;
    private final int[] gsoSizes;
    private final int[] gsoTypes;
    private final int[] gsoPayloads;
    private int count;

    /**
     * The engine's side: a burst over the pool's metadata, where each buffer's frame starts in it
     * ({@code offsets}) and how long it is ({@code lengths}), both indexed by buffer.
     */
    public TxBurst(int[] offsets, int[] lengths) {
        this(offsets, lengths, null, null, null);
    }

    /**
     * As {@link #TxBurst(int[], int[])}, with the pool's metadata of large sends ({@link #gsoSize}):
     * a port that takes them whole ({@link Port#takesLargeSends}) is given them as they are.
     */
    public TxBurst(int[] offsets, int[] lengths, int[] gsoSizes, int[] gsoTypes, int[] gsoPayloads) {
        this.offsets = offsets;
        this.lengths = lengths;
        this.gsoSizes = gsoSizes;
        this.gsoTypes = gsoTypes;
        this.gsoPayloads = gsoPayloads;
    }

    /** Frames in the burst. */
    public int count() {
        return count;
    }

    public int buffer(int k) {
        return buffer[k];
    }

    /** Where frame {@code k} starts in {@link BufferPool#memory} (its buffer's start plus headroom). */
    public long offset(int k) {
        int b = buffer[k];
        return (long) b * BufferPool.BUFFER_SIZE + offsets[b];
    }

    public int length(int k) {
        return lengths[buffer[k]];
    }

    /**
     * Frame {@code k}'s segment size if it is a large send kept whole (only a port that {@link
     * Port#takesLargeSends} is given one), else 0.
     */
    public int gsoSize(int k) {
        return gsoSizes == null ? 0 : gsoSizes[buffer[k]];
    }

    /** A large send's kind: {@link BufferPool#GSO_TCPV4}, {@link BufferPool#GSO_TCPV6} or {@link BufferPool#GSO_UDP_L4}. */
    public int gsoType(int k) {
        return gsoTypes[buffer[k]];
    }

    /** Where a large send's segmented payload starts in {@link BufferPool#memory}: each segment's headers end there. */
    public long gsoPayload(int k) {
        int b = buffer[k];
        return (long) b * BufferPool.BUFFER_SIZE + gsoPayloads[b];
    }

    /** The engine's side: appends the frame in {@code buffer} (interface-output, once per packet). */
    public void add(int buffer) {
        this.buffer[count++] = buffer;
    }

    /** The engine's side: empties the burst once the port has had it. */
    public void clear() {
        count = 0;
    }
}
