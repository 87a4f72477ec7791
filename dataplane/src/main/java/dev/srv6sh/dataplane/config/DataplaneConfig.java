package dev.srv6sh.dataplane.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;

/**
 * Everything one router's data plane forwards with. Built by the interpreter (the SRv6 program) on
 * top of the backend's topology (interfaces, connected routes, neighbors), applied whole with
 * {@code Engine.apply}: validated first, then swapped in between vectors, or rejected leaving the old
 * one forwarding.
 */
public record DataplaneConfig(
        String router,
        List<Interface> interfaces,
        List<Route> routes,
        List<Neighbor> neighbors,
        List<Sid> sids,
        List<Policy> policies,
        List<Steer> steering,
        Encap encap,
        SrDomain srDomain) {

    public DataplaneConfig {
        srDomain = srDomain == null ? SrDomain.OPEN : srDomain;
        interfaces = List.copyOf(interfaces);
        routes = List.copyOf(routes);
        neighbors = List.copyOf(neighbors);
        sids = List.copyOf(sids);
        policies = List.copyOf(policies);
        steering = List.copyOf(steering);
    }

    /** A configuration with no SR domain edge ({@link SrDomain#OPEN}): every interface is inside the domain. */
    public DataplaneConfig(
            String router,
            List<Interface> interfaces,
            List<Route> routes,
            List<Neighbor> neighbors,
            List<Sid> sids,
            List<Policy> policies,
            List<Steer> steering,
            Encap encap) {
        this(router, interfaces, routes, neighbors, sids, policies, steering, encap, SrDomain.OPEN);
    }

    /** The same configuration with another SR domain edge. */
    public DataplaneConfig withSrDomain(SrDomain domain) {
        return new DataplaneConfig(router, interfaces, routes, neighbors, sids, policies, steering, encap, domain);
    }

    /**
     * The SR domain's edge (RFC 8754 §5.1; the malformed-input catalogue's M24): a packet addressed to
     * a local SID that arrives on one of {@code edgeInterfaces} is dropped unless its source is in
     * {@code trustedSources}. Interfaces not listed are inside the domain and accept SRv6 from any
     * source. {@link #OPEN}, the default, has no edge, so a router that never says where its domain
     * ends keeps accepting SRv6 everywhere, as Linux and VPP do.
     */
    public record SrDomain(List<String> edgeInterfaces, List<Prefix> trustedSources) {
        public static final SrDomain OPEN = new SrDomain(List.of(), List.of());

        public SrDomain {
            edgeInterfaces = List.copyOf(edgeInterfaces);
            trustedSources = List.copyOf(trustedSources);
        }
    }

    /** An interface ({@code inside}, {@code transit}, {@code mgmt}, or user-declared) and its addresses. */
    public record Interface(String name, MacAddress mac, List<Prefix> addresses, int mtu) {
        public Interface {
            addresses = List.copyOf(addresses);
        }
    }

    /** A route in FIB table {@code table} (0 = main); via is the next hop, or null for an on-link route out of iface. */
    public record Route(int table, Prefix prefix, InetAddress via, String iface) {}

    /** A static neighbor (ARP/ND entry). */
    public record Neighbor(InetAddress address, MacAddress mac, String iface) {}

    /**
     * A local SID. Arguments not used by the behavior are null/0/empty: nextHop for End.X/DX4/DX6,
     * oif for End.X/DX2, table for End.T/DT*, policy for End.B6.*. With the NEXT-CSID flavor (RFC
     * 9800), {@code locatorBlockBits} and {@code nodeFunctionBits} are the SID's Locator-Block length
     * (LBL) and Locator-Node + Function length (LNFL, the C-SID length); the rest of the 128 bits is
     * the argument that carries the next C-SIDs.
     */
    public record Sid(
            String name,
            Inet6Address address,
            Behavior behavior,
            InetAddress nextHop,
            String oif,
            int table,
            String policy,
            Set<Flavor> flavors,
            boolean count,
            int locatorBlockBits,
            int nodeFunctionBits) {
        /** RFC 9800's recommended NEXT-CSID format, Linux's defaults: a 32-bit block, 16-bit C-SIDs. */
        public static final int DEFAULT_BLOCK_BITS = 32;

        public static final int DEFAULT_NODE_FUNCTION_BITS = 16;

        public Sid {
            flavors = Set.copyOf(flavors);
        }

        /** A SID with the default NEXT-CSID lengths (32 and 16), which only NEXT-CSID reads. */
        public Sid(
                String name,
                Inet6Address address,
                Behavior behavior,
                InetAddress nextHop,
                String oif,
                int table,
                String policy,
                Set<Flavor> flavors,
                boolean count) {
            this(
                    name,
                    address,
                    behavior,
                    nextHop,
                    oif,
                    table,
                    policy,
                    flavors,
                    count,
                    DEFAULT_BLOCK_BITS,
                    DEFAULT_NODE_FUNCTION_BITS);
        }
    }

    /** An SR policy: a binding SID, a headend mode and one or more weighted SID lists (first SID first). */
    public record Policy(String name, Inet6Address bsid, PolicyMode mode, List<SegmentList> lists) {
        public Policy {
            lists = List.copyOf(lists);
        }
    }

    public record SegmentList(int weight, List<Inet6Address> sids) {
        public SegmentList {
            sids = List.copyOf(sids);
        }
    }

    /**
     * Traffic to {@code prefix} (looked up in {@code table}) is steered into {@code policy}; or, with
     * {@code iface} set and no prefix, every frame received on that interface is steered whole into
     * an {@code encap.l2[.red]} policy (H.Encaps.L2, RFC 8986 §5.3-5.4: the interface becomes an
     * attachment circuit).
     */
    public record Steer(int table, Prefix prefix, String policy, String iface) {
        /** Steering by destination prefix. */
        public Steer(int table, Prefix prefix, String policy) {
            this(table, prefix, policy, null);
        }

        /** Steering of all frames received on {@code iface} (layer 2). */
        public static Steer l2(String iface, String policy) {
            return new Steer(0, null, policy, iface);
        }
    }

    /** The outer IPv6 source and hop limit of encapsulated packets. */
    public record Encap(Inet6Address source, int hopLimit) {}

    /** RFC 8986 endpoint behaviors. */
    public enum Behavior {
        END("End"),
        END_X("End.X"),
        END_T("End.T"),
        END_DX2("End.DX2"),
        END_DX4("End.DX4"),
        END_DX6("End.DX6"),
        END_DT4("End.DT4"),
        END_DT6("End.DT6"),
        END_DT46("End.DT46"),
        END_B6_ENCAPS("End.B6.Encaps"),
        END_B6_ENCAPS_RED("End.B6.Encaps.Red"),
        END_B6_INSERT("End.B6.Insert"),
        END_B6_INSERT_RED("End.B6.Insert.Red");

        private final String text;

        Behavior(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        /** Case-insensitive lookup of the RFC name ({@code end.dx4} → END_DX4), or null. */
        public static Behavior byName(String name) {
            for (Behavior b : values()) {
                if (b.text.equalsIgnoreCase(name)) {
                    return b;
                }
            }
            return null;
        }
    }

    /** RFC 8986 §4.16 flavors. */
    public enum Flavor {
        PSP,
        USP,
        USD,
        NEXT_CSID
    }

    /** Headend behaviors (RFC 8986 §5), as the language spells policy modes. */
    public enum PolicyMode {
        ENCAP("encap"),
        ENCAP_RED("encap.red"),
        INSERT("insert"),
        INSERT_RED("insert.red"),
        ENCAP_L2("encap.l2"),
        ENCAP_L2_RED("encap.l2.red");

        private final String text;

        PolicyMode(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        public static PolicyMode byName(String name) {
            for (PolicyMode m : values()) {
                if (m.text.equalsIgnoreCase(name)) {
                    return m;
                }
            }
            return null;
        }
    }
}
