package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.port.BufferPool;
import dev.srv6sh.dataplane.port.RxBurst;
import dev.srv6sh.dataplane.port.TxBurst;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Packet memory: one off-heap segment cut into fixed 2 KiB buffers, each with 128 bytes of headroom
 * so that encapsulation prepends headers without moving the payload. A buffer is an int index; its
 * metadata lives in parallel primitive arrays, as VPP keeps vlib_buffer_t fields next to the data.
 * Ports see the memory and the free list as a {@link BufferPool}; the metadata is the graph's.
 *
 * <p>Behind the {@link #count} buffers, {@link #largeCount} large ones ({@link BufferPool#allocateLarge}):
 * each a run of {@value BufferPool#LARGE_RUN} buffers, contiguous, named by its first, so that {@link
 * #at} and every node's header arithmetic hold for it unchanged. A large buffer carries a large send
 * kept whole (GSO: a TCP or UDP packet of up to 64 KiB with the size of the segments it stands for,
 * {@link #gsoSize}); it has a free list of its own, and the small buffers' stays as it was.
 */
final class Buffers implements BufferPool, AutoCloseable {
    static final int SIZE = BufferPool.BUFFER_SIZE;
    static final int HEADROOM = BufferPool.HEADROOM;
    /** A page: the memory can be registered whole with a device (AF_XDP's UMEM wants it page-aligned). */
    private static final long ALIGNMENT = 4096;

    /**
     * Set on packets this router is the source of: echo replies, ICMP errors, ARP and ND messages, and
     * encapsulations, whose outer source is the router. Their hop limit or TTL is the router's own (the
     * rewrite leaves it alone), and no one is told when their neighbor cannot be resolved: the error
     * would be addressed to the router itself.
     */
    static final int ORIGINATED = 1;

    /** Set by End.B6.Encaps(.Red): the End part has already decremented the inner hop limit. */
    static final int BOUND = 2;

    /** With BOUND: push a reduced SRH (End.B6.Encaps.Red) whatever the policy's own mode. */
    static final int BOUND_REDUCED = 4;

    /**
     * Set by the End family on a packet in transit: its hop limit was decremented there, and the rewrite
     * does not decrement it again. The packet is still its sender's (unlike {@link #ORIGINATED}).
     */
    static final int DECREMENTED = 8;

    /** Packets whose hop limit or TTL the rewrite leaves alone: the router's own, or decremented already. */
    static final int HOP_LIMIT_SET = ORIGINATED | DECREMENTED;

    /**
     * A worker's copy of an ARP or NS/NA frame that another worker answers ({@link Workers}): arp-input
     * and ip6-nd learn from it like any other, and answer nothing.
     */
    static final int LEARN_ONLY = RxBurst.LEARN_ONLY;

    /**
     * The answering worker's copy of an ARP or NS/NA frame every worker gets ({@link RxBurst#EVERY_WORKER}):
     * an advertisement for a neighbor this worker does not have is another worker's, not an error.
     */
    static final int EVERY_WORKER = RxBurst.EVERY_WORKER;

    final MemorySegment memory;
    private final Arena arena;
    final int count;
    /** Large buffers (runs of {@value BufferPool#LARGE_RUN}) behind the {@link #count} small ones. */
    final int largeCount;
    /** Offset of the current header from the buffer's start, and the bytes from there on. */
    final int[] offset;

    final int[] length;
    final int[] rxIf;
    final int[] txIf;
    /** The adjacency, policy or SID the last lookup chose. */
    final int[] target;

    final int[] flags;
    /** For ip6-icmp-error: ICMPv6 type << 8 | code, and the Parameter Problem pointer. */
    final int[] icmpTypeCode;

    final int[] icmpPointer;
    /** The FIB table slot the next lookup uses (0: the main table). */
    final int[] table;

    final int[] error;
    /**
     * Set by sr-localsid for the behavior nodes ({@link HeaderChain}): offsets from the IPv6 header of
     * the SRH to process (−1: none) and of the octet naming it, and of the upper-layer header and its
     * protocol number (−1 when the walk stopped at an SRH with segments left).
     */
    final int[] srh;

    final int[] srhNamedAt;
    final int[] upper;
    final int[] upperProtocol;

    /** The number of the packet trace this buffer records into, or −1 (see {@link PacketTracer}). */
    final int[] trace;

    /** When the frame was received (ns since the epoch), as its port was told; 0 when not known. */
    final long[] time;

    /**
     * A large send kept whole ({@link BufferPool#allocateLarge}): the payload of each segment it stands
     * for (0: an ordinary packet), the kind ({@link BufferPool#GSO_TCPV4}, {@link BufferPool#GSO_TCPV6},
     * {@link BufferPool#GSO_UDP_L4}: the transport and the version of the IP header in front of it), and
     * where the segmented payload starts, from the buffer's start: the bytes before it are each
     * segment's headers. An encapsulation prepends and a decapsulation skips headers in front of the
     * payload without moving it, so that place holds through the graph.
     */
    final int[] gsoSize;

    final int[] gsoType;
    final int[] gsoPayload;

    private final int[] free;
    private int freeCount;
    private final int[] largeFree;
    private int largeFreeCount;

    Buffers(int count) {
        this(count, 0);
    }

    /** {@code count} buffers and {@code largeCount} large ones behind them. */
    Buffers(int count, int largeCount) {
        this.count = count;
        this.largeCount = largeCount;
        int total = count + largeCount * BufferPool.LARGE_RUN;
        arena = Arena.ofShared();
        memory = arena.allocate((long) total * SIZE, ALIGNMENT);
        offset = new int[total];
        length = new int[total];
        rxIf = new int[total];
        txIf = new int[total];
        target = new int[total];
        flags = new int[total];
        table = new int[total];
        icmpTypeCode = new int[total];
        icmpPointer = new int[total];
        error = new int[total];
        srh = new int[total];
        srhNamedAt = new int[total];
        upper = new int[total];
        upperProtocol = new int[total];
        trace = new int[total];
        java.util.Arrays.fill(trace, -1); // the metadata is indexed by buffer: a large one's is its first's
        time = new long[total];
        gsoSize = new int[total];
        gsoType = new int[total];
        gsoPayload = new int[total];
        free = new int[count];
        for (int i = 0; i < count; i++) {
            free[i] = count - 1 - i;
        }
        freeCount = count;
        largeFree = new int[largeCount];
        for (int i = 0; i < largeCount; i++) {
            largeFree[i] = count + (largeCount - 1 - i) * BufferPool.LARGE_RUN;
        }
        largeFreeCount = largeCount;
    }

    @Override
    public MemorySegment memory() {
        return memory;
    }

    @Override
    public int count() {
        return count;
    }

    /** Buffers left in the pool. */
    @Override
    public int free() {
        return freeCount;
    }

    /** A fresh buffer (its metadata reset: offset at the headroom, no flags), or -1 when the pool is empty. */
    @Override
    public int allocate() {
        if (freeCount == 0) {
            return -1;
        }
        return fresh(free[--freeCount]);
    }

    @Override
    public boolean hasLargeBuffers() {
        return largeCount > 0;
    }

    /** A fresh large buffer, or -1 when none is left (the caller keeps to small ones). */
    @Override
    public int allocateLarge() {
        if (largeFreeCount == 0) {
            return -1;
        }
        return fresh(largeFree[--largeFreeCount]);
    }

    private int fresh(int b) {
        offset[b] = HEADROOM;
        length[b] = 0;
        flags[b] = 0;
        table[b] = 0;
        error[b] = 0;
        time[b] = 0;
        target[b] = -1;
        trace[b] = -1;
        gsoSize[b] = 0;
        return b;
    }

    /** Large buffers free now. */
    int largeFree() {
        return largeFreeCount;
    }

    /** Whether {@code b} is a large buffer. */
    boolean large(int b) {
        return b >= count;
    }

    /** Bytes from the buffer's start to its end: one buffer's, or a large run's. */
    int capacity(int b) {
        return b >= count ? BufferPool.LARGE_SIZE : SIZE;
    }

    /**
     * The length a packet of {@code len} bytes from its current header has on a wire: itself, or for a
     * large send the largest segment it stands for (each segment's headers and {@link #gsoSize}
     * bytes), which is what an MTU is checked against.
     */
    int wireLength(int b, int len) {
        int size = gsoSize[b];
        if (size == 0) {
            return len;
        }
        return Math.min(len, gsoPayload[b] - offset[b] + size);
    }

    /** A receive burst over this pool's metadata: what a port adds to it lands here. */
    RxBurst rxBurst() {
        return new RxBurst(offset, length, time, flags, gsoSize, gsoType, gsoPayload);
    }

    /** A transmit burst over this pool's metadata. */
    TxBurst txBurst() {
        return new TxBurst(offset, length, gsoSize, gsoType, gsoPayload);
    }

    /**
     * Takes a receive burst from interface {@code ifIndex} into {@code vector}: the frames' place,
     * length and time are in the metadata already ({@link RxBurst#add}); the rest of it is as
     * {@link #allocate} left it, but for the flags a port gave ({@link #LEARN_ONLY}, {@link #EVERY_WORKER}). Returns the
     * frames taken.
     */
    int receive(RxBurst rx, int ifIndex, int[] vector) {
        int n = rx.count();
        for (int k = 0; k < n; k++) {
            int b = rx.buffer(k);
            rxIf[b] = ifIndex;
            vector[k] = b;
        }
        return n;
    }

    @Override
    public void release(int b) {
        if (b < count) {
            free[freeCount++] = b;
        } else {
            largeFree[largeFreeCount++] = b;
        }
    }

    int inUse() {
        return count - freeCount + largeCount - largeFreeCount;
    }

    /** Absolute offset in {@link #memory} of the buffer's current header. */
    long at(int b) {
        return (long) b * SIZE + offset[b];
    }

    /** Room before the current header. */
    int headroom(int b) {
        return offset[b];
    }

    @Override
    public void close() {
        arena.close();
    }
}
