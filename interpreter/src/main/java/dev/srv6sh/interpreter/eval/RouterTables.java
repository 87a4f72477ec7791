package dev.srv6sh.interpreter.eval;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.agent.FibEntry;
import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.agent.PacketTrace;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The tables of one router, from the agent's records: what a script's and the REPL's {@code show}
 * print under {@code router NAME:}, and what the router shell prints as they are. One code path (the
 * text renderer's, {@code TextRenderer.table} of a {@code Result.View}), so that the REPL and the
 * router shell render the same records the same way. Every table is its lines,
 * each ending in a newline, unindented; empty when there is nothing to show, unless it says so.
 */
public final class RouterTables {
    private RouterTables() {}

    /** The views of a router's program; the others show its data plane's state and counters. */
    public static final Set<String> PROGRAM = Set.of("sids", "policies", "steering");

    /** The views of a router's counters ({@link #counters}). */
    public static final Set<String> COUNTERS = Set.of("counters", "runtime", "errors");

    /** A SID row: its address, behavior, and name with the behavior's arguments. */
    public static String sidRow(String address, String behavior, String nameAndArguments) {
        return String.format("%-28s %-16s %s%n", address, behavior, nameAndArguments);
    }

    /** A policy row: binding SID, mode, name, and its SID lists with their weights. */
    public static String policyRow(String bsid, String mode, String name, List<String> lists) {
        return String.format("%-28s %-10s %s %s%n", bsid, mode, name, lists);
    }

    /** A steering row: what is steered, and into which policy. */
    public static String steerRow(String match, String policy) {
        return String.format("%-28s -> %s%n", match, policy);
    }

    /** {@code show sids}: the SIDs installed. */
    public static String sids(DataplaneConfig c) {
        return c.sids().stream()
                .map(x -> sidRow(Addresses.format(x.address()), x.behavior(), x.name() + arguments(x)))
                .collect(Collectors.joining());
    }

    /** {@code show policies}: the SR policies installed. */
    public static String policies(DataplaneConfig c) {
        return c.policies().stream()
                .map(p -> policyRow(
                        p.bsid() == null ? "-" : Addresses.format(p.bsid()),
                        p.mode().text(),
                        p.name(),
                        p.lists().stream()
                                .map(l ->
                                        l.sids().stream().map(Addresses::format).toList() + " weight " + l.weight())
                                .toList()))
                .collect(Collectors.joining());
    }

    /** {@code show steering}: what goes into which policy. */
    public static String steering(DataplaneConfig c) {
        return c.steering().stream()
                .map(st ->
                        steerRow(st.prefix() != null ? st.prefix().toString() : "interface " + st.iface(), st.policy()))
                .collect(Collectors.joining());
    }

    /** {@code show sids|policies|steering} by name ({@link #PROGRAM}). */
    public static String program(String what, DataplaneConfig c) {
        return switch (what) {
            case "sids" -> sids(c);
            case "policies" -> policies(c);
            case "steering" -> steering(c);
            default -> throw new IllegalArgumentException("not a view of the program: " + what);
        };
    }

    /** {@code show interfaces}: name, MAC, MTU and addresses. */
    public static String interfaces(DataplaneConfig c) {
        StringBuilder sb =
                new StringBuilder(String.format("%-12s %-17s %6s  %s%n", "interface", "mac", "mtu", "addresses"));
        for (DataplaneConfig.Interface i : c.interfaces()) {
            sb.append(String.format(
                    "%-12s %-17s %6d  %s%n",
                    i.name(),
                    i.mac(),
                    i.mtu(),
                    i.addresses().isEmpty()
                            ? "-"
                            : i.addresses().stream().map(Prefix::toString).collect(Collectors.joining(", "))));
        }
        return sb.toString();
    }

    /** {@code show counters|runtime|errors} ({@link #COUNTERS}): VPP's tables. */
    public static String counters(String what, Counters counters) {
        return switch (what) {
            case "runtime" -> counters.runtimeTable();
            case "errors" -> counters.errorsTable();
            case "counters" -> counters.toString();
            default -> throw new IllegalArgumentException("not a view of the counters: " + what);
        };
    }

    /** {@code show fib}: every prefix installed, by table, and where a lookup there leads. */
    public static String fib(List<FibEntry> entries) {
        StringBuilder sb = new StringBuilder();
        int table = -1;
        for (FibEntry e : entries) {
            if (e.table() != table) {
                table = e.table();
                sb.append("table ").append(table).append(":\n");
            }
            sb.append(String.format("  %-44s %s%n", e.prefix(), e.result()));
        }
        return sb.toString();
    }

    /** {@code show neighbors}: static entries and what ARP and ND learned. */
    public static String neighbors(List<NeighborEntry> entries) {
        return NeighborEntry.render(entries);
    }

    /**
     * {@code trace}: how many packets came in {@code wait}, then each one's path, node by node, the
     * replayed ones (the last packets received, run again on a copy of the data plane) marked.
     */
    public static String trace(String router, List<PacketTrace> live, List<PacketTrace> replayed, Duration wait) {
        StringBuilder sb = new StringBuilder("trace " + router + ": " + live.size() + " new packet(s) in "
                + wait.toMillis() + " ms"
                + (replayed.isEmpty()
                        ? ""
                        : "; the last " + replayed.size() + " it received, run again on a copy of its data plane")
                + "\n");
        for (PacketTrace p : live) {
            sb.append(p.toString().indent(2));
        }
        for (PacketTrace p : replayed) {
            sb.append(("(replayed) " + p).indent(2));
        }
        if (live.isEmpty() && replayed.isEmpty()) {
            sb.append("  no packet has reached ").append(router).append(" yet\n");
        }
        return sb.toString();
    }

    /** A SID's own arguments as installed, {@code " nh 10.11.1.10"}. */
    private static String arguments(DataplaneConfig.Sid s) {
        StringBuilder sb = new StringBuilder();
        s.args().forEach((k, v) -> sb.append(' ').append(k).append(' ').append(v.text()));
        return sb.toString();
    }
}
