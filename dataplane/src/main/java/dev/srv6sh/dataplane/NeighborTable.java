package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The neighbor table's storage: an open-addressing hash table with linear probing over preallocated
 * primitive arrays (like {@link Lpm}'s host routes), keyed by interface and address, so that the
 * rewrite nodes find a neighbor in one probe and nothing is allocated once the engine runs. IPv4
 * addresses are kept as IPv4-mapped IPv6 keys (::ffff:a.b.c.d), so one table serves ARP and ND.
 *
 * <p>Each entry also heads a FIFO of the buffers held while its address is resolved, linked through
 * a per-buffer array: a queue costs nothing until used and its bound is a count. Removal shifts the
 * following entries back (no tombstones), so a miss always stops at the first free slot. What the
 * states mean and when they change is {@link Neighbors}'s business.
 */
final class NeighborTable {
    /** Entries at most (Linux's gc_thresh3 default); the slots are twice that, so probes stay short. */
    static final int CAPACITY = 1024;

    /** Static neighbors at most, so that learned ones always have room too. */
    static final int STATIC_MAX = CAPACITY / 2;

    private static final int SLOTS = 2 * CAPACITY;
    private static final int MASK = SLOTS - 1;
    static final long V4_MAPPED = 0x0000_ffff_0000_0000L;

    /** Entry states; FREE marks an empty slot. The others are {@link NeighborEntry.State}'s, in its order, from 1. */
    static final int FREE = 0;

    static final int INCOMPLETE = 1;
    static final int REACHABLE = 2;
    static final int STALE = 3;
    static final int DELAY = 4;
    static final int PROBE = 5;
    static final int FAILED = 6;
    static final int PERMANENT = 7;
    /** No timer. */
    static final long NEVER = Long.MAX_VALUE;

    final int[] state = new int[SLOTS];
    final int[] ifIndex = new int[SLOTS];
    final long[] hi = new long[SLOTS];
    final long[] lo = new long[SLOTS];
    final long[] mac = new long[SLOTS];
    /** When the entry was created, confirmed or changed (its age counts from there). */
    final long[] updated = new long[SLOTS];
    /** When its timer fires (retransmit, aging), or {@link #NEVER}. */
    final long[] deadline = new long[SLOTS];
    /** Solicitations sent in the current INCOMPLETE or PROBE round. */
    final int[] probes = new int[SLOTS];
    /** The held-buffer FIFO: first, last, how many. */
    final int[] head = new int[SLOTS];

    final int[] tail = new int[SLOTS];
    final int[] queued = new int[SLOTS];
    /** The buffer after each held buffer in its queue. */
    private final int[] link;

    int count;

    NeighborTable(int buffers) {
        link = new int[buffers];
    }

    static long keyHi(InetAddress a) {
        return a instanceof Inet4Address
                ? 0
                : java.nio.ByteBuffer.wrap(a.getAddress(), 0, 8).getLong();
    }

    static long keyLo(InetAddress a) {
        byte[] b = a.getAddress();
        return a instanceof Inet4Address
                ? V4_MAPPED | (dev.srv6sh.dataplane.config.Addresses.toInt((Inet4Address) a) & 0xffff_ffffL)
                : java.nio.ByteBuffer.wrap(b, 8, 8).getLong();
    }

    static long key4(int ip) {
        return V4_MAPPED | (ip & 0xffff_ffffL);
    }

    static boolean isV4(long hi, long lo) {
        return hi == 0 && (lo & 0xffff_ffff_0000_0000L) == V4_MAPPED;
    }

    private static int home(int ifi, long hi, long lo) {
        long h = (hi * 0x9E3779B97F4A7C15L) ^ (lo * 0xC2B2AE3D27D4EB4FL) ^ ifi;
        return (int) (h ^ (h >>> 31)) & MASK;
    }

    /** The slot of (ifi, keyHi, keyLo), or -1. */
    int find(int ifi, long keyHi, long keyLo) {
        for (int s = home(ifi, keyHi, keyLo); state[s] != FREE; s = (s + 1) & MASK) {
            if (lo[s] == keyLo && hi[s] == keyHi && ifIndex[s] == ifi) {
                return s;
            }
        }
        return -1;
    }

    /**
     * A new entry for (ifi, hi, lo) in {@code initial} state with no MAC, no timer and an empty queue,
     * which must not exist yet; -1 when the table is full and nothing could be evicted.
     */
    int insert(int ifi, long keyHi, long keyLo, int initial) {
        if (count == CAPACITY && !evict()) {
            return -1;
        }
        int s = home(ifi, keyHi, keyLo);
        while (state[s] != FREE) {
            s = (s + 1) & MASK;
        }
        state[s] = initial;
        ifIndex[s] = ifi;
        hi[s] = keyHi;
        lo[s] = keyLo;
        mac[s] = 0;
        deadline[s] = NEVER;
        probes[s] = 0;
        queued[s] = 0;
        count++;
        return s;
    }

    /**
     * Makes room for one entry as Linux's forced garbage collection does: a FAILED entry first, else
     * the STALE one unconfirmed longest. Entries in use (resolving, holding packets, or static) stay.
     */
    private boolean evict() {
        int victim = -1;
        for (int s = 0; s < SLOTS; s++) {
            if (queued[s] == 0 && (state[s] == FAILED || state[s] == STALE)) {
                boolean better = victim < 0
                        || (state[s] == FAILED && state[victim] != FAILED)
                        || (state[s] == state[victim] && updated[s] < updated[victim]);
                if (better) {
                    victim = s;
                }
            }
        }
        if (victim < 0) {
            return false;
        }
        remove(victim);
        return true;
    }

    /** Frees slot {@code s} (its queue must be empty), shifting back the entries probed past it. */
    void remove(int s) {
        int gap = s;
        for (int j = (s + 1) & MASK; state[j] != FREE; j = (j + 1) & MASK) {
            int h = home(ifIndex[j], hi[j], lo[j]);
            // j may move to the gap unless its home lies cyclically in (gap, j]
            boolean stays = gap <= j ? (gap < h && h <= j) : (gap < h || h <= j);
            if (!stays) {
                move(j, gap);
                gap = j;
            }
        }
        state[gap] = FREE;
        count--;
    }

    private void move(int from, int to) {
        state[to] = state[from];
        ifIndex[to] = ifIndex[from];
        hi[to] = hi[from];
        lo[to] = lo[from];
        mac[to] = mac[from];
        updated[to] = updated[from];
        deadline[to] = deadline[from];
        probes[to] = probes[from];
        head[to] = head[from];
        tail[to] = tail[from];
        queued[to] = queued[from];
    }

    /** Appends {@code buf} to slot {@code s}'s queue. */
    void hold(int s, int buf) {
        if (queued[s] == 0) {
            head[s] = buf;
        } else {
            link[tail[s]] = buf;
        }
        tail[s] = buf;
        queued[s]++;
    }

    /** The buffer queued after {@code buf}. */
    int after(int buf) {
        return link[buf];
    }

    /** Takes the oldest buffer off slot {@code s}'s queue (which must not be empty). */
    int release(int s) {
        int buf = head[s];
        head[s] = link[buf];
        queued[s]--;
        return buf;
    }

    int slots() {
        return SLOTS;
    }

    /**
     * Moves every entry to interface {@code remap[ifIndex]} (a new configuration may renumber the
     * interfaces) and drops those mapped to -1, whose queues the caller has emptied, and the static
     * ones, which the new configuration installs again. Allocates: it runs when a configuration is
     * applied, not per packet.
     */
    void reindex(int[] remap) {
        int[] st = state.clone();
        int[] ifs = ifIndex.clone();
        long[] h = hi.clone();
        long[] l = lo.clone();
        long[] m = mac.clone();
        long[] u = updated.clone();
        long[] d = deadline.clone();
        int[] p = probes.clone();
        int[] qh = head.clone();
        int[] qt = tail.clone();
        int[] q = queued.clone();
        java.util.Arrays.fill(state, FREE);
        count = 0;
        for (int s = 0; s < SLOTS; s++) {
            if (st[s] != FREE && st[s] != PERMANENT && remap[ifs[s]] >= 0) {
                int t = insert(remap[ifs[s]], h[s], l[s], st[s]);
                mac[t] = m[s];
                updated[t] = u[s];
                deadline[t] = d[s];
                probes[t] = p[s];
                head[t] = qh[s];
                tail[t] = qt[s];
                queued[t] = q[s];
            }
        }
    }

    /** The entries of {@code t}, by interface (in configuration order), then IPv4 before IPv6, then address. */
    static List<NeighborEntry> snapshot(NeighborTable t, Fib f, long now) {
        List<int[]> slots = new ArrayList<>();
        for (int s = 0; s < t.slots(); s++) {
            if (t.state[s] != NeighborTable.FREE) {
                slots.add(new int[] {s});
            }
        }
        slots.sort(Comparator.<int[]>comparingInt(x -> t.ifIndex[x[0]])
                .thenComparing(x -> NeighborTable.isV4(t.hi[x[0]], t.lo[x[0]]) ? 0 : 1)
                .thenComparing(x -> t.hi[x[0]], Long::compareUnsigned)
                .thenComparing(x -> t.lo[x[0]], Long::compareUnsigned));
        List<NeighborEntry> out = new ArrayList<>();
        for (int[] x : slots) {
            int s = x[0];
            NeighborEntry.State st = NeighborEntry.State.values()[t.state[s] - 1];
            out.add(new NeighborEntry(
                    inet(t.hi[s], t.lo[s]),
                    t.mac[s] == 0 || st == NeighborEntry.State.INCOMPLETE ? null : new MacAddress(t.mac[s]),
                    f.ifNames[t.ifIndex[s]],
                    st,
                    Duration.ofNanos(Math.max(0, now - t.updated[s])),
                    t.queued[s]));
        }
        return List.copyOf(out);
    }

    static InetAddress inet(long hi, long lo) {
        if (NeighborTable.isV4(hi, lo)) {
            return Addresses.v4((int) lo);
        }
        byte[] a = new byte[16];
        for (int i = 0; i < 8; i++) {
            a[i] = (byte) (hi >>> (56 - 8 * i));
            a[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return Addresses.v6(a);
    }

    /** A neighbor key as text. */
    static String address(long hi, long lo) {
        return Addresses.format(inet(hi, lo));
    }
}
