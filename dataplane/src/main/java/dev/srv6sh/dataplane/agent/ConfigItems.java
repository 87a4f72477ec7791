package dev.srv6sh.dataplane.agent;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link DataplaneConfig} as what the commit model works on: an ordered map from item key to item,
 * one entry per interface, route, neighbor, SID, policy, steering rule, the encapsulation's source
 * and hop limit, and the SR domain's edge. Two sessions conflict only when they touch the same key,
 * and a commit applies only the keys its session changed, so the keys are what a person would call
 * "the same thing" on a router:
 *
 * <pre>
 * interface inside          route 0 10.0.0.0/8        neighbor 198.51.100.2
 * sid dx4                   policy home               steer 0 203.0.113.0/24 | steer l2 inside
 * encap source              encap hoplimit            sr-domain
 * </pre>
 *
 * The values are the configuration's own records ({@link DataplaneConfig.Sid}, ...), plus {@link
 * EncapSource} and {@link EncapHopLimit} for the two halves of {@link DataplaneConfig.Encap}. A key
 * that would occur twice (two routes to one prefix in one table) gets {@code " #2"}, so nothing of
 * the configuration is lost on the way there and back.
 */
public final class ConfigItems {
    private ConfigItems() {}

    /** The encapsulation's outer source ({@code encap source ADDRESS}). */
    public record EncapSource(Inet6Address source) {}

    /** The encapsulation's outer hop limit ({@code encap hoplimit N}). */
    public record EncapHopLimit(int hopLimit) {}

    public static final String ENCAP_SOURCE = "encap source";
    public static final String ENCAP_HOPLIMIT = "encap hoplimit";
    public static final String SR_DOMAIN = "sr-domain";

    /** The items of {@code config}, in configuration order. */
    public static Map<String, Object> of(DataplaneConfig config) {
        Map<String, Object> items = new LinkedHashMap<>();
        for (DataplaneConfig.Interface i : config.interfaces()) {
            put(items, "interface " + i.name(), i);
        }
        for (DataplaneConfig.Route r : config.routes()) {
            put(items, routeKey(r), r);
        }
        for (DataplaneConfig.Neighbor n : config.neighbors()) {
            put(items, "neighbor " + dev.srv6sh.dataplane.config.Addresses.format(n.address()), n);
        }
        for (DataplaneConfig.Sid s : config.sids()) {
            put(items, "sid " + s.name(), s);
        }
        for (DataplaneConfig.Policy p : config.policies()) {
            put(items, "policy " + p.name(), p);
        }
        for (DataplaneConfig.Steer s : config.steering()) {
            put(items, steerKey(s), s);
        }
        if (config.encap() != null) {
            if (config.encap().source() != null) {
                put(items, ENCAP_SOURCE, new EncapSource(config.encap().source()));
            }
            put(items, ENCAP_HOPLIMIT, new EncapHopLimit(config.encap().hopLimit()));
        }
        if (!config.srDomain().equals(DataplaneConfig.SrDomain.OPEN)) {
            put(items, SR_DOMAIN, config.srDomain());
        }
        return items;
    }

    static String routeKey(DataplaneConfig.Route r) {
        return "route " + r.table() + " " + r.prefix();
    }

    static String steerKey(DataplaneConfig.Steer s) {
        return s.prefix() == null ? "steer l2 " + s.iface() : "steer " + s.table() + " " + s.prefix();
    }

    private static void put(Map<String, Object> items, String key, Object item) {
        String k = key;
        for (int n = 2; items.containsKey(k); n++) {
            k = key + " #" + n;
        }
        items.put(k, item);
    }

    /**
     * The configuration of router {@code router} these items make, each kind in the order the items
     * come; an encapsulation hop limit without a source gives a configuration without a source (the
     * data plane refuses it if a policy needs one), a source without a hop limit takes 64.
     */
    public static DataplaneConfig toConfig(String router, Map<String, ?> items) {
        List<DataplaneConfig.Interface> ifaces = new ArrayList<>();
        List<DataplaneConfig.Route> routes = new ArrayList<>();
        List<DataplaneConfig.Neighbor> neighbors = new ArrayList<>();
        List<DataplaneConfig.Sid> sids = new ArrayList<>();
        List<DataplaneConfig.Policy> policies = new ArrayList<>();
        List<DataplaneConfig.Steer> steering = new ArrayList<>();
        Inet6Address source = null;
        Integer hopLimit = null;
        DataplaneConfig.SrDomain domain = DataplaneConfig.SrDomain.OPEN;
        for (Object item : items.values()) {
            switch (item) {
                case DataplaneConfig.Interface i -> ifaces.add(i);
                case DataplaneConfig.Route r -> routes.add(r);
                case DataplaneConfig.Neighbor n -> neighbors.add(n);
                case DataplaneConfig.Sid s -> sids.add(s);
                case DataplaneConfig.Policy p -> policies.add(p);
                case DataplaneConfig.Steer s -> steering.add(s);
                case EncapSource s -> source = s.source();
                case EncapHopLimit h -> hopLimit = h.hopLimit();
                case DataplaneConfig.SrDomain d -> domain = d;
                default -> throw new IllegalArgumentException("not a configuration item: " + item);
            }
        }
        DataplaneConfig.Encap encap = source == null && hopLimit == null
                ? null
                : new DataplaneConfig.Encap(source, hopLimit == null ? 64 : hopLimit);
        return new DataplaneConfig(router, ifaces, routes, neighbors, sids, policies, steering, encap, domain);
    }

    /**
     * What changes from {@code from} to {@code to}, item by item: first the items of {@code from} in
     * their order (changed or removed), then those only {@code to} has, each with its text in the
     * language's syntax ({@link ConfigText#item}).
     */
    public static List<Change> diff(DataplaneConfig from, DataplaneConfig to) {
        Map<String, Object> a = of(from);
        Map<String, Object> b = of(to);
        List<Change> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : a.entrySet()) {
            Object after = b.get(e.getKey());
            if (!Objects.equals(e.getValue(), after)) {
                out.add(new Change(
                        e.getKey(), ConfigText.item(e.getValue()), after == null ? null : ConfigText.item(after)));
            }
        }
        for (Map.Entry<String, Object> e : b.entrySet()) {
            if (!a.containsKey(e.getKey())) {
                out.add(new Change(e.getKey(), null, ConfigText.item(e.getValue())));
            }
        }
        return order(out, b, a);
    }

    /** The keys of items that differ between two item maps (added, removed or changed). */
    static Set<String> changedKeys(Map<String, Object> a, Map<String, Object> b) {
        Set<String> keys = new LinkedHashSet<>();
        for (Map.Entry<String, Object> e : a.entrySet()) {
            if (!Objects.equals(e.getValue(), b.get(e.getKey()))) {
                keys.add(e.getKey());
            }
        }
        for (String k : b.keySet()) {
            if (!a.containsKey(k)) {
                keys.add(k);
            }
        }
        return keys;
    }

    /** Changes in configuration order: by kind (interfaces first, the SR domain last), then as listed. */
    private static List<Change> order(List<Change> changes, Map<String, Object> to, Map<String, Object> from) {
        List<Change> sorted = new ArrayList<>(changes);
        sorted.sort(java.util.Comparator.comparingInt(
                c -> rank(to.containsKey(c.item()) ? to.get(c.item()) : from.get(c.item()))));
        return sorted;
    }

    /** The place of an item's kind in a configuration. */
    static int rank(Object item) {
        return switch (item) {
            case DataplaneConfig.Interface i -> 0;
            case DataplaneConfig.Route r -> 1;
            case DataplaneConfig.Neighbor n -> 2;
            case DataplaneConfig.Sid s -> 3;
            case DataplaneConfig.Policy p -> 4;
            case DataplaneConfig.Steer s -> 5;
            case EncapSource s -> 6;
            case EncapHopLimit h -> 7;
            case DataplaneConfig.SrDomain d -> 8;
            default -> 9;
        };
    }

    /**
     * {@code running} with the items of {@code changed} set as {@code candidate} has them (replaced,
     * removed or added): the candidate's items in the candidate's order, each as running has it unless
     * the session changed it, then those only running has (another commit added them) at the end of
     * their kind. Without other commits in between, that is the candidate exactly, in its order.
     */
    static Map<String, Object> merge(Map<String, Object> running, Map<String, Object> candidate, Set<String> changed) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : candidate.entrySet()) {
            Object v = changed.contains(e.getKey()) ? e.getValue() : running.get(e.getKey());
            if (v != null) {
                out.put(e.getKey(), v);
            }
        }
        for (Map.Entry<String, Object> e : running.entrySet()) {
            if (!changed.contains(e.getKey()) && !out.containsKey(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        // the kinds in their order; within a kind, as they came
        List<Map.Entry<String, Object>> entries = new ArrayList<>(out.entrySet());
        entries.sort(java.util.Comparator.comparingInt(e -> rank(e.getValue())));
        Map<String, Object> sorted = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : entries) {
            sorted.put(e.getKey(), e.getValue());
        }
        return sorted;
    }
}
