package dev.srv6sh.dataplane.agent;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of an engine's counters: per node (VPP's {@code show runtime}), errors by node and
 * reason, per interface, per SID (packets and bytes its behavior accepted, RFC 8986 §6), and what
 * ARP and neighbor discovery sent, took in and hold.
 */
public record Counters(
        List<NodeStats> nodes,
        Map<String, Long> errors,
        List<PortStats> ports,
        List<SidStats> sids,
        Map<String, Long> icmpErrors,
        long echoesAnswered,
        NeighborStats neighbors,
        LargeSends largeSends) {

    /** A peer from before large sends sends none (AgentJson reads the missing member as null): none. */
    public Counters {
        largeSends = largeSends == null ? LargeSends.NONE : largeSends;
    }

    /**
     * Large sends (GSO), where packets in and out are not one for one: received frames that joined
     * another's large send (receive coalescing, GRO), and the packets cutting large sends added (a
     * send cut into n segments adds n − 1).
     */
    public record LargeSends(long coalesced, long added) {
        public static final LargeSends NONE = new LargeSends(0, 0);
    }

    /**
     * ARP and IPv6 neighbor discovery: solicitations sent (ARP requests, NS; each a packet the router
     * made), answers sent (ARP replies, NA; each made in its request's buffer, as an echo reply is),
     * messages taken in and used (requests answered, replies and advertisements learned from), and
     * packets held now while their neighbor's address is resolved.
     */
    public record NeighborStats(long solicitations, long answers, long consumed, long held) {
        public static final NeighborStats NONE = new NeighborStats(0, 0, 0, 0);
    }

    /**
     * The reason sr-policy-rewrite-encaps counts a TCP SYN whose MSS it lowered to fit the tunnel: a
     * node counter that is not a drop (VPP's {@code show errors} has such counters too, at severity
     * info), so {@link #dropped} leaves it out.
     */
    public static final String MSS_CLAMPED = "TCP SYN's MSS lowered to fit the tunnel (forwarded, not dropped)";

    /** The {@link #errors} keys that count packets forwarded, not dropped. */
    public static final java.util.Set<String> NOT_DROPPED =
            java.util.Set.of("sr-policy-rewrite-encaps: " + MSS_CLAMPED);

    /** The prefix of ICMPv4 outcomes in {@link #icmpErrors}; ICMPv6 ones have none. */
    public static final String ICMP4 = "ICMPv4 ";

    /** ICMPv6 and ICMPv4 error messages this router originated (each also counted in its interface's tx). */
    public long icmpSent() {
        return icmpErrors.getOrDefault("sent", 0L) + icmpErrors.getOrDefault(ICMP4 + "sent", 0L);
    }

    /** Packets the interfaces handed to the engine. */
    public long received() {
        return ports.stream().mapToLong(PortStats::rxPackets).sum();
    }

    /** Packets the engine handed to the interfaces that they sent. */
    public long transmitted() {
        return ports.stream().mapToLong(PortStats::txPackets).sum();
    }

    /** Packets the engine handed to the interfaces that their devices refused. */
    public long txErrors() {
        return ports.stream().mapToLong(PortStats::txErrors).sum();
    }

    /**
     * Packets delivered to the router itself and consumed there: the echo requests it answered, and
     * the ARP and ND messages it took in.
     */
    public long punted() {
        return echoesAnswered + neighbors.consumed();
    }

    /**
     * Packets the router made: ICMPv6 and ICMPv4 errors, echo replies (each in its request's buffer),
     * ARP and ND solicitations and answers.
     */
    public long originated() {
        return icmpSent() + echoesAnswered + neighbors.solicitations() + neighbors.answers();
    }

    /** Packets waiting for their neighbor's address: neither sent nor dropped yet. */
    public long held() {
        return neighbors.held();
    }

    /**
     * Whether every packet is accounted for: what came in, plus what the router made (and what cutting
     * large sends added), was transmitted (or refused by the device: a tx error), dropped with a
     * reason, consumed by the router, held for address resolution, or joined another's large send. It holds
     * whenever the engine is idle (after a poll); a packet counted twice or lost without a counter
     * breaks it.
     */
    public boolean balanced() {
        return received() + originated() + largeSends.added()
                == transmitted() + txErrors() + dropped() + punted() + held() + largeSends.coalesced();
    }

    /**
     * The counters of a router whose data plane is several workers, each an engine with the same
     * configuration ({@code Workers}, the router daemon's {@code --workers}): every node, error, port,
     * SID and neighbor counter summed, in the first one's order. A frame every worker is given (ARP,
     * NS/NA) counts once per worker in the ports and nodes, as each received and used its copy.
     */
    public static Counters sum(List<Counters> all) {
        if (all.size() == 1) {
            return all.getFirst();
        }
        Counters first = all.getFirst();
        List<Counters.NodeStats> nodes = new java.util.ArrayList<>();
        for (int n = 0; n < first.nodes().size(); n++) {
            long calls = 0, vectors = 0, packets = 0, nanos = 0;
            for (Counters c : all) {
                Counters.NodeStats s = c.nodes().get(n);
                calls += s.calls();
                vectors += s.vectors();
                packets += s.packets();
                nanos += s.nanos();
            }
            nodes.add(new Counters.NodeStats(first.nodes().get(n).node(), calls, vectors, packets, nanos));
        }
        Map<String, Long> errors = new java.util.LinkedHashMap<>();
        Map<String, Long> icmp = new java.util.LinkedHashMap<>();
        for (Counters c : all) {
            c.errors().forEach((k, v) -> errors.merge(k, v, Long::sum));
            c.icmpErrors().forEach((k, v) -> icmp.merge(k, v, Long::sum));
        }
        List<Counters.PortStats> ports = new java.util.ArrayList<>();
        for (int p = 0; p < first.ports().size(); p++) {
            long rx = 0, rxb = 0, tx = 0, txb = 0, nob = 0, txe = 0;
            for (Counters c : all) {
                Counters.PortStats s = c.ports().get(p);
                rx += s.rxPackets();
                rxb += s.rxBytes();
                tx += s.txPackets();
                txb += s.txBytes();
                nob += s.rxNoBuffer();
                txe += s.txErrors();
            }
            ports.add(new Counters.PortStats(first.ports().get(p).iface(), rx, rxb, tx, txb, nob, txe));
        }
        List<Counters.SidStats> sids = new java.util.ArrayList<>();
        for (int s = 0; s < first.sids().size(); s++) {
            long pk = 0, by = 0, bpk = 0, bby = 0;
            for (Counters c : all) {
                pk += c.sids().get(s).packets();
                by += c.sids().get(s).bytes();
                bpk += c.sids().get(s).badPackets();
                bby += c.sids().get(s).badBytes();
            }
            Counters.SidStats f = first.sids().get(s);
            sids.add(new Counters.SidStats(f.sid(), f.behavior(), pk, by, bpk, bby));
        }
        long echoes = all.stream().mapToLong(Counters::echoesAnswered).sum();
        Counters.NeighborStats nd = new Counters.NeighborStats(
                all.stream().mapToLong(c -> c.neighbors().solicitations()).sum(),
                all.stream().mapToLong(c -> c.neighbors().answers()).sum(),
                all.stream().mapToLong(c -> c.neighbors().consumed()).sum(),
                all.stream().mapToLong(c -> c.neighbors().held()).sum());
        LargeSends large = new LargeSends(
                all.stream().mapToLong(c -> c.largeSends().coalesced()).sum(),
                all.stream().mapToLong(c -> c.largeSends().added()).sum());
        return new Counters(nodes, errors, ports, sids, icmp, echoes, nd, large);
    }

    public record NodeStats(String node, long calls, long vectors, long packets, long nanos) {
        public double packetsPerVector() {
            return vectors == 0 ? 0 : (double) packets / vectors;
        }
    }

    /**
     * Per interface, its port's device counters ({@link dev.srv6sh.dataplane.port.PortCounters}):
     * rx no-buffer counts frames that never reached the engine, tx errors frames the device refused.
     */
    public record PortStats(
            String iface, long rxPackets, long rxBytes, long txPackets, long txBytes, long rxNoBuffer, long txErrors) {}

    /**
     * Per SID (VPP's good and bad traffic): what its behavior accepted, and what reached it but was
     * dropped or answered with an ICMPv6 error (a bad SRH, hop limit, a disallowed upper layer, ...).
     */
    public record SidStats(String sid, String behavior, long packets, long bytes, long badPackets, long badBytes) {}

    /** The count for one error reason of one node ({@code get("ip4-input", "header checksum is wrong")}). */
    public long get(String node, String reason) {
        return errors.getOrDefault(node + ": " + reason, 0L);
    }

    /** Packets dropped, over all nodes and reasons ({@link #NOT_DROPPED} left out). */
    public long dropped() {
        return errors.entrySet().stream()
                .filter(e -> !NOT_DROPPED.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    public NodeStats node(String name) {
        return nodes.stream().filter(n -> n.node().equals(name)).findFirst().orElseThrow();
    }

    public PortStats port(String name) {
        return ports.stream().filter(p -> p.iface().equals(name)).findFirst().orElseThrow();
    }

    /**
     * VPP's {@code show runtime}: per node calls, vectors, packets, packets per vector, ns per packet
     * and clocks per packet (ns times the CPU's clock from /proc/cpuinfo; "?" where it is not known).
     */
    public String runtimeTable() {
        double ghz = dev.srv6sh.dataplane.Cpu.ghz();
        StringBuilder sb = new StringBuilder(String.format(
                "%-26s %10s %10s %10s %8s %10s %10s%n",
                "node", "calls", "vectors", "packets", "pkt/vec", "ns/pkt", "clk/pkt"));
        for (NodeStats n : nodes) {
            if (n.calls() > 0) {
                double ns = n.packets() == 0 ? 0.0 : (double) n.nanos() / n.packets();
                sb.append(String.format(
                        "%-26s %10d %10d %10d %8.1f %10.0f %10s%n",
                        n.node(),
                        n.calls(),
                        n.vectors(),
                        n.packets(),
                        n.packetsPerVector(),
                        ns,
                        Double.isNaN(ghz) ? "?" : String.format("%.0f", ns * ghz)));
            }
        }
        return sb.toString();
    }

    /** Drops by node and reason ({@code show errors}), and the ICMPv6 and ICMPv4 errors sent or not. */
    public String errorsTable() {
        if (errors.isEmpty() && icmpErrors.isEmpty()) {
            return "no errors\n";
        }
        StringBuilder sb = new StringBuilder(String.format("%-70s %10s%n", "error", "count"));
        errors.forEach((k, v) -> sb.append(String.format("%-70s %10d%n", k, v)));
        icmpErrors.forEach((k, v) -> sb.append(String.format(
                "%-70s %10d%n",
                k.startsWith(ICMP4)
                        ? "ICMPv4 error messages: " + k.substring(ICMP4.length())
                        : "ICMPv6 error messages: " + k,
                v)));
        return sb.toString();
    }

    /** Per interface and per SID packets and bytes, and ARP / ND traffic when there was any. */
    public String trafficTable() {
        StringBuilder sb = new StringBuilder(String.format(
                "%-26s %10s %12s %10s %12s %10s %10s%n",
                "interface", "rx pkts", "rx bytes", "tx pkts", "tx bytes", "rx drop", "tx error"));
        for (PortStats p : ports) {
            sb.append(String.format(
                    "%-26s %10d %12d %10d %12d %10d %10d%n",
                    p.iface(), p.rxPackets(), p.rxBytes(), p.txPackets(), p.txBytes(), p.rxNoBuffer(), p.txErrors()));
        }
        if (!sids.isEmpty()) {
            sb.append(String.format(
                    "%-26s %-21s %10s %12s %10s %12s%n",
                    "sid", "behavior", "good pkts", "good bytes", "bad pkts", "bad bytes"));
            for (SidStats s : sids) {
                sb.append(String.format(
                        "%-26s %-21s %10d %12d %10d %12d%n",
                        s.sid(), s.behavior(), s.packets(), s.bytes(), s.badPackets(), s.badBytes()));
            }
        }
        if (!neighbors.equals(NeighborStats.NONE)) {
            sb.append(String.format(
                    "ARP/ND: %d solicitations and %d answers sent, %d messages used, %d packets held%n",
                    neighbors.solicitations(), neighbors.answers(), neighbors.consumed(), neighbors.held()));
        }
        if (!largeSends.equals(LargeSends.NONE)) {
            sb.append(String.format(
                    "Large sends (GSO): %d received segments coalesced, %d segments added by cutting%n",
                    largeSends.coalesced(), largeSends.added()));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return trafficTable() + runtimeTable() + errorsTable();
    }
}
