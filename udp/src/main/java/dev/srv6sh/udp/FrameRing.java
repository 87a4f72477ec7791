package dev.srv6sh.udp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * A bounded ring of frame copies between two threads, one producer and one consumer: the udp port's
 * way across from Netty's event loop to the engine's thread (frames received) and back (frames to
 * send). Each slot holds one frame of up to {@link #SLOT} bytes in off-heap memory, with its length
 * and time; the producer writes slots past {@link #tail} and publishes them by moving it (a release
 * store), the consumer reads slots from {@link #head} and frees them by moving that. Nothing
 * allocates once it is made: the engine's side copies with {@link MemorySegment#copy}, Netty's side
 * through {@link #view}, a {@link ByteBuffer} over the same memory that only Netty's thread uses.
 *
 * <p>Copies rather than the engine's own buffers, because the engine's pool belongs to the engine's
 * thread: Netty's thread cannot take a buffer from it, and buffers posted to it in advance would sit
 * idle, counted as the port's, on every quiet interface.
 */
final class FrameRing {
    /** Bytes in a slot: an engine buffer's worth. */
    static final int SLOT = 2048;

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(FrameRing.class, "head", long.class);
            TAIL = l.findVarHandle(FrameRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int mask;
    private final MemorySegment data;
    private final ByteBuffer view;
    private final int[] lengths;
    private final long[] times;

    @SuppressWarnings("unused") // through HEAD
    private long head;

    @SuppressWarnings("unused") // through TAIL
    private long tail;

    /** A ring of {@code slots} slots (a power of two) in {@code arena}, which both threads may use. */
    FrameRing(Arena arena, int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots " + slots + " is not a power of two");
        }
        this.mask = slots - 1;
        this.data = arena.allocate((long) slots * SLOT, 64);
        this.view = data.asByteBuffer();
        this.lengths = new int[slots];
        this.times = new long[slots];
    }

    int slots() {
        return mask + 1;
    }

    /** The next sequence number the consumer reads, as the producer sees it (acquire). */
    long head() {
        return (long) HEAD.getAcquire(this);
    }

    /** The consumer is done with every slot before {@code sequence} (release). */
    void head(long sequence) {
        HEAD.setRelease(this, sequence);
    }

    /** The sequence number past the last frame published, as the consumer sees it (acquire). */
    long tail() {
        return (long) TAIL.getAcquire(this);
    }

    /** The producer has written every slot before {@code sequence} (release). */
    void tail(long sequence) {
        TAIL.setRelease(this, sequence);
    }

    /** The memory every slot is in. */
    MemorySegment data() {
        return data;
    }

    /** Where slot {@code sequence}'s frame starts in {@link #data}. */
    long offset(long sequence) {
        return (sequence & mask) * (long) SLOT;
    }

    int length(long sequence) {
        return lengths[(int) (sequence & mask)];
    }

    long time(long sequence) {
        return times[(int) (sequence & mask)];
    }

    /** The producer's side: slot {@code sequence} holds a frame of {@code length} bytes from {@code time}. */
    void filled(long sequence, int length, long time) {
        lengths[(int) (sequence & mask)] = length;
        times[(int) (sequence & mask)] = time;
    }

    /**
     * Netty's side: the buffer over slot {@code sequence}'s first {@code length} bytes (position to
     * limit). One object, reused: only one thread may use it.
     */
    ByteBuffer view(long sequence, int length) {
        int at = (int) offset(sequence);
        view.clear();
        view.position(at);
        view.limit(at + length);
        return view;
    }
}
