package dev.srv6sh.dataplane.agent;

import java.util.List;

/**
 * One traced packet's way through the graph, as VPP's {@code show trace} prints it: the interface it
 * came in on, then per node it entered, the node's name and a one-line decode of the packet as that
 * node found it. At most {@link #MAX_STEPS} steps are kept ({@code truncated} says more were taken).
 * ICMPv6 errors a traced packet caused are traced as part of it.
 */
public record PacketTrace(int number, String rxInterface, List<Step> steps, boolean truncated) {
    public static final int MAX_STEPS = 32;

    public PacketTrace {
        steps = List.copyOf(steps);
    }

    /** One node a packet entered: its name and what it saw ({@code "ip6-input: 1234::1 -> a3:: hlim 64 ..."}). */
    public record Step(String node, String text) {
        @Override
        public String toString() {
            return node + ": " + text;
        }
    }

    /** The node names in order. */
    public List<String> nodes() {
        return steps.stream().map(Step::node).toList();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Packet " + number + " (rx " + rxInterface + ")\n");
        for (Step s : steps) {
            sb.append("  ").append(s).append('\n');
        }
        if (truncated) {
            sb.append("  ... (more than ").append(MAX_STEPS).append(" nodes)\n");
        }
        return sb.toString();
    }

    /** All traces one after another, separated by blank lines. */
    public static String render(List<PacketTrace> traces) {
        if (traces.isEmpty()) {
            return "no packets traced\n";
        }
        StringBuilder sb = new StringBuilder();
        for (PacketTrace t : traces) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(t);
        }
        return sb.toString();
    }
}
