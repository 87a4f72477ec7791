package dev.srv6sh.dataplane.bench;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.DataplaneConfig.Arg;
import dev.srv6sh.dataplane.config.DataplaneConfig.Flavor;
import dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One benchmark case: a router configuration and the frame it receives on {@code in}, every copy of
 * which it forwards out of {@code out}. The packet size is that of the IP packet received: a headend
 * receives a packet of that size and encapsulates it; an endpoint receives an SRv6 packet of that
 * size, or the smallest that holds its three-segment SRH and an inner header. The router has two interfaces with a 9000-byte MTU (so a
 * 1500-byte packet can be encapsulated), a main table whose defaults point out of {@code out}, and
 * table 9 for End.T and End.DT*, which points out of {@code out} too.
 *
 * @param name the behavior or headend, as {@code srv6sh bench --behavior} names it
 * @param frame the Ethernet frame sent into {@code in}
 * @param baseline whether this is the plain forwarding case the others are compared with
 */
public record Workload(String name, DataplaneConfig config, byte[] frame, boolean baseline) {
    static final MacAddress IN_MAC = MacAddress.parse("02:00:00:00:be:01");
    static final MacAddress OUT_MAC = MacAddress.parse("02:00:00:00:be:02");
    static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:be:99");
    static final MacAddress SENDER_MAC = MacAddress.parse("02:00:00:00:be:77");

    /** The packet sizes the benchmarks use: the smallest, and a full 1500-byte IP packet. */
    public static final int SMALL = 64;

    public static final int LARGE = 1500;

    private static final String SRC6 = "2001:db8:1::77";
    private static final String LOCAL = "2001:db8:a1::";
    private static final List<String> POLICY = List.of("2001:db8:b1::", "2001:db8:b2::", "2001:db8:b3::c7");

    /** Bytes of the frame. */
    public int frameBytes() {
        return frame.length;
    }

    /** Every case, in the order reports list them (the plain forwarding baselines first). */
    public static List<String> names() {
        return List.of(
                "ip6-forward",
                "ip4-forward",
                "H.Encaps",
                "H.Encaps.Red",
                "End",
                "End.PSP",
                "End.X",
                "End.T",
                "End.DX4",
                "End.DX6",
                "End.DT4",
                "End.DT6",
                "End.DT46",
                "End.B6.Encaps",
                "End.B6.Encaps.Red",
                "End.NEXT-CSID",
                "End.X.NEXT-CSID",
                "End.DX2",
                "End.B6.Insert",
                "End.B6.Insert.Red",
                "H.Insert",
                "H.Insert.Red",
                "H.Encaps.L2",
                "H.Encaps.L2.Red");
    }

    /** The case of that name (case-insensitive), with an IP packet of about {@code ipBytes} bytes. */
    public static Workload of(String name, int ipBytes) {
        return of(name, ipBytes, Transport.UDP);
    }

    /**
     * The case of that name with {@code l4} as the innermost packet's transport: the benchmarks use UDP,
     * a router's warm-up all three, since a data plane's flow hash and header walk branch on it.
     */
    public static Workload of(String name, int ipBytes, Transport l4) {
        for (String n : names()) {
            if (n.equalsIgnoreCase(name)) {
                return build(n, ipBytes, l4);
            }
        }
        throw new IllegalArgumentException(
                "no benchmark '" + name + "'; the benchmarks are: " + String.join(", ", names()));
    }

    private static Workload build(String name, int size, Transport l4) {
        return switch (name) {
            case "ip6-forward" ->
                of(name, List.of(), List.of(), List.of(), Craft.ip6(l4, SRC6, "2001:db8:99::9", size), true);
            case "ip4-forward" ->
                of(name, List.of(), List.of(), List.of(), Craft.ip4(l4, "192.0.2.77", "203.0.113.9", size), true);
            case "H.Encaps", "H.Encaps.Red" -> {
                PolicyMode mode = name.endsWith(".Red") ? PolicyMode.ENCAP_RED : PolicyMode.ENCAP;
                byte[] inner = Craft.ip4(l4, "192.0.2.77", "203.0.113.9", size);
                yield of(
                        name,
                        List.of(),
                        List.of(policy("p", null, mode)),
                        List.of(new DataplaneConfig.Steer(0, Prefix.parse("203.0.113.0/24"), "p")),
                        inner,
                        false);
            }
            case "End" -> endpoint(name, sid("End", Map.of(), Set.of()), 2, 4, size, l4);
            case "End.PSP" -> endpoint(name, sid("End", Map.of(), Set.of(Flavor.PSP)), 1, 4, size, l4);
            case "End.X" -> endpoint(name, sid("End.X", nh("2001:db8:2::2"), Set.of()), 2, 4, size, l4);
            case "End.T" -> endpoint(name, sid("End.T", TABLE_9, Set.of()), 2, 4, size, l4);
            case "End.DX4" -> endpoint(name, sid("End.DX4", nh("198.51.100.2"), Set.of()), 0, 4, size, l4);
            case "End.DX6" -> endpoint(name, sid("End.DX6", nh("2001:db8:2::2"), Set.of()), 0, 41, size, l4);
            case "End.DT4" -> endpoint(name, sid("End.DT4", TABLE_9, Set.of()), 0, 4, size, l4);
            case "End.DT6" -> endpoint(name, sid("End.DT6", TABLE_9, Set.of()), 0, 41, size, l4);
            case "End.DT46" -> endpoint(name, sid("End.DT46", TABLE_9, Set.of()), 0, 41, size, l4);
            case "End.B6.Encaps", "End.B6.Encaps.Red" -> endpoint(name, sid(name, POLICY_B, Set.of()), 1, 4, size, l4);
            case "End.NEXT-CSID", "End.X.NEXT-CSID" -> {
                // RFC 9800: block 2001:db8::/32, this node's C-SID 00a1, two more C-SIDs in the argument
                boolean x = name.startsWith("End.X");
                DataplaneConfig.Sid sid = new DataplaneConfig.Sid(
                                "csid",
                                Addresses.parse6(LOCAL),
                                x ? "End.X" : "End",
                                x ? nh("2001:db8:2::2") : Map.of())
                        .withFlavors(Set.of(Flavor.NEXT_CSID))
                        .withCsid(new DataplaneConfig.CsidFormat(32, 16));
                int inner = Craft.innerSize(size, 40, 48);
                byte[] packet = Craft.ip6(l4, SRC6, "2001:db8:a1:c2:c3::", 40 + inner);
                yield of(name, List.of(sid), List.of(), List.of(), packet, false);
            }
            case "End.DX2" -> {
                DataplaneConfig.Sid sid = new DataplaneConfig.Sid(
                        "dx2", Addresses.parse6(LOCAL), "End.DX2", Map.of("oif", Arg.of("out")));
                List<String> path = List.of("2001:db8:c1::", "2001:db8:c2::", LOCAL);
                byte[] ip = Craft.ip4(l4, "192.0.2.77", "203.0.113.9", Craft.innerSize(size, 40 + 56 + 14, 28));
                byte[] inner = Craft.frame(PEER_MAC, SENDER_MAC, ip);
                byte[] packet = Craft.srv6("2001:db8:1::66", path, 0, 143, inner);
                yield of(name, List.of(sid), List.of(), List.of(), packet, false);
            }
            case "End.B6.Insert", "End.B6.Insert.Red" -> {
                DataplaneConfig.Sid sid = sid(name, POLICY_B, Set.of());
                List<String> path = new ArrayList<>(List.of("2001:db8:c1::", LOCAL, "2001:db8:c3::"));
                byte[] inner = Craft.ip6(l4, SRC6, "2001:db8:99::9", Craft.innerSize(size, 40 + 56, 48));
                byte[] packet = Craft.srv6("2001:db8:1::66", path, 1, 41, inner);
                yield of(name, List.of(sid), List.of(policy("b", null, PolicyMode.INSERT)), List.of(), packet, false);
            }
            case "H.Insert", "H.Insert.Red" -> {
                PolicyMode mode = name.endsWith(".Red") ? PolicyMode.INSERT_RED : PolicyMode.INSERT;
                yield of(
                        name,
                        List.of(),
                        List.of(policy("p", null, mode)),
                        List.of(new DataplaneConfig.Steer(0, Prefix.parse("2001:db8:99::/64"), "p")),
                        Craft.ip6(l4, SRC6, "2001:db8:99::9", size),
                        false);
            }
            case "H.Encaps.L2", "H.Encaps.L2.Red" -> {
                PolicyMode mode = name.endsWith(".Red") ? PolicyMode.ENCAP_L2_RED : PolicyMode.ENCAP_L2;
                yield of(
                        name,
                        List.of(),
                        List.of(policy("p", null, mode)),
                        List.of(DataplaneConfig.Steer.l2("in", "p")),
                        Craft.ip4(l4, "192.0.2.77", "192.0.2.99", size),
                        false);
            }
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * A packet for the local SID, with a three-segment SRH whose Segments Left is {@code sl}, around an
     * IPv4 ({@code nh} 4) or IPv6 ({@code nh} 41) packet.
     */
    private static Workload endpoint(String name, DataplaneConfig.Sid sid, int sl, int nh, int size, Transport l4) {
        List<String> path = new ArrayList<>(List.of("2001:db8:c1::", "2001:db8:c2::", "2001:db8:c3::"));
        path.set(path.size() - 1 - sl, LOCAL);
        int overhead = 40 + 8 + 16 * path.size();
        byte[] inner = nh == 4
                ? Craft.ip4(l4, "192.0.2.77", "203.0.113.9", Craft.innerSize(size, overhead, 28))
                : Craft.ip6(l4, SRC6, "2001:db8:99::9", Craft.innerSize(size, overhead, 48));
        byte[] packet = Craft.srv6("2001:db8:1::66", path, sl, nh, inner);
        List<DataplaneConfig.Policy> policies =
                sid.args().containsKey("policy") ? List.of(policy("b", null, PolicyMode.ENCAP)) : List.of();
        return of(name, List.of(sid), policies, List.of(), packet, false);
    }

    private static final Map<String, Arg> TABLE_9 = Map.of("table", Arg.of(9));
    private static final Map<String, Arg> POLICY_B = Map.of("policy", Arg.of("b"));

    private static Map<String, Arg> nh(String address) {
        return Map.of("nh", Arg.of(Addresses.parse(address)));
    }

    private static DataplaneConfig.Sid sid(String behavior, Map<String, Arg> args, Set<Flavor> flavors) {
        return new DataplaneConfig.Sid(behavior.toLowerCase(Locale.ROOT), Addresses.parse6(LOCAL), behavior, args)
                .withFlavors(flavors);
    }

    private static DataplaneConfig.Policy policy(String name, String bsid, PolicyMode mode) {
        List<java.net.Inet6Address> sids =
                POLICY.stream().map(Addresses::parse6).toList();
        return new DataplaneConfig.Policy(
                name,
                bsid == null ? null : Addresses.parse6(bsid),
                mode,
                List.of(new DataplaneConfig.SegmentList(1, sids)));
    }

    private static Workload of(
            String name,
            List<DataplaneConfig.Sid> sids,
            List<DataplaneConfig.Policy> policies,
            List<DataplaneConfig.Steer> steer,
            byte[] packet,
            boolean baseline) {
        List<DataplaneConfig.Interface> ifs = List.of(
                new DataplaneConfig.Interface(
                        "in", IN_MAC, List.of(Prefix.parse("2001:db8:1::1/64"), Prefix.parse("192.0.2.1/24")), 9000),
                new DataplaneConfig.Interface(
                        "out",
                        OUT_MAC,
                        List.of(Prefix.parse("2001:db8:2::1/64"), Prefix.parse("198.51.100.1/24")),
                        9000));
        List<DataplaneConfig.Route> routes = new ArrayList<>();
        for (int table : new int[] {0, 9}) {
            routes.add(new DataplaneConfig.Route(table, Prefix.parse("::/0"), Addresses.parse("2001:db8:2::2"), null));
            routes.add(
                    new DataplaneConfig.Route(table, Prefix.parse("0.0.0.0/0"), Addresses.parse("198.51.100.2"), null));
        }
        List<DataplaneConfig.Neighbor> neighbors = List.of(
                new DataplaneConfig.Neighbor(Addresses.parse("2001:db8:2::2"), PEER_MAC, "out"),
                new DataplaneConfig.Neighbor(Addresses.parse("198.51.100.2"), PEER_MAC, "out"));
        DataplaneConfig config = new DataplaneConfig(
                "bench",
                ifs,
                routes,
                neighbors,
                sids,
                policies,
                steer,
                new DataplaneConfig.Encap(Addresses.parse6("2001:db8:1::1"), 64));
        return new Workload(name, config, Craft.frame(IN_MAC, SENDER_MAC, packet), baseline);
    }
}
