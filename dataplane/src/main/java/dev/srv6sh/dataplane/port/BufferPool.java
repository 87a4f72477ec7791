package dev.srv6sh.dataplane.port;

import java.lang.foreign.MemorySegment;

/**
 * An engine's packet memory as its ports see it: one off-heap segment cut into {@link #count} fixed
 * buffers of {@link #BUFFER_SIZE} bytes, buffer {@code i} at byte {@code i × BUFFER_SIZE}, and the
 * free list they are taken from. A buffer is an int, as in the graph.
 *
 * <p>The segment is page-aligned and the buffers are power-of-two sized, so it can be registered
 * whole with a device that writes into it (AF_XDP's UMEM, 2 KiB chunks) and a buffer found again from
 * the address the device returns ({@code address / BUFFER_SIZE}).
 *
 * <p>Every method belongs to the engine's thread, called during the port's own {@link Port} calls or
 * between polls; none allocates. {@link #allocate} hands out a buffer whose engine metadata is fresh,
 * so what a port frees needs no cleaning first.
 */
public interface BufferPool {
    /** Bytes in a buffer. */
    int BUFFER_SIZE = 2048;

    /**
     * Bytes kept in front of a received frame, so that an encapsulation prepends its headers without
     * moving the payload.
     */
    int HEADROOM = 128;

    /** The largest frame a buffer holds at {@link #HEADROOM}. */
    int MAX_FRAME = BUFFER_SIZE - HEADROOM;

    /** Buffers in a large one ({@link #allocateLarge}): 66 KiB, a 64 KiB IP packet with its frame and headroom. */
    int LARGE_RUN = 33;

    /** Bytes in a large buffer. */
    int LARGE_SIZE = LARGE_RUN * BUFFER_SIZE;

    /** The largest frame a large buffer holds at {@link #HEADROOM}. */
    int MAX_LARGE_FRAME = LARGE_SIZE - HEADROOM;

    /**
     * The kinds of large send a large buffer carries whole ({@code virtio_net_hdr}'s numbers): TCP
     * whose IP header is IPv4, TCP over IPv6, UDP cut into datagrams (either version).
     */
    int GSO_TCPV4 = 1;

    int GSO_TCPV6 = 4;
    int GSO_UDP_L4 = 5;

    /** Where a frame received into {@code buffer} at the standard headroom starts in {@link #memory}. */
    static long frameOffset(int buffer) {
        return (long) buffer * BUFFER_SIZE + HEADROOM;
    }

    /** All the buffers, page-aligned: {@code count() × BUFFER_SIZE} bytes, then the large buffers, if any. */
    MemorySegment memory();

    /** How many (small) buffers the pool has. */
    int count();

    /** Small buffers free now. */
    int free();

    /** A free buffer, now the caller's; -1 when none is left (a port counts that as rx no-buffer). */
    int allocate();

    /**
     * A free large buffer ({@link #LARGE_SIZE} bytes, contiguous, named like any buffer by its first),
     * for a large send kept whole; -1 when none is left or the pool has none (the caller cuts the send
     * into segments in small buffers instead).
     */
    default int allocateLarge() {
        return -1;
    }

    /**
     * Whether the pool has large buffers at all: a port on one without (the netns link daemon's)
     * never holds a large send, so it needs nothing to send one whole.
     */
    default boolean hasLargeBuffers() {
        return false;
    }

    /** Gives a buffer the caller owns (small or large) back to the pool. */
    void release(int buffer);
}
