package dev.srv6sh.shell.wire;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.DataplaneConfig.Arg;
import dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;
import java.util.Map;

/**
 * The wire benchmark's topology: its addresses (only 198.51.100.0/24, 203.0.113.0/24 and
 * 2001:db8::/32), its MAC addresses, the generator's frames and the srv6sh routers' configurations.
 * One place for all of them, so that the frames the generator sends, the kernel's routes and the
 * srv6sh router's program agree, and a test can run the same frames through the same program.
 *
 * <p>One router: gen {@code eth0} (198.51.100.1) — {@code in} (198.51.100.2, 2001:db8:1::2) rtr
 * {@code out} (203.0.113.1, 2001:db8:2::1) — {@code eth0} sink (203.0.113.2, 2001:db8:2::2). The sink
 * does not forward, and the routers address its frames to a MAC it does not have
 * ({@link #SINK_NEXT_HOP_MAC}), so whatever reaches it is counted on its veth and dropped. Plain
 * frames go to 203.0.113.100 (forwarded), plain frames to 203.0.113.200 are steered into H.Encaps
 * (SID 2001:db8:ee::1, routed to the sink), SRv6 frames go to the End.DX4 SID 2001:db8:ff::d4 with the
 * plain frame's packet inside (decapsulated to the sink).
 */
public final class WirePlan {
    private WirePlan() {}

    public static final String PLAIN = "ip4-forward";
    public static final String DX4 = "End.DX4";
    public static final String ENCAPS = "H.Encaps";

    /** The cases, in the order they run and are reported. */
    public static final List<String> CASES = List.of(PLAIN, DX4, ENCAPS);

    static final MacAddress GEN_MAC = MacAddress.parse("02:00:00:00:01:01");
    static final MacAddress IN_MAC = MacAddress.parse("02:00:00:00:01:02");
    static final MacAddress OUT_MAC = MacAddress.parse("02:00:00:00:02:01");
    static final MacAddress SINK_MAC = MacAddress.parse("02:00:00:00:02:02");

    /**
     * The MAC address both routers send the sink's frames to: nobody's, so that the sink's kernel
     * counts each frame on its veth and drops it at its first check ({@code PACKET_OTHERHOST} in
     * {@code ip_rcv}), as a traffic analyser's port would. Addressed to the sink's own MAC, each
     * frame went through the sink's route lookup to be refused there ({@code ip_route_input_slow},
     * {@code ip_error}), work that ran on the router's CPU (the veth hands the frame over inside the
     * sender's transmit) and so was charged to srv6sh: a profile of its thread showed it on top.
     */
    static final MacAddress SINK_NEXT_HOP_MAC = MacAddress.parse("02:00:00:00:02:99");

    static final Inet4Address GEN4 = Addresses.parse4("198.51.100.1");
    static final Inet6Address GEN6 = Addresses.parse6("2001:db8:1::1");
    static final Inet4Address SINK4 = Addresses.parse4("203.0.113.2");
    static final Inet6Address SINK6 = Addresses.parse6("2001:db8:2::2");
    static final Inet4Address FORWARDED = Addresses.parse4("203.0.113.100");
    static final Inet4Address STEERED = Addresses.parse4("203.0.113.200");
    static final Inet6Address DX4_SID = Addresses.parse6("2001:db8:ff::d4");
    static final Inet6Address ENCAP_SID = Addresses.parse6("2001:db8:ee::1");
    static final Prefix LOCATOR = Prefix.parse("2001:db8:ff::/48");

    /** The frame the generator sends for {@code c}. */
    public static byte[] frame(String c) {
        return switch (c) {
            case PLAIN -> WireFrames.plain(IN_MAC, GEN_MAC, GEN4, FORWARDED);
            case DX4 -> WireFrames.srv6(IN_MAC, GEN_MAC, GEN6, DX4_SID, GEN4, FORWARDED);
            case ENCAPS -> WireFrames.plain(IN_MAC, GEN_MAC, GEN4, STEERED);
            default -> throw new IllegalArgumentException("no wire case '" + c + "'; the cases are " + CASES);
        };
    }

    /** The one router's program, its interfaces on {@code driver} bound to the veths {@code in} and {@code out}. */
    public static DataplaneConfig router(String driver) {
        return new DataplaneConfig(
                "rtr",
                List.of(
                        new DataplaneConfig.Interface(
                                "in",
                                IN_MAC,
                                List.of(Prefix.parse("198.51.100.2/26"), Prefix.parse("2001:db8:1::2/64")),
                                1500,
                                driver,
                                "in"),
                        new DataplaneConfig.Interface(
                                "out",
                                OUT_MAC,
                                List.of(Prefix.parse("203.0.113.1/26"), Prefix.parse("2001:db8:2::1/64")),
                                1500,
                                driver,
                                "out")),
                List.of(
                        new DataplaneConfig.Route(0, Prefix.parse("203.0.113.64/26"), SINK4, "out"),
                        new DataplaneConfig.Route(0, Prefix.parse("2001:db8:ee::/48"), SINK6, "out")),
                List.of(
                        new DataplaneConfig.Neighbor(SINK4, SINK_NEXT_HOP_MAC, "out"),
                        new DataplaneConfig.Neighbor(SINK6, SINK_NEXT_HOP_MAC, "out"),
                        new DataplaneConfig.Neighbor(GEN4, GEN_MAC, "in")),
                List.of(new DataplaneConfig.Sid("dx4", DX4_SID, "End.DX4", Map.of("nh", Arg.of(SINK4)))),
                List.of(policy("p", ENCAP_SID)),
                List.of(new DataplaneConfig.Steer(0, Prefix.parse("203.0.113.192/26"), "p")),
                new DataplaneConfig.Encap(Addresses.parse6("2001:db8:2::1"), 64));
    }

    /** The kernel's equivalent, as {@code ip}/{@code sysctl} commands run in the router's namespace. */
    static List<List<String>> kernelRouter() {
        return List.of(
                List.of("ip", "addr", "add", "198.51.100.2/26", "dev", "in"),
                List.of("ip", "addr", "add", "2001:db8:1::2/64", "dev", "in", "nodad"),
                List.of("ip", "addr", "add", "203.0.113.1/26", "dev", "out"),
                List.of("ip", "addr", "add", "2001:db8:2::1/64", "dev", "out", "nodad"),
                List.of("sysctl", "-qw", "net.ipv4.ip_forward=1"),
                List.of("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1"),
                List.of("sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0"),
                List.of("sysctl", "-qw", "net.ipv4.conf.in.rp_filter=0"),
                List.of("ip", "route", "add", "203.0.113.64/26", "via", "203.0.113.2", "dev", "out"),
                List.of("ip", "-6", "route", "add", "2001:db8:ee::/48", "via", "2001:db8:2::2", "dev", "out"),
                List.of(
                        "ip",
                        "neigh",
                        "replace",
                        "203.0.113.2",
                        "lladdr",
                        SINK_MAC.toString(),
                        "dev",
                        "out",
                        "nud",
                        "permanent"),
                List.of(
                        "ip",
                        "-6",
                        "neigh",
                        "replace",
                        "2001:db8:2::2",
                        "lladdr",
                        SINK_MAC.toString(),
                        "dev",
                        "out",
                        "nud",
                        "permanent"));
    }

    /** The kernel's seg6 End.DX4 (refused where the kernel has no seg6). */
    static List<List<String>> kernelDx4() {
        return List.of(
                List.of("sysctl", "-qw", "net.ipv6.conf.all.seg6_enabled=1"),
                List.of("sysctl", "-qw", "net.ipv6.conf.in.seg6_enabled=1"),
                List.of(
                        "ip",
                        "-6",
                        "route",
                        "add",
                        DX4_SID.getHostAddress() + "/128",
                        "encap",
                        "seg6local",
                        "action",
                        "End.DX4",
                        "nh4",
                        "203.0.113.2",
                        "dev",
                        "out"));
    }

    /** The kernel's seg6 H.Encaps of 203.0.113.192/26 (refused where the kernel has no seg6). */
    static List<String> kernelEncaps() {
        return List.of(
                "ip",
                "route",
                "add",
                "203.0.113.192/26",
                "encap",
                "seg6",
                "mode",
                "encap",
                "segs",
                "2001:db8:ee::1",
                "dev",
                "out");
    }

    // Two routers for TCP: h1 eth0 — host r1 core — core r2 host — eth0 h2; hosts at MTU 1500, the middle link
    // at coreMtu.

    /**
     * The MTU of the link between the two TCP routers: 9000, or 1600 with {@code af_xdp}, whose frames
     * must fit a buffer after XDP's headroom (1,778 bytes of IP) and whose veths run XDP natively only
     * while the peer's MTU fits a page. Either carries a 1500-byte packet with H.Encaps' 64 bytes.
     */
    static int coreMtu(String driver) {
        return "af_xdp".equals(driver) ? 1600 : 9000;
    }

    static final MacAddress H1_MAC = MacAddress.parse("02:00:00:00:11:01");
    static final MacAddress R1A_MAC = MacAddress.parse("02:00:00:00:11:02");
    static final MacAddress R1B_MAC = MacAddress.parse("02:00:00:00:12:01");
    static final MacAddress R2B_MAC = MacAddress.parse("02:00:00:00:12:02");
    static final MacAddress R2A_MAC = MacAddress.parse("02:00:00:00:13:01");
    static final MacAddress H2_MAC = MacAddress.parse("02:00:00:00:13:02");

    static final String H1 = "198.51.100.1";
    static final String H2 = "203.0.113.2";

    /**
     * TCP router {@code n} (1 or 2): H.Encaps of the other host's prefix to the other router's End.DX4
     * SID, and its own End.DX4 SID decapsulating to its host.
     */
    static DataplaneConfig tcpRouter(int n, String driver) {
        boolean one = n == 1;
        String self6 = one ? "2001:db8:12::1" : "2001:db8:12::2";
        String peer6 = one ? "2001:db8:12::2" : "2001:db8:12::1";
        String host = one ? H1 : H2;
        return new DataplaneConfig(
                "r" + n,
                List.of(
                        new DataplaneConfig.Interface(
                                "host",
                                one ? R1A_MAC : R2A_MAC,
                                List.of(Prefix.parse(one ? "198.51.100.2/26" : "203.0.113.1/26")),
                                1500,
                                driver,
                                "host"),
                        new DataplaneConfig.Interface(
                                "core",
                                one ? R1B_MAC : R2B_MAC,
                                List.of(Prefix.parse(self6 + "/64")),
                                coreMtu(driver),
                                driver,
                                "core")),
                List.of(new DataplaneConfig.Route(0, Prefix.parse("::/0"), Addresses.parse(peer6), "core")),
                List.of(
                        new DataplaneConfig.Neighbor(Addresses.parse(host), one ? H1_MAC : H2_MAC, "host"),
                        new DataplaneConfig.Neighbor(Addresses.parse(peer6), one ? R2B_MAC : R1B_MAC, "core")),
                List.of(new DataplaneConfig.Sid(
                        "dx4", tcpSid(n), "End.DX4", Map.of("nh", Arg.of(Addresses.parse(host))))),
                List.of(policy("p", tcpSid(one ? 2 : 1))),
                List.of(new DataplaneConfig.Steer(0, Prefix.parse(one ? "203.0.113.0/26" : "198.51.100.0/26"), "p")),
                new DataplaneConfig.Encap(Addresses.parse6(self6), 64));
    }

    static Inet6Address tcpSid(int n) {
        return Addresses.parse6("2001:db8:f" + n + "::d4");
    }

    static Prefix tcpLocator(int n) {
        return Prefix.parse("2001:db8:f" + n + "::/48");
    }

    private static DataplaneConfig.Policy policy(String name, Inet6Address sid) {
        return new DataplaneConfig.Policy(
                name, null, PolicyMode.ENCAP, List.of(new DataplaneConfig.SegmentList(1, List.of(sid))));
    }
}
