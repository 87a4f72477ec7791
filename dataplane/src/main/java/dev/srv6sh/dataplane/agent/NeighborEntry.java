package dev.srv6sh.dataplane.agent;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
import java.net.InetAddress;
import java.time.Duration;
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
