package dev.srv6sh.dataplane.port.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which worker of a router's data plane an {@link AfPacketPort} belongs to, when the router runs
 * several ({@code srv6sh router --workers N}): each worker is an engine of its own, on its own
 * thread, with its own socket on every device, and the kernel spreads a device's frames over the
 * workers' sockets by a hash of the flow, so that a flow stays on one worker and in order.
 *
 * <ul>
 *   <li>The workers' sockets on a device join one {@code PACKET_FANOUT} group, {@code
 *       PACKET_FANOUT_HASH} with {@code PACKET_FANOUT_FLAG_DEFRAG} (the fragments of a datagram hash
 *       alike), without rollover: a worker whose ring is full drops, as one NIC queue would, rather
 *       than send a flow's packets to another worker out of order. The group's id is the kernel's
 *       ({@code PACKET_FANOUT_FLAG_UNIQUEID} for the device's first socket), so that no other process,
 *       nor another device, shares it; the others join that id.
 *   <li>ARP and NS/NA are not hashed to one worker: every worker's neighbor table must hear the
 *       answer to the solicitation it sent. The fanout sockets refuse them ({@link
 *       Bpf#ALL_BUT_RESOLUTION}) and each worker has a second socket on the device that takes only them
 *       ({@link Bpf#RESOLUTION}, {@link ResolutionSocket}). Worker 0 answers them ({@code
 *       RxBurst.EVERY_WORKER}), the others learn from their copy ({@code RxBurst.LEARN_ONLY}).
 * </ul>
 *
 * One {@code Fanout} per worker, made together by {@link #workers}: they share the devices' group ids.
 * With one worker nothing of this is done: a port is as it always was.
 */
public final class Fanout {
    // <linux/if_packet.h>
    static final int PACKET_FANOUT = 18;
    static final int PACKET_FANOUT_HASH = 0;
    static final int PACKET_FANOUT_FLAG_UNIQUEID = 0x2000;
    static final int PACKET_FANOUT_FLAG_DEFRAG = 0x8000;
    private static final int MODE = PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_DEFRAG;

    /** The most workers a router runs. */
    public static final int MAX_WORKERS = 64;

    private final int worker;
    private final int workers;
    /** Each device's group id, shared by the workers' fanouts (guarded by itself). */
    private final Map<String, Integer> groups;

    private Fanout(int worker, int workers, Map<String, Integer> groups) {
        this.worker = worker;
        this.workers = workers;
        this.groups = groups;
    }

    /** One fanout per worker of a router that runs {@code count} (1 to {@value #MAX_WORKERS}). */
    public static List<Fanout> workers(int count) {
        if (count < 1 || count > MAX_WORKERS) {
            throw new IllegalArgumentException("workers: 1 to " + MAX_WORKERS + ", not " + count);
        }
        Map<String, Integer> groups = new HashMap<>();
        List<Fanout> all = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            all.add(new Fanout(w, count, groups));
        }
        return List.copyOf(all);
    }

    /** This worker's number, from 0. */
    public int worker() {
        return worker;
    }

    /** How many workers the router runs. */
    public int workers() {
        return workers;
    }

    /** Whether ports spread frames at all: more than one worker. */
    boolean spreads() {
        return workers > 1;
    }

    /**
     * The flags each frame of this worker's resolution socket gets: worker 0 answers (and an NA it has
     * no entry for is another worker's), the others learn.
     */
    int resolutionFlags() {
        return worker == 0
                ? dev.srv6sh.dataplane.port.RxBurst.EVERY_WORKER
                : dev.srv6sh.dataplane.port.RxBurst.LEARN_ONLY;
    }

    /**
     * Puts bound socket {@code fd} on {@code device} in the device's group: the id the workers' first
     * socket there got from the kernel, or a new one. Returns the group's id.
     */
    int join(Libc libc, int fd, String device) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment scratch = a.allocate(8, 4);
            synchronized (groups) {
                Integer id = groups.get(device);
                if (id != null
                        && libc.setsockopt(fd, AfPacketPort.SOL_PACKET, PACKET_FANOUT, id | MODE << 16, scratch) == 0) {
                    return id;
                }
                // the device's first socket; or its group is gone (every socket of it closed) and its id
                // is another device's now: a new one
                if (libc.setsockopt(
                                fd,
                                AfPacketPort.SOL_PACKET,
                                PACKET_FANOUT,
                                (MODE | PACKET_FANOUT_FLAG_UNIQUEID) << 16,
                                scratch)
                        < 0) {
                    throw new ErrnoException("cannot join a PACKET_FANOUT group", libc.error(), null);
                }
                MemorySegment length = a.allocate(4, 4);
                length.set(ValueLayout.JAVA_INT, 0, 4);
                if (libc.getsockopt(fd, AfPacketPort.SOL_PACKET, PACKET_FANOUT, scratch, length) < 0) {
                    throw new ErrnoException("cannot read its PACKET_FANOUT group", libc.error(), null);
                }
                int got = scratch.get(ValueLayout.JAVA_INT, 0) & 0xffff;
                groups.put(device, got);
                return got;
            }
        }
    }

    @Override
    public String toString() {
        return "worker " + worker + " of " + workers;
    }
}
