package dev.srv6sh.dataplane.port.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.srv6sh.dataplane.port.BufferPool;
import dev.srv6sh.dataplane.port.PortCounters;
import dev.srv6sh.dataplane.port.RxBurst;
import dev.srv6sh.dataplane.proto.Bytes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * A worker's second AF_PACKET socket on a device, when the router runs several workers ({@link
 * Fanout}): it takes only the ARP and NS/NA frames the device receives ({@link Bpf#RESOLUTION}),
 * which the workers' fanout sockets refuse, so that every worker's neighbor table hears every answer
 * (the worker that solicited a neighbor is the one whose held packets wait for it). Its frames are
 * handed to the engine flagged ({@link Fanout#resolutionFlags}) and counted in its port's counters.
 *
 * <p>A small {@code TPACKET_V2} receive ring ({@value #SLOTS} slots), read without a system call per
 * poll: neighbor discovery is a few frames a second. No virtio_net_hdr (ARP and ND are never offloaded
 * by the sender), no transmit ring (the worker answers through its fanout socket).
 */
final class ResolutionSocket {
    static final int BLOCK_SIZE = 64 * 1024;
    static final int BLOCKS = 2;
    static final int FRAME_SIZE = 2048;
    static final int SLOTS = BLOCK_SIZE / FRAME_SIZE * BLOCKS;

    /** tpacket2_hdr: status, len, snaplen, mac, net, sec, nsec, vlan_tci, vlan_tpid; then sockaddr_ll. */
    private static final int STATUS = 0;

    private static final int LEN = 4;
    private static final int SNAPLEN = 8;
    private static final int MAC = 12;
    private static final int SEC = 16;
    private static final int NSEC = 20;
    private static final int VLAN_TCI = 24;
    private static final int VLAN_TPID = 26;
    private static final int HEADER = 32;

    private static final VarHandle INT = JAVA_INT.varHandle();

    private final Libc libc;
    private final int fd;
    private final long ringAddress;
    private final MemorySegment ring;
    private final int flags;
    private int head;

    private ResolutionSocket(Libc libc, int fd, long ringAddress, MemorySegment ring, int flags) {
        this.libc = libc;
        this.fd = fd;
        this.ringAddress = ringAddress;
        this.ring = ring;
        this.flags = flags;
    }

    /**
     * Opens it on the device of index {@code ifindex}, its frames flagged {@code flags}; the memory
     * its ring is seen through lives in {@code arena} (the port's).
     */
    @SuppressWarnings("restricted") // the ring, mapped by mmap: its size is the kernel's
    static ResolutionSocket open(Libc libc, Arena arena, int ifindex, int flags) throws ErrnoException {
        int fd = libc.socket(AfPacketPort.AF_PACKET, AfPacketPort.SOCK_RAW | AfPacketPort.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new ErrnoException("cannot open its resolution socket", libc.error(), null);
        }
        long size = (long) BLOCK_SIZE * BLOCKS;
        long address = -1;
        boolean opened = false;
        try {
            MemorySegment scratch = arena.allocate(32, 8);
            if (libc.setsockopt(
                            fd, AfPacketPort.SOL_PACKET, AfPacketPort.PACKET_VERSION, AfPacketPort.TPACKET_V2, scratch)
                    < 0) {
                throw new ErrnoException("cannot set its resolution socket's PACKET_VERSION", libc.error(), null);
            }
            scratch.fill((byte) 0);
            scratch.set(JAVA_INT, 0, BLOCK_SIZE);
            scratch.set(JAVA_INT, 4, BLOCKS);
            scratch.set(JAVA_INT, 8, FRAME_SIZE);
            scratch.set(JAVA_INT, 12, SLOTS);
            if (libc.setsockopt(fd, AfPacketPort.SOL_PACKET, AfPacketPort.PACKET_RX_RING, scratch, 16) < 0) {
                throw new ErrnoException("cannot set up its resolution socket's ring", libc.error(), null);
            }
            address = libc.mmap(
                    size, AfPacketPort.PROT_READ_WRITE, AfPacketPort.MAP_SHARED | AfPacketPort.MAP_POPULATE, fd, 0);
            if (address == -1) {
                throw new ErrnoException("cannot map its resolution socket's ring (mmap)", libc.error(), null);
            }
            libc.setsockopt(fd, AfPacketPort.SOL_PACKET, AfPacketPort.PACKET_IGNORE_OUTGOING, 1, scratch);
            Bpf.attach(libc, fd, Bpf.RESOLUTION, "ARP and NS/NA");
            AfPacketPort.bind(libc, arena, fd, ifindex);
            ResolutionSocket s = new ResolutionSocket(
                    libc, fd, address, MemorySegment.ofAddress(address).reinterpret(size, arena, null), flags);
            opened = true;
            return s;
        } finally {
            if (!opened) {
                if (address != -1) {
                    libc.munmap(address, size);
                }
                libc.close(fd);
            }
        }
    }

    int fd() {
        return fd;
    }

    /** Whether a frame waits. */
    boolean ready() {
        return ((int) INT.getAcquire(ring, (long) head * FRAME_SIZE + STATUS) & AfPacketPort.TP_STATUS_USER) != 0;
    }

    /** Frames waiting, for a port's {@code framesWaiting}. */
    int waiting() {
        int n = 0;
        for (int s = head; n < SLOTS; s = s + 1 == SLOTS ? 0 : s + 1) {
            if (((int) INT.getAcquire(ring, (long) s * FRAME_SIZE + STATUS) & AfPacketPort.TP_STATUS_USER) == 0) {
                break;
            }
            n++;
        }
        return n;
    }

    /** Adds the frames waiting to {@code rx} (as room allows), each a copy in a buffer of {@code pool}. */
    void receive(RxBurst rx, BufferPool pool, PortCounters counters) {
        MemorySegment memory = pool.memory();
        while (rx.room() > 0 && ready()) {
            long p = (long) head * FRAME_SIZE;
            int status = ring.get(JAVA_INT, p + STATUS);
            int snap = ring.get(JAVA_INT, p + SNAPLEN);
            int mac = ring.get(JAVA_SHORT, p + MAC) & 0xffff;
            boolean tagged = (status & AfPacketPort.TP_STATUS_VLAN_VALID) != 0;
            int length = snap + (tagged ? 4 : 0);
            if (ring.get(JAVA_BYTE, p + HEADER + AfPacketPort.SLL_PKTTYPE) == AfPacketPort.PACKET_OUTGOING) {
                release(); // a kernel before PACKET_IGNORE_OUTGOING (the filter refuses them too)
                continue;
            }
            int buf = snap != ring.get(JAVA_INT, p + LEN) || snap < 14 || length > BufferPool.MAX_FRAME
                    ? -1
                    : pool.allocate();
            if (buf < 0) {
                counters.noBuffer();
                release();
                continue;
            }
            long at = BufferPool.frameOffset(buf);
            if (tagged) {
                int tpid = (status & AfPacketPort.TP_STATUS_VLAN_TPID_VALID) != 0
                        ? ring.get(JAVA_SHORT, p + VLAN_TPID) & 0xffff
                        : 0x8100;
                MemorySegment.copy(ring, p + mac, memory, at, 12);
                Bytes.u32(memory, at + 12, tpid << 16 | (ring.get(JAVA_SHORT, p + VLAN_TCI) & 0xffff));
                MemorySegment.copy(ring, p + mac + 12, memory, at + 16, snap - 12);
            } else {
                MemorySegment.copy(ring, p + mac, memory, at, snap);
            }
            long time = (ring.get(JAVA_INT, p + SEC) & 0xffff_ffffL) * 1_000_000_000L
                    + (ring.get(JAVA_INT, p + NSEC) & 0xffff_ffffL);
            release();
            rx.add(buf, BufferPool.HEADROOM, length, time, flags);
            counters.received(length);
        }
    }

    /** Drops what waits (the interface left the configuration), counting each as rx no-buffer. */
    void drain(PortCounters counters) {
        while (ready()) {
            counters.noBuffer();
            release();
        }
    }

    private void release() {
        INT.setRelease(ring, (long) head * FRAME_SIZE + STATUS, AfPacketPort.TP_STATUS_KERNEL);
        head = head + 1 == SLOTS ? 0 : head + 1;
    }

    void close() {
        libc.close(fd);
        libc.munmap(ringAddress, (long) BLOCK_SIZE * BLOCKS);
    }
}
