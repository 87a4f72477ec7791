package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.config.DataplaneConfig.Behavior;
import java.util.EnumMap;
import java.util.Map;

/**
 * The endpoint behaviors this graph implements, one row each, as Linux's {@code seg6_action_table}:
 * the behavior, the node that runs it, the argument it needs from its SID, whether it takes the
 * PSP/USP/USD flavors (RFC 8986 §4.16) and whether it takes NEXT-CSID (RFC 9800 §4.1-4.2). {@link FibBuilder} validates SIDs against it and {@link SrLocalSid} dispatches
 * by the node it names; adding a behavior is a node class and a row here. A behavior without a row is
 * refused by name when a configuration uses it, never silently ignored.
 */
final class BehaviorTable {
    /** What a SID of the behavior must carry. */
    enum Argument {
        NONE,
        /** An IPv4 next hop (End.DX4), resolved to an adjacency. */
        NEXT_HOP_4,
        /** An IPv6 next hop (End.X, End.DX6), resolved to an adjacency. */
        NEXT_HOP_6,
        /** A FIB table (End.T, End.DT*). */
        TABLE,
        /** A policy of this router (End.B6.*). */
        POLICY,
        /** An outgoing interface (End.DX2). */
        OIF
    }

    record Row(Behavior behavior, int node, Argument argument, boolean flavors, boolean nextCsid) {}

    private static final Map<Behavior, Row> ROWS = new EnumMap<>(Behavior.class);

    private static void row(Behavior b, int node, Argument argument, boolean flavors, boolean nextCsid) {
        ROWS.put(b, new Row(b, node, argument, flavors, nextCsid));
    }

    static {
        row(Behavior.END, Node.END, Argument.NONE, true, true); // RFC 8986 §4.1; RFC 9800 §4.1
        row(Behavior.END_X, Node.END_X, Argument.NEXT_HOP_6, true, true); // §4.2; RFC 9800 §4.2
        row(Behavior.END_T, Node.END_T, Argument.TABLE, true, false); // §4.3
        row(Behavior.END_DX2, Node.END_DX2, Argument.OIF, false, false); // §4.9
        row(Behavior.END_DX6, Node.END_DX6, Argument.NEXT_HOP_6, false, false); // §4.4
        row(Behavior.END_DX4, Node.END_DX4, Argument.NEXT_HOP_4, false, false); // §4.5
        row(Behavior.END_DT6, Node.END_DT6, Argument.TABLE, false, false); // §4.6
        row(Behavior.END_DT4, Node.END_DT4, Argument.TABLE, false, false); // §4.7
        row(Behavior.END_DT46, Node.END_DT46, Argument.TABLE, false, false); // §4.8
        row(Behavior.END_B6_ENCAPS, Node.END_B6_ENCAPS, Argument.POLICY, false, false); // §4.13
        row(Behavior.END_B6_ENCAPS_RED, Node.END_B6_ENCAPS_RED, Argument.POLICY, false, false); // §4.14
        // Not in RFC 8986: draft-filsfils-spring-srv6-net-pgm-insertion, End.B6.Insert and .Red
        row(Behavior.END_B6_INSERT, Node.END_B6_INSERT, Argument.POLICY, false, false);
        row(Behavior.END_B6_INSERT_RED, Node.END_B6_INSERT_RED, Argument.POLICY, false, false);
    }

    private BehaviorTable() {}

    /** The row of a behavior, or null when this version does not implement it. */
    static Row of(Behavior b) {
        return ROWS.get(b);
    }
}
