package dev.srv6sh.dataplane.agent;

import dev.srv6sh.dataplane.BehaviorSpec;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * A configuration and its items in the srv6sh language's syntax, the statements of a router block
 * ({@code docs/language.md} §4), so that what {@code show running} and {@code show diff} print can be
 * typed back into a router shell or a script:
 *
 * <pre>
 * interface inside { address 192.0.2.1/24; mac 02:00:00:00:00:01; mtu 1500 }
 * route 0.0.0.0/0 via 198.51.100.2
 * neighbor 198.51.100.2 02:00:00:00:00:99 transit
 * sid dx4 at 2001:db8:f::10 End.DX4 nh 198.51.100.2 flavors psp,usd
 * policy home bsid 2001:db8:f::100 encap [2001:db8:1::10, 2001:db8:2::10]
 * steer 203.0.113.0/24 -> home
 * encap source 2001:db8:f::1
 * encap hoplimit 64
 * </pre>
 *
 * What a configuration can hold but the language cannot say yet is written in the same style, as
 * the smallest extension of the statement it belongs to, so that nothing is hidden: a route with
 * both a next hop and an interface ({@code route 0.0.0.0/0 via 192.0.2.254 oif inside}), steering
 * in another table ({@code steer 203.0.113.0/24 -> home table 2}), steering of an interface's
 * frames ({@code steer interface inside -> l2vpn}), and the SR domain's edge ({@code sr-domain edge
 * inside trusted 2001:db8::/32}).
 */
public final class ConfigText {
    private ConfigText() {}

    /** The whole configuration, one item per line in configuration order ({@code show running}). */
    public static String render(DataplaneConfig config) {
        StringBuilder sb = new StringBuilder();
        for (Object item : ConfigItems.of(config).values()) {
            sb.append(item(item)).append('\n');
        }
        return sb.toString();
    }

    /** One item ({@link ConfigItems}) as a statement. */
    public static String item(Object item) {
        return switch (item) {
            case DataplaneConfig.Interface i -> iface(i);
            case DataplaneConfig.Route r -> route(r);
            case DataplaneConfig.Neighbor n ->
                "neighbor " + Addresses.format(n.address()) + " " + n.mac() + " " + n.iface();
            case DataplaneConfig.Sid s -> sid(s);
            case DataplaneConfig.Policy p -> policy(p);
            case DataplaneConfig.Steer s -> steer(s);
            case ConfigItems.EncapSource s -> "encap source " + Addresses.format(s.source());
            case ConfigItems.EncapHopLimit h -> "encap hoplimit " + h.hopLimit();
            case DataplaneConfig.SrDomain d -> srDomain(d);
            default -> throw new IllegalArgumentException("not a configuration item: " + item);
        };
    }

    static String iface(DataplaneConfig.Interface i) {
        StringJoiner settings = new StringJoiner("; ", " { ", " }");
        if (!i.addresses().isEmpty()) {
            settings.add("address " + prefixes(i.addresses()));
        }
        if (i.mac() != null) {
            settings.add("mac " + i.mac());
        }
        settings.add("mtu " + i.mtu());
        if (!DataplaneConfig.Interface.MEMORY.equals(i.driver())) {
            settings.add("driver " + i.driver());
        }
        if (i.device() != null) {
            settings.add("device " + JsonText.string(i.device()));
        }
        return "interface " + i.name() + settings;
    }

    static String route(DataplaneConfig.Route r) {
        StringBuilder sb = new StringBuilder("route ").append(r.prefix()).append(" via ");
        if (r.via() != null) {
            sb.append(Addresses.format(r.via()));
            if (r.iface() != null) {
                sb.append(" oif ").append(r.iface());
            }
        } else {
            sb.append(r.iface());
        }
        if (r.table() != 0) {
            sb.append(" table ").append(r.table());
        }
        return sb.toString();
    }

    static String sid(DataplaneConfig.Sid s) {
        StringBuilder sb = new StringBuilder("sid ").append(s.name());
        if (s.address() != null) {
            sb.append(" at ").append(Addresses.format(s.address()));
        }
        sb.append(' ').append(s.behavior());
        for (Map.Entry<String, DataplaneConfig.Arg> a : s.args().entrySet()) {
            sb.append(' ').append(a.getKey()).append(' ').append(a.getValue().text());
        }
        if (!s.flavors().isEmpty()) {
            sb.append(" flavors ")
                    .append(Arrays.stream(DataplaneConfig.Flavor.values())
                            .filter(s.flavors()::contains)
                            .map(BehaviorSpec::word)
                            .collect(Collectors.joining(",")));
        }
        if (s.count()) {
            sb.append(" count true");
        }
        if (!s.csid().equals(DataplaneConfig.CsidFormat.DEFAULT)) {
            sb.append(" lblen ")
                    .append(s.csid().locatorBlockBits())
                    .append(" nflen ")
                    .append(s.csid().nodeFunctionBits());
        }
        return sb.toString();
    }

    static String policy(DataplaneConfig.Policy p) {
        StringBuilder sb = new StringBuilder("policy ").append(p.name());
        if (p.bsid() != null) {
            sb.append(" bsid ").append(Addresses.format(p.bsid()));
        }
        sb.append(' ').append(p.mode().text()).append(' ');
        if (p.lists().size() == 1 && p.lists().getFirst().weight() == 1) {
            sb.append(list(p.lists().getFirst()));
        } else {
            StringJoiner lists = new StringJoiner("; ", "{ ", " }");
            for (DataplaneConfig.SegmentList l : p.lists()) {
                lists.add(list(l) + " weight " + l.weight());
            }
            sb.append(lists);
        }
        return sb.toString();
    }

    private static String list(DataplaneConfig.SegmentList l) {
        return l.sids().stream().map(Addresses::format).collect(Collectors.joining(", ", "[", "]"));
    }

    static String steer(DataplaneConfig.Steer s) {
        if (s.prefix() == null) {
            return "steer interface " + s.iface() + " -> " + s.policy();
        }
        return "steer " + s.prefix() + " -> " + s.policy() + (s.table() != 0 ? " table " + s.table() : "");
    }

    static String srDomain(DataplaneConfig.SrDomain d) {
        StringBuilder sb = new StringBuilder("sr-domain");
        if (!d.edgeInterfaces().isEmpty()) {
            sb.append(" edge ").append(String.join(", ", d.edgeInterfaces()));
        }
        if (!d.trustedSources().isEmpty()) {
            sb.append(" trusted ").append(prefixes(d.trustedSources()));
        }
        return sb.toString();
    }

    private static String prefixes(List<Prefix> ps) {
        return ps.stream().map(Prefix::toString).collect(Collectors.joining(", "));
    }
}
