package dev.srv6sh.dataplane.pcap;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.config.Addresses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** counters.json's content: the replay's inputs and outputs, then the engine's counters, as a tree. */
final class CountersTree {
    private CountersTree() {}

    static Map<String, Object> of(
            String router,
            Counters c,
            List<PcapReplay.InputStats> inputs,
            List<PcapReplay.Output> outputs,
            List<NeighborEntry> neighbors,
            List<PcapReplay.Peer> peers) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("router", router);
        List<Object> in = new ArrayList<>();
        for (PcapReplay.InputStats s : inputs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("interface", s.iface());
            m.put("file", s.file().toString());
            m.put("records", s.records());
            m.put("received", s.received());
            m.put("skipped", s.skipped());
            in.add(m);
        }
        root.put("inputs", in);
        List<Object> out = new ArrayList<>();
        for (PcapReplay.Output o : outputs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("interface", o.iface());
            m.put("file", o.file().toString());
            m.put("frames", o.frames());
            out.add(m);
        }
        root.put("outputs", out);
        List<Object> ports = new ArrayList<>();
        for (Counters.PortStats p : c.ports()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("interface", p.iface());
            m.put("rx_packets", p.rxPackets());
            m.put("rx_bytes", p.rxBytes());
            m.put("tx_packets", p.txPackets());
            m.put("tx_bytes", p.txBytes());
            m.put("rx_no_buffer", p.rxNoBuffer());
            m.put("tx_errors", p.txErrors());
            ports.add(m);
        }
        root.put("interfaces", ports);
        List<Object> nodes = new ArrayList<>();
        for (Counters.NodeStats n : c.nodes()) {
            if (n.calls() == 0) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", n.node());
            m.put("calls", n.calls());
            m.put("vectors", n.vectors());
            m.put("packets", n.packets());
            m.put("packets_per_vector", n.packetsPerVector());
            m.put("nanos", n.nanos());
            m.put("ns_per_packet", n.packets() == 0 ? 0.0 : (double) n.nanos() / n.packets());
            nodes.add(m);
        }
        root.put("runtime", nodes);
        List<Object> errors = new ArrayList<>();
        c.errors().forEach((key, count) -> {
            int colon = key.indexOf(": ");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", colon < 0 ? key : key.substring(0, colon));
            m.put("reason", colon < 0 ? "" : key.substring(colon + 2));
            m.put("count", count);
            errors.add(m);
        });
        root.put("errors", errors);
        root.put("icmp_errors", c.icmpErrors());
        List<Object> sids = new ArrayList<>();
        for (Counters.SidStats s : c.sids()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sid", s.sid());
            m.put("behavior", s.behavior());
            m.put("packets", s.packets());
            m.put("bytes", s.bytes());
            m.put("bad_packets", s.badPackets());
            m.put("bad_bytes", s.badBytes());
            sids.add(m);
        }
        root.put("sids", sids);
        Map<String, Object> nd = new LinkedHashMap<>();
        nd.put("solicitations", c.neighbors().solicitations());
        nd.put("answers", c.neighbors().answers());
        nd.put("messages_used", c.neighbors().consumed());
        nd.put("held", c.neighbors().held());
        root.put("neighbor_discovery", nd);
        Map<String, Object> large = new LinkedHashMap<>();
        large.put("coalesced", c.largeSends().coalesced());
        large.put("added_by_cutting", c.largeSends().added());
        root.put("large_sends", large);
        List<Object> table = new ArrayList<>();
        for (NeighborEntry e : neighbors) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", Addresses.format(e.address()));
            m.put("mac", e.mac() == null ? null : e.mac().toString());
            m.put("interface", e.iface());
            m.put("state", e.state().text());
            m.put("age_ns", e.age().toNanos());
            m.put("held", e.held());
            table.add(m);
        }
        root.put("neighbors", table);
        List<Object> ps = new ArrayList<>();
        for (PcapReplay.Peer p : peers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("interface", p.iface());
            m.put("mac", p.mac().toString());
            m.put("answered", p.answered());
            ps.add(m);
        }
        root.put("peers", ps);
        return root;
    }
}
