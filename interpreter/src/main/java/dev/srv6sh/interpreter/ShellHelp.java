package dev.srv6sh.interpreter;

import dev.srv6sh.dataplane.agent.Descriptor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The router shell's {@code help}: the commands, one topic per command word, and each behavior the router supports. */
final class ShellHelp {
    private ShellHelp() {}

    private static final Map<String, String> TOPICS = new LinkedHashMap<>();

    static {
        TOPICS.put(
                "sid",
                """
                sid NAME [at ADDRESS|::SUFFIX] BEHAVIOR [ARG VALUE]...
                  a local SID; without 'at', placed in the router's locator by its name
                  'help BEHAVIOR' lists a behavior's arguments; next hops are addresses here
                """);
        TOPICS.put(
                "policy",
                """
                policy NAME [bsid ADDRESS] MODE [SID, ...]
                policy NAME [bsid ADDRESS] MODE { [SID, ...] weight N; [SID, ...] weight N }
                  MODE: encap, encap.red, insert, insert.red, encap.l2, encap.l2.red
                  a SID is an IPv6 address, or ROUTER.NAME for one of this router's SIDs
                """);
        TOPICS.put("steer", "steer PREFIX -> POLICY\n  traffic to PREFIX goes into POLICY\n");
        TOPICS.put("route", "route PREFIX via ADDRESS|IFACE [table N]\n  a static route (table 0 is the main one)\n");
        TOPICS.put("neighbor", "neighbor ADDRESS MAC IFACE\n  a static ARP / ND entry\n");
        TOPICS.put(
                "interface",
                """
                interface NAME { address PREFIX[, PREFIX]; mac MAC; mtu N }
                  the interface's settings; its addresses are those given (several: a list or one line each)
                """);
        TOPICS.put(
                "encap", "encap source ADDRESS|auto\nencap hoplimit N\n  the outer header of encapsulated packets\n");
        TOPICS.put(
                "sr-domain",
                """
                sr-domain [edge IFACE, ...] [trusted PREFIX, ...]
                  SRv6 to a local SID arriving on an edge interface is dropped unless its source is trusted;
                  'sr-domain' alone: no edge
                """);
        TOPICS.put(
                "no",
                """
                no sid NAME | no policy NAME | no steer PREFIX [table N] | no route PREFIX [table N] | no neighbor ADDRESS
                  removes the item from the candidate
                """);
        TOPICS.put(
                "show",
                """
                show running | candidate | diff | commits
                show sids | policies | steering | interfaces     (the running configuration)
                show fib | neighbors | counters | runtime | errors
                """);
        TOPICS.put("trace", "trace [N]\n  the next N packets' path through the graph (or the last ones, replayed)\n");
        TOPICS.put(
                "capture",
                """
                capture IFACE|all for DURATION
                  writes what IFACE receives and transmits to ROUTER-IFACE-TIME.pcap in the capture directory
                """);
        TOPICS.put(
                "commit",
                """
                commit [confirmed DURATION] [comment "..."]
                  applies the candidate's changes; 'confirmed': rolled back by itself unless 'confirm' comes in time
                """);
        TOPICS.put("confirm", "confirm\n  keeps the pending 'commit confirmed'\n");
        TOPICS.put(
                "rollback",
                "rollback N [comment \"...\"]\n  restores the configuration of N commits ago, as a new commit\n");
        TOPICS.put("discard", "discard\n  throws the candidate's changes away\n");
        TOPICS.put("exit", "exit\n  ends the session; changes not committed are discarded\n");
    }

    static List<String> topics() {
        return List.copyOf(TOPICS.keySet());
    }

    static String overview(String router) {
        return "router " + router
                + """
                 shell: edit the candidate, then commit it
                  sid, policy, steer, route, neighbor, interface, encap, sr-domain   edit (as in a router block)
                  no sid|policy|steer|route|neighbor ...                              remove
                  show running|candidate|diff|commits|sids|policies|steering|interfaces|fib|neighbors|counters|runtime|errors
                  commit [confirmed D] [comment "..."], confirm, rollback N, discard
                  trace [N], capture IFACE|all for D, help TOPIC|BEHAVIOR, exit
                """;
    }

    /** Help on a command word or one of the router's behaviors (any of its names, any case), or null. */
    static String topic(String topic, Descriptor d) {
        String t = TOPICS.get(topic);
        if (t != null) {
            return t;
        }
        for (Descriptor.BehaviorInfo b : d.behaviors()) {
            boolean named =
                    b.name().equalsIgnoreCase(topic) || b.aliases().stream().anyMatch(a -> a.equalsIgnoreCase(topic));
            if (named) {
                StringBuilder sb = new StringBuilder(b.name() + ": " + b.summary() + " (" + b.reference() + ")\n");
                for (Descriptor.Param p : b.params()) {
                    sb.append(String.format(
                            "  %-8s %-9s %s%n",
                            p.key(), p.required() ? "needs" : "may take", p.kind() + ": " + p.help()));
                }
                if (b.example() != null && !b.example().isEmpty()) {
                    sb.append("  example: ").append(b.example()).append('\n');
                }
                return sb.toString();
            }
        }
        return null;
    }
}
