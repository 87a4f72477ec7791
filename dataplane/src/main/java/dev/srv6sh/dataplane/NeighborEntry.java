package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One entry of a router's neighbor table as {@code show neighbors} prints it ({@link
 * Engine#neighbors}): the neighbor's address, its MAC (null while unknown), the interface, the state
 * (RFC 4861 §7.3.2's, plus Linux's FAILED and PERMANENT for static entries), the time since the entry
 * was created, confirmed or changed, and the packets held for it.
 */
public record NeighborEntry(InetAddress address, MacAddress mac, String iface, State state, Duration age, int held) {

    public enum State {
        INCOMPLETE,
        REACHABLE,
        STALE,
        DELAY,
        PROBE,
        /** The last resolution got no answer; the next packet starts another (Linux keeps such entries). */
        FAILED,
        /** A static neighbor of the configuration: never aged, never overridden. */
        PERMANENT;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
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
            State st = State.values()[t.state[s] - 1];
            out.add(new NeighborEntry(
                    inet(t.hi[s], t.lo[s]),
                    t.mac[s] == 0 || st == State.INCOMPLETE ? null : new MacAddress(t.mac[s]),
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

    /** The table {@code show neighbors} prints: address, MAC, interface, state, age, held packets. */
    public static String render(List<NeighborEntry> entries) {
        if (entries.isEmpty()) {
            return "no neighbors\n";
        }
        StringBuilder sb = new StringBuilder(String.format(
                "%-28s %-17s %-10s %-10s %10s %5s%n", "address", "mac", "interface", "state", "age", "held"));
        for (NeighborEntry e : entries) {
            sb.append(String.format(
                    "%-28s %-17s %-10s %-10s %10s %5d%n",
                    Addresses.format(e.address()),
                    e.mac() == null ? "-" : e.mac().toString(),
                    e.iface(),
                    e.state().text(),
                    age(e.age()),
                    e.held()));
        }
        return sb.toString();
    }

    /** An age as people read it: 850ms, 12.3s, 4m05s, 2h10m. */
    static String age(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
