package dev.srv6sh.interpreter.eval;

import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.cloud.RouterHandle;
import dev.srv6sh.dataplane.BehaviorSpec;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.grammar.ast.Span;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Binds the SRv6 program to a deployment: SIDs and BSIDs get addresses in their router's locator,
 * names become addresses, and each router's program is laid over the backend's topology into one
 * {@link DataplaneConfig}.
 *
 * <p>Allocation is stable by name: a SID without {@code at} takes the 16-bit function right after the
 * locator given by a hash of its name, so adding a SID never moves another (a collision, 1 in 65535
 * per pair, moves the later name in alphabetical order to the next free function).
 */
final class Binder implements Lookup {
    private final Desired d;
    private final Deployment dep;
    private final Map<String, Map<String, Inet6Address>> sidAddresses = new HashMap<>();
    private final Map<String, Map<String, Inet6Address>> bsids = new HashMap<>();

    Binder(Desired d, Deployment dep) {
        this.d = d;
        this.dep = dep;
        for (Desired.Router r : d.routers.values()) {
            Allocation a = allocate(r, dep.router(r.name).locator());
            sidAddresses.put(r.name, a.sids());
            bsids.put(r.name, a.bsids());
        }
    }

    @Override
    public Inet6Address sid(String router, String name, Span span) {
        return sidAddresses.get(router).get(name);
    }

    @Override
    public InetAddress host(String name, Span span) {
        return dep.host(name).address();
    }

    @Override
    public Prefix vpc(String name) {
        return d.vpcs.containsKey(name) ? dep.vpc(name).cidr() : null;
    }

    /** The addresses of a router's SIDs and its policies' BSIDs, by name. */
    record Allocation(Map<String, Inet6Address> sids, Map<String, Inet6Address> bsids) {}

    /**
     * Where router {@code r}'s SIDs and BSIDs go in {@code locator}, as apply binds them: also before
     * apply, for a locator the script gives ({@code in}, and {@code show sids} of a router not applied).
     */
    static Allocation allocate(Desired.Router r, Prefix locator) {
        if (locator.length() > 112) {
            throw new RuntimeFailure(
                    r.span, "locator " + locator + " of router " + r.name + " leaves no room for functions");
        }
        Map<String, Inet6Address> sids = new HashMap<>();
        Map<String, Inet6Address> policies = new HashMap<>();
        Set<Integer> used = new HashSet<>();
        used.add(0);
        TreeMap<String, Object> auto = new TreeMap<>();
        for (Desired.Sid s : r.sids.values()) {
            if (s.at() == null) {
                auto.put("sid " + s.name(), s);
                continue;
            }
            Inet6Address addr = placed(r.name, s, locator);
            used.add(function(locator, addr));
            sids.put(s.name(), addr);
        }
        for (Desired.Policy p : r.policies.values()) {
            if (p.bsid() == null) {
                auto.put("policy " + p.name(), p);
            } else if (p.bsid() instanceof Value.Addr a && a.address() instanceof Inet6Address b6) {
                policies.put(p.name(), b6);
            } else {
                throw new RuntimeFailure(p.span(), "a bsid is an IPv6 address");
            }
        }
        for (var e : auto.entrySet()) {
            Inet6Address addr = allocate(e.getKey(), locator, used);
            if (e.getValue() instanceof Desired.Sid s) {
                sids.put(s.name(), addr);
            } else {
                policies.put(((Desired.Policy) e.getValue()).name(), addr);
            }
        }
        return new Allocation(sids, policies);
    }

    /**
     * The address of {@code key} ({@code sid NAME}, {@code policy NAME}) in {@code locator}: the
     * function its name hashes to, or the next one not in {@code used}, which it joins.
     */
    static Inet6Address allocate(String key, Prefix locator, Set<Integer> used) {
        int f = fnv16(key);
        while (!used.add(f)) {
            f = (f + 1) & 0xffff;
        }
        return (Inet6Address) locator.host(BigInteger.valueOf(f).shiftLeft(112 - locator.length()));
    }

    /** Where a SID with {@code at} goes: the address, or the ::suffix OR'ed into the locator, inside it. */
    static Inet6Address placed(String router, Desired.Sid s, Prefix locator) {
        InetAddress a = ((Value.Addr) s.at()).address();
        Inet6Address addr = s.atSuffix() ? or(locator, a) : (Inet6Address) a;
        if (!locator.contains(addr)) {
            throw new RuntimeFailure(
                    s.span(),
                    "SID " + router + "." + s.name() + " at " + Addresses.format(addr)
                            + " is outside the router's locator " + locator);
        }
        return addr;
    }

    /** The function bits of {@code a} right after {@code locator} (what {@link #allocate} hands out). */
    static int function(Prefix locator, InetAddress a) {
        BigInteger v = new BigInteger(1, a.getAddress());
        return v.shiftRight(112 - locator.length()).intValue() & 0xffff;
    }

    static Inet6Address or(Prefix locator, InetAddress suffix) {
        byte[] x = locator.network().address().getAddress();
        byte[] y = suffix.getAddress();
        for (int i = 0; i < 16; i++) {
            x[i] |= y[i];
        }
        return Addresses.v6(x);
    }

    /** FNV-1a folded to 16 bits; never 0 (function 0 is the locator itself). */
    static int fnv16(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        int f = (h >>> 16) ^ (h & 0xffff);
        return f == 0 ? 1 : f;
    }

    DataplaneConfig config(Desired.Router r) {
        return config(r, true);
    }

    /**
     * Router {@code r}'s configuration: the backend's topology with the script's program; without the
     * backend's static neighbors unless {@code backendNeighbors} (the script's own {@code neighbor}
     * lines always stay).
     */
    DataplaneConfig config(Desired.Router r, boolean backendNeighbors) {
        RouterHandle h = dep.router(r.name);
        DataplaneConfig base = h.base();
        List<DataplaneConfig.Interface> ifaces = interfaces(r, base);
        List<DataplaneConfig.Route> routes = new ArrayList<>(base.routes());
        for (Desired.Route rt : r.routes) {
            routes.add(route(rt, this));
        }
        List<DataplaneConfig.Neighbor> neighbors = new ArrayList<>(backendNeighbors ? base.neighbors() : List.of());
        for (Desired.Neighbor n : r.neighbors) {
            neighbors.add(neighbor(n));
        }
        List<DataplaneConfig.Sid> sids = new ArrayList<>();
        for (Desired.Sid s : r.sids.values()) {
            sids.add(sid(s, sid(r.name, s.name(), s.span()), this));
        }
        List<DataplaneConfig.Policy> policies = new ArrayList<>();
        for (Desired.Policy p : r.policies.values()) {
            policies.add(policy(p, bsids.get(r.name).get(p.name()), this));
        }
        List<DataplaneConfig.Steer> steering = new ArrayList<>();
        for (Desired.Steer s : r.steering) {
            steering.add(steer(s, this));
        }
        Inet6Address source =
                r.encapSource == null ? h.transitAddress() : (Inet6Address) ((Value.Addr) r.encapSource).address();
        return new DataplaneConfig(
                r.name,
                ifaces,
                routes,
                neighbors,
                sids,
                policies,
                steering,
                new DataplaneConfig.Encap(source, r.encapHopLimit),
                r.srDomain != null ? r.srDomain : base.srDomain());
    }

    // ---- one item at a time: what the router shell lowers too ------------------------------------

    static DataplaneConfig.Route route(Desired.Route rt, Lookup names) {
        Prefix p = ((Value.Pfx) rt.prefix()).prefix();
        if (rt.via() instanceof Value.Str iface) {
            return new DataplaneConfig.Route(rt.table(), p, null, iface.value());
        }
        return new DataplaneConfig.Route(rt.table(), p, address(rt.via(), names), rt.oif());
    }

    static DataplaneConfig.Neighbor neighbor(Desired.Neighbor n) {
        return new DataplaneConfig.Neighbor(
                ((Value.Addr) n.address()).address(), ((Value.Mac) n.mac()).mac(), n.iface());
    }

    static DataplaneConfig.Sid sid(Desired.Sid s, Inet6Address address, Lookup names) {
        Map<String, Value> a = s.args();
        DataplaneConfig.CsidFormat csid = DataplaneConfig.CsidFormat.DEFAULT;
        return new DataplaneConfig.Sid(
                s.name(),
                address,
                s.behavior().name(),
                arguments(s, names),
                flavors(s),
                a.get(BehaviorSpec.COUNT.key()) instanceof Value.Bool c && c.value(),
                new DataplaneConfig.CsidFormat(
                        bits(a, BehaviorSpec.LBLEN.key(), csid.locatorBlockBits()),
                        bits(a, BehaviorSpec.NFLEN.key(), csid.nodeFunctionBits())));
    }

    static DataplaneConfig.Policy policy(Desired.Policy p, Inet6Address bsid, Lookup names) {
        List<DataplaneConfig.SegmentList> lists = new ArrayList<>();
        for (int i = 0; i < p.lists().size(); i++) {
            List<Inet6Address> segs = new ArrayList<>();
            for (Value v : p.lists().get(i)) {
                segs.add(segment(v, names));
            }
            lists.add(new DataplaneConfig.SegmentList(p.weights().get(i), segs));
        }
        return new DataplaneConfig.Policy(p.name(), bsid, p.mode(), lists);
    }

    static DataplaneConfig.Steer steer(Desired.Steer s, Lookup names) {
        return new DataplaneConfig.Steer(s.table(), match(s.match(), names), s.policy());
    }

    /**
     * Interface {@code base} with a declaration's settings: its MAC and MTU replace the base's; its
     * addresses are added to the base's (a script: the backend's own addresses stay) or, with {@code
     * replaceAddresses}, replace them (the router shell, where the block is the whole interface).
     */
    static DataplaneConfig.Interface iface(
            DataplaneConfig.Interface base, Desired.Interface decl, boolean replaceAddresses) {
        Map<String, Value> s = decl.settings();
        MacAddress mac = s.get("mac") instanceof Value.Mac m ? m.mac() : base.mac();
        int mtu = s.get("mtu") instanceof Value.Num n ? (int) n.value() : base.mtu();
        List<Prefix> addrs = new ArrayList<>(base.addresses());
        if (s.get("address") instanceof Value.ListV given) {
            if (replaceAddresses) {
                addrs.clear();
            }
            for (Value v : given.items()) {
                Prefix p = ((Value.Pfx) v).prefix();
                if (!addrs.contains(p)) {
                    addrs.add(p);
                }
            }
        }
        String driver = s.get("driver") instanceof Value.Str d ? d.value() : base.driver();
        String device = s.get("device") instanceof Value.Str d ? d.value() : base.device();
        return new DataplaneConfig.Interface(base.name(), mac, addrs, mtu, driver, device);
    }

    private List<DataplaneConfig.Interface> interfaces(Desired.Router r, DataplaneConfig base) {
        List<DataplaneConfig.Interface> out = new ArrayList<>();
        for (DataplaneConfig.Interface i : base.interfaces()) {
            Desired.Interface decl = r.interfaces.get(i.name());
            out.add(decl == null ? i : iface(i, decl, false));
        }
        for (Desired.Interface decl : r.interfaces.values()) {
            if (out.stream().noneMatch(i -> i.name().equals(decl.name()))) {
                throw new RuntimeFailure(
                        decl.span(),
                        "interface '" + decl.name() + "': the " + "local backend wires "
                                + "only the interfaces it creates (inside, transit); configure those instead");
            }
        }
        return out;
    }

    private static Inet6Address segment(Value v, Lookup names) {
        return switch (v) {
            case Value.SidRef s -> names.sid(s.router(), s.sid(), s.span());
            case Value.Addr a -> (Inet6Address) a.address();
            default -> throw new IllegalStateException("unchecked SID list entry " + v);
        };
    }

    private static Prefix match(Value v, Lookup names) {
        return switch (v) {
            case Value.Pfx p -> p.prefix();
            case Value.Res r when r.kind().equals("vpc") -> names.vpc(r.name());
            case Value.Res r -> new Prefix(names.host(r.name(), null), 32);
            case Value.Forward f ->
                names.vpc(f.name()) != null ? names.vpc(f.name()) : new Prefix(names.host(f.name(), f.span()), 32);
            default -> throw new IllegalStateException("unchecked steer match " + v);
        };
    }

    private static InetAddress address(Value v, Lookup names) {
        return switch (v) {
            case Value.Addr a -> a.address();
            case Value.Res r -> names.host(r.name(), null);
            case Value.Forward f -> names.host(f.name(), f.span());
            default -> throw new IllegalStateException("unchecked address " + v);
        };
    }

    /**
     * The behavior's own arguments as the data plane takes them, by the type of their checked value:
     * an address (a host's, once deployed), a number, a name. Its spec says what each one is.
     */
    private static Map<String, DataplaneConfig.Arg> arguments(Desired.Sid s, Lookup names) {
        Map<String, DataplaneConfig.Arg> out = new LinkedHashMap<>();
        for (BehaviorSpec.Param p : s.behavior().arguments()) {
            Value v = s.args().get(p.key());
            if (v != null) {
                out.put(
                        p.key(),
                        switch (v) {
                            case Value.Num n -> DataplaneConfig.Arg.of((int) n.value());
                            case Value.Str n -> DataplaneConfig.Arg.of(n.value());
                            default -> DataplaneConfig.Arg.of(address(v, names));
                        });
            }
        }
        return out;
    }

    private static int bits(Map<String, Value> args, String key, int otherwise) {
        return args.get(key) instanceof Value.Num n ? (int) n.value() : otherwise;
    }

    private static Set<DataplaneConfig.Flavor> flavors(Desired.Sid s) {
        Value f = s.args().get(BehaviorSpec.FLAVORS.key());
        if (f == null) {
            return Set.of();
        }
        Set<DataplaneConfig.Flavor> out = new HashSet<>();
        for (String word : ((Value.Str) f).value().split("[,\\s]+")) {
            out.add(BehaviorSpec.flavor(word)); // the checker let only flavors of the behavior through
        }
        return out;
    }
}
