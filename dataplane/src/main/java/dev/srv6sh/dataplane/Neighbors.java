package dev.srv6sh.dataplane;

import static dev.srv6sh.dataplane.NeighborTable.DELAY;
import static dev.srv6sh.dataplane.NeighborTable.FAILED;
import static dev.srv6sh.dataplane.NeighborTable.FREE;
import static dev.srv6sh.dataplane.NeighborTable.INCOMPLETE;
import static dev.srv6sh.dataplane.NeighborTable.NEVER;
import static dev.srv6sh.dataplane.NeighborTable.PERMANENT;
import static dev.srv6sh.dataplane.NeighborTable.PROBE;
import static dev.srv6sh.dataplane.NeighborTable.REACHABLE;
import static dev.srv6sh.dataplane.NeighborTable.STALE;

import java.util.SplittableRandom;

/**
 * Address resolution: RFC 4861 §7.3's neighbor states for IPv6 Neighbor Discovery, and the same
 * machine for ARP (RFC 826), as Linux runs both. A packet to a neighbor without an address makes an
 * INCOMPLETE entry that solicits it (multicast NS / broadcast ARP request) and holds the packet; an
 * answer records the MAC (REACHABLE when it was solicited, else STALE) and sends what was held. A
 * REACHABLE entry goes STALE after ReachableTime; using a STALE one starts DELAY, which becomes PROBE
 * (unicast solicitations) unless something confirms it first. Unanswered solicitations end in FAILED:
 * what was held is dropped, with ICMPv6 Address Unreachable (or ICMPv4 Host Unreachable) to its
 * source, and the next packet starts over. Static neighbors are PERMANENT: they never age, and what
 * the wire says about them is ignored.
 *
 * <p>Everything reads the engine's {@link Clock}; timers are deadlines per entry, with the earliest
 * in {@link #nextDeadline}, which {@link Engine#poll} compares with the clock before each poll (and
 * {@link Engine#runTimers} for an event loop with no traffic). Nothing here allocates per packet.
 */
final class Neighbors {
    /** RFC 4861 §10: RETRANS_TIMER, REACHABLE_TIME, DELAY_FIRST_PROBE_TIME, MAX_*_SOLICIT. */
    static final long RETRANS_TIMER = 1_000_000_000L;

    static final long BASE_REACHABLE_TIME = 30_000_000_000L;
    static final long DELAY_FIRST_PROBE_TIME = 5_000_000_000L;
    static final int MAX_MULTICAST_SOLICIT = 3;
    static final int MAX_UNICAST_SOLICIT = 3;
    /**
     * Packets held per unresolved neighbor: a whole vector, so that a burst to a new next hop waits for
     * one answer (Linux holds about 100). On overflow the oldest is dropped (RFC 4861 §7.2.2).
     */
    static final int QUEUE = Engine.VECTOR;

    /** Packets held over all neighbors: a quarter of the buffers, so that waiting never starves reception. */
    static final int HELD_MAX = Engine.POOL / 4;

    /** RFC 4861 §6.3.2: ReachableTime is redrawn "at least every few hours". */
    private static final long REDRAW = 2 * 3600 * 1_000_000_000L;

    final NeighborTable table = new NeighborTable(Engine.BUFFER_IDS); // indexed by buffer: large ones too
    private final Engine engine;
    private final Clock clock;
    private final SplittableRandom random;
    private final NeighborOutput output;
    private long reachableTime;
    private long drawnAt;
    /** The earliest deadline of any entry, or {@link NeighborTable#NEVER}; may be early, never late. */
    long nextDeadline = NEVER;
    /** Packets held now, over all entries. */
    int held;
    /** Answers sent (ARP replies, NAs), and ARP/ND messages the router took in and used. */
    long answers;

    long consumed;

    Neighbors(Engine engine, Clock clock, long seed) {
        this.engine = engine;
        this.clock = clock;
        this.random = new SplittableRandom(seed);
        this.output = new NeighborOutput(engine);
        draw(clock.nanos());
    }

    long solicitations() {
        return output.solicitations;
    }

    /** RFC 4861 §6.3.2: uniformly between 0.5 and 1.5 times BaseReachableTime. */
    private void draw(long now) {
        reachableTime = (long) (BASE_REACHABLE_TIME * (0.5 + random.nextDouble()));
        drawnAt = now;
    }

    long reachableTime() {
        return reachableTime;
    }

    private void schedule(int s, long at) {
        table.deadline[s] = at;
        if (at < nextDeadline) {
            nextDeadline = at;
        }
    }

    private void reachable(int s, long now) {
        table.state[s] = REACHABLE;
        table.updated[s] = now;
        table.probes[s] = 0;
        schedule(s, now + reachableTime);
    }

    private void stale(int s, long now) {
        table.state[s] = STALE;
        table.updated[s] = now;
        table.probes[s] = 0;
        table.deadline[s] = NEVER;
    }

    /**
     * The rewrite nodes' one probe: the MAC of (ifi, hi, lo) when its entry can be sent to, else 0.
     * Sending to a STALE entry starts DELAY (RFC 4861 §7.3.3), the only case that reads the clock.
     */
    long usable(int ifi, long hi, long lo) {
        int s = table.find(ifi, hi, lo);
        if (s < 0) {
            return 0;
        }
        int st = table.state[s];
        if (st == STALE) {
            table.state[s] = DELAY;
            schedule(s, clock.nanos() + DELAY_FIRST_PROBE_TIME);
        }
        return (st >= REACHABLE && st <= PROBE) || st == PERMANENT ? table.mac[s] : 0;
    }

    /**
     * A packet the rewrite found no usable entry for (ip4-glean, ip6-glean): sent if the entry was
     * resolved meanwhile, else held, its entry created and solicited if need be. Returns the node the
     * packet goes to, or -1 when held.
     */
    int glean(Node node, Fib f, Buffers b, int buf, int ifi, long hi, long lo) {
        long mac = usable(ifi, hi, lo);
        if (mac != 0) {
            NeighborOutput.push(f, b, buf, ifi, mac);
            return Node.INTERFACE_OUTPUT;
        }
        int s = table.find(ifi, hi, lo);
        if (s < 0 || table.state[s] == FAILED) {
            if (s < 0 && (s = table.insert(ifi, hi, lo, INCOMPLETE)) < 0) {
                return node.drop(b, buf, Glean.Error.TABLE_FULL);
            }
            long now = clock.nanos();
            output.timeBase(b.time[buf], now);
            table.state[s] = INCOMPLETE;
            table.updated[s] = now;
            table.probes[s] = 1;
            output.solicit(f, table, s, false, b.time[buf]);
            schedule(s, now + RETRANS_TIMER);
        }
        if (held >= HELD_MAX) {
            return node.drop(b, buf, Glean.Error.HELD_LIMIT);
        }
        if (table.queued[s] == QUEUE) {
            int oldest = table.release(s);
            held--;
            engine.enqueue(node.drop(b, oldest, Glean.Error.QUEUE_OVERFLOW), oldest);
        }
        table.hold(s, buf);
        held++;
        return -1;
    }

    /** What became of an advertisement (an NA, or an ARP reply to this router). */
    enum Heard {
        USED,
        NO_ENTRY,
        STATIC
    }

    /**
     * An NA for (ifi, hi, lo) with target link-layer address {@code lla} (-1: none), as RFC 4861
     * §7.2.5 processes it; an ARP reply unicast to this router comes here as solicited and override.
     */
    Heard advertised(Fib f, int ifi, long hi, long lo, long lla, boolean solicited, boolean override) {
        int s = table.find(ifi, hi, lo);
        if (s < 0) {
            return Heard.NO_ENTRY; // no entry: silently discarded, none is created (§7.2.5)
        }
        int st = table.state[s];
        if (st == PERMANENT) {
            return Heard.STATIC;
        }
        long now = clock.nanos();
        if (st == INCOMPLETE || st == FAILED) {
            if (lla >= 0) {
                table.mac[s] = lla;
                if (solicited) {
                    reachable(s, now);
                } else {
                    stale(s, now);
                }
                flush(f, s, now);
            }
            return Heard.USED;
        }
        boolean differs = lla >= 0 && lla != table.mac[s];
        if (!override && differs) {
            if (st == REACHABLE) {
                stale(s, table.updated[s]); // the address is in doubt; its age is not reset
            }
            return Heard.USED;
        }
        if (differs) {
            table.mac[s] = lla;
        }
        if (solicited) {
            reachable(s, now);
        } else if (differs) {
            stale(s, now);
        }
        return Heard.USED;
    }

    /**
     * A solicitation with a source link-layer address (an NS with SLLAO, an ARP request, or any ARP
     * message's sender, RFC 826's merge): updates an entry, or creates a STALE one when {@code create}
     * (the message was for this router), as RFC 4861 §7.2.3 says. Returns whether an entry holds it.
     */
    boolean heard(Fib f, int ifi, long hi, long lo, long lla, boolean create) {
        int s = table.find(ifi, hi, lo);
        long now = clock.nanos();
        if (s < 0) {
            if (!create || (s = table.insert(ifi, hi, lo, STALE)) < 0) {
                return false;
            }
            table.mac[s] = lla;
            stale(s, now);
            return true;
        }
        int st = table.state[s];
        if (st == INCOMPLETE || st == FAILED) {
            table.mac[s] = lla;
            stale(s, now);
            flush(f, s, now);
        } else if (st != PERMANENT && lla != table.mac[s]) {
            table.mac[s] = lla;
            stale(s, now);
        }
        return true;
    }

    /** Sends what slot {@code s} held to its MAC, in order; sending to a STALE entry starts DELAY. */
    private void flush(Fib f, int s, long now) {
        if (table.queued[s] == 0) {
            return;
        }
        Buffers b = engine.buffers();
        while (table.queued[s] > 0) {
            int buf = table.release(s);
            held--;
            NeighborOutput.push(f, b, buf, table.ifIndex[s], table.mac[s]);
            engine.enqueue(Node.INTERFACE_OUTPUT, buf);
        }
        if (table.state[s] == STALE) {
            table.state[s] = DELAY;
            schedule(s, now + DELAY_FIRST_PROBE_TIME);
        }
    }

    /** Runs the timers due at {@code now} and recomputes the next deadline. */
    void expire(Fib f, long now) {
        if (now - drawnAt > REDRAW) {
            draw(now);
        }
        long next = NEVER;
        for (int s = 0; s < table.slots(); s++) {
            if (table.state[s] == FREE) {
                continue;
            }
            if (table.deadline[s] <= now) {
                fire(f, s, now);
            }
            next = Math.min(next, table.deadline[s]);
        }
        nextDeadline = next;
    }

    private void fire(Fib f, int s, long now) {
        long stamp = output.stamp(now);
        switch (table.state[s]) {
            case INCOMPLETE -> {
                if (table.probes[s] < MAX_MULTICAST_SOLICIT) {
                    table.probes[s]++;
                    output.solicit(f, table, s, false, stamp);
                    table.deadline[s] = now + RETRANS_TIMER;
                } else {
                    fail(s, now);
                }
            }
            case REACHABLE -> stale(s, table.updated[s]);
            case DELAY -> {
                table.state[s] = PROBE;
                table.probes[s] = 1;
                output.solicit(f, table, s, true, stamp);
                table.deadline[s] = now + RETRANS_TIMER;
            }
            case PROBE -> {
                if (table.probes[s] < MAX_UNICAST_SOLICIT) {
                    table.probes[s]++;
                    output.solicit(f, table, s, true, stamp);
                    table.deadline[s] = now + RETRANS_TIMER;
                } else {
                    fail(s, now);
                }
            }
            default -> table.deadline[s] = NEVER;
        }
    }

    /** No answer: FAILED, and each held packet dropped with an ICMP error to its source (§7.2.2). */
    private void fail(int s, long now) {
        table.state[s] = FAILED;
        table.updated[s] = now;
        table.probes[s] = 0;
        table.deadline[s] = NEVER;
        Buffers b = engine.buffers();
        while (table.queued[s] > 0) {
            int buf = table.release(s);
            held--;
            engine.enqueue(output.unreachable(b, buf), buf);
        }
    }

    /**
     * A new configuration: entries follow their interface by name (dropping what an interface that is
     * gone held), the old static entries go, and the new ones are installed, sending what waited for
     * them. Call {@link Engine}'s graph afterwards for the packets this enqueued.
     */
    void apply(Fib old, Fib f) {
        long now = clock.nanos();
        Buffers b = engine.buffers();
        if (old != null) {
            int[] remap = new int[old.ifNames.length];
            for (int i = 0; i < remap.length; i++) {
                remap[i] = f.ifIndex(old.ifNames[i]);
            }
            for (int s = 0; s < table.slots(); s++) {
                if (table.state[s] == FREE || table.queued[s] == 0) {
                    continue;
                }
                int to = remap[table.ifIndex[s]];
                if (to < 0) {
                    while (table.queued[s] > 0) {
                        int buf = table.release(s);
                        held--;
                        engine.enqueue(output.gone(b, buf), buf);
                    }
                    continue;
                }
                // an ICMP error about a held packet comes from the interface it arrived on, renumbered too
                int buf = table.head[s];
                for (int i = 0; i < table.queued[s]; i++, buf = table.after(buf)) {
                    int rx = b.rxIf[buf] < remap.length ? remap[b.rxIf[buf]] : -1;
                    b.rxIf[buf] = rx >= 0 ? rx : to;
                }
            }
            table.reindex(remap);
        }
        for (int k = 0; k < f.staticIf.length; k++) {
            int s = table.find(f.staticIf[k], f.staticHi[k], f.staticLo[k]);
            if (s < 0) {
                s = table.insert(f.staticIf[k], f.staticHi[k], f.staticLo[k], PERMANENT);
            }
            if (s < 0) {
                continue; // every slot resolving or holding: the adjacency carries the MAC anyway
            }
            table.state[s] = PERMANENT;
            table.mac[s] = f.staticMac[k];
            table.updated[s] = now;
            table.probes[s] = 0;
            table.deadline[s] = NEVER;
            flush(f, s, now);
        }
        long next = NEVER;
        for (int s = 0; s < table.slots(); s++) {
            if (table.state[s] != FREE) {
                next = Math.min(next, table.deadline[s]);
            }
        }
        nextDeadline = next;
    }
}
