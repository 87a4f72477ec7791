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

    private final int[] free;
    private int freeCount;

    Buffers(int count) {
        this.count = count;
        arena = Arena.ofShared();
        memory = arena.allocate((long) count * SIZE, ALIGNMENT);
        offset = new int[count];
        length = new int[count];
        rxIf = new int[count];
        txIf = new int[count];
        target = new int[count];
        flags = new int[count];
        table = new int[count];
        icmpTypeCode = new int[count];
        icmpPointer = new int[count];
        error = new int[count];
        srh = new int[count];
        srhNamedAt = new int[count];
        upper = new int[count];
        upperProtocol = new int[count];
        trace = new int[count];
        java.util.Arrays.fill(trace, -1);
        time = new long[count];
        free = new int[count];
        for (int i = 0; i < count; i++) {
            free[i] = count - 1 - i;
        }
        freeCount = count;
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
        int b = free[--freeCount];
        offset[b] = HEADROOM;
        length[b] = 0;
        flags[b] = 0;
        table[b] = 0;
        error[b] = 0;
        time[b] = 0;
        target[b] = -1;
        trace[b] = -1;
        return b;
    }

    /** A receive burst over this pool's metadata: what a port adds to it lands here. */
    RxBurst rxBurst() {
        return new RxBurst(offset, length, time, flags);
    }

    /** A transmit burst over this pool's metadata. */
    TxBurst txBurst() {
        return new TxBurst(offset, length);
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
        free[freeCount++] = b;
    }

    int inUse() {
        return count - freeCount;
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
