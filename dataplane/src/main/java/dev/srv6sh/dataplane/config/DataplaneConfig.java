package dev.srv6sh.dataplane.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    /**
     * The same program with every interface in memory (driver {@code memory}, no device): what a
     * scratch engine runs to replay a router's frames (a trace's replay, {@code srv6sh replay}),
     * whatever devices the router itself is bound to.
     */
    public DataplaneConfig inMemory() {
        return withInterfaces(
                interfaces.stream().map(i -> i.on(Interface.MEMORY, null)).toList());
    }

    /** The same configuration with other interfaces. */
    public DataplaneConfig withInterfaces(List<Interface> other) {
        return new DataplaneConfig(router, other, routes, neighbors, sids, policies, steering, encap, srDomain);
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
    /**
     * An interface ({@code inside}, {@code transit}, {@code mgmt}, or user-declared), its addresses,
     * and how it reaches the wire: its {@code driver} ({@code memory}, the default, {@code af_packet},
     * {@code af_packet_v3}, {@code tap}, {@code udp}; null means memory) and the {@code device} it binds (a Linux device,
     * or for udp the wire {@code "LOCAL:PORT->PEER:PORT"}; null for memory). The
     * driver and device are the router's to open when it starts: the router daemon opens them, the
     * local backend has only memory ports.
     */
    public record Interface(
            String name, MacAddress mac, List<Prefix> addresses, int mtu, String driver, String device) {
        /** The driver an interface has when none is said. */
        public static final String MEMORY = "memory";

        public Interface {
            addresses = List.copyOf(addresses);
            driver = driver == null || driver.isEmpty() ? MEMORY : driver;
            if (MEMORY.equals(driver) && device != null) {
                throw new IllegalArgumentException(
                        "interface " + name + ": a memory port has no device ('" + device + "')");
            }
        }

        /** An in-memory interface. */
        public Interface(String name, MacAddress mac, List<Prefix> addresses, int mtu) {
            this(name, mac, addresses, mtu, MEMORY, null);
        }

        /** The same interface on another driver and device. */
        public Interface on(String d, String dev) {
            return new Interface(name, mac, addresses, mtu, d, dev);
        }
    }

    /** A route in FIB table {@code table} (0 = main); via is the next hop, or null for an on-link route out of iface. */
    public record Route(int table, Prefix prefix, InetAddress via, String iface) {}

    /** A static neighbor (ARP/ND entry). */
    public record Neighbor(InetAddress address, MacAddress mac, String iface) {}

    /**
     * A local SID: its name, address and behavior (an RFC name such as {@code End.DX4}, which the data
     * plane's behavior registry knows), the behavior's own arguments by key ({@code nh}, {@code oif},
     * {@code table}, {@code policy}: what that behavior's spec declares), the flavors, whether its
     * counters were asked for (every SID is counted; this records the request) and, for NEXT-CSID,
     * the SID's format. Nothing here is per behavior, so a new behavior needs no new field.
     */
    public record Sid(
            String name,
            Inet6Address address,
            String behavior,
            Map<String, Arg> args,
            Set<Flavor> flavors,
            boolean count,
            CsidFormat csid) {
        public Sid {
            Objects.requireNonNull(behavior, "behavior");
            args = args == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(args));
            flavors = Set.copyOf(flavors);
            csid = csid == null ? CsidFormat.DEFAULT : csid;
        }

        /** A SID without flavors, with the default NEXT-CSID format. */
        public Sid(String name, Inet6Address address, String behavior, Map<String, Arg> args) {
            this(name, address, behavior, args, Set.of(), false, CsidFormat.DEFAULT);
        }

        /** The same SID with these flavors. */
        public Sid withFlavors(Set<Flavor> f) {
            return new Sid(name, address, behavior, args, f, count, csid);
        }

        /** The same SID with this NEXT-CSID format. */
        public Sid withCsid(CsidFormat format) {
            return new Sid(name, address, behavior, args, flavors, count, format);
        }
    }

    /**
     * A value of a SID's argument. Its behavior's spec says what the value is (a next hop, a table,
     * an interface, a policy) and so what the data plane resolves it to; the value only says its type.
     */
    public sealed interface Arg {
        /** An address: a next hop. */
        record Address(InetAddress address) implements Arg {
            public Address {
                Objects.requireNonNull(address, "address");
            }
        }

        /** A whole number: a table. */
        record Int(int value) implements Arg {}

        /** A name: an interface, a policy. */
        record Name(String name) implements Arg {
            public Name {
                Objects.requireNonNull(name, "name");
            }
        }

        /** The value as scripts write it ({@code 10.11.1.10}, {@code 10}, {@code inside}). */
        default String text() {
            return switch (this) {
                case Address a -> Addresses.format(a.address());
                case Int i -> Integer.toString(i.value());
                case Name n -> n.name();
            };
        }

        static Arg of(InetAddress address) {
            return new Address(address);
        }

        static Arg of(int value) {
            return new Int(value);
        }

        static Arg of(String name) {
            return new Name(name);
        }
    }

    /**
     * A NEXT-CSID SID's format (RFC 9800): its Locator-Block length (LBL) and Locator-Node + Function
     * length (LNFL, the C-SID length) in bits; the rest of the 128 bits is the argument that carries
     * the next C-SIDs. Only NEXT-CSID reads it.
     */
    public record CsidFormat(int locatorBlockBits, int nodeFunctionBits) {
        /** RFC 9800's recommended format, Linux's defaults: a 32-bit block, 16-bit C-SIDs. */
        public static final CsidFormat DEFAULT = new CsidFormat(32, 16);
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
