package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.BehaviorSpec.Kind;
import dev.srv6sh.dataplane.BehaviorSpec.Param;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.DataplaneConfig.Arg;
import dev.srv6sh.dataplane.config.DataplaneConfig.Flavor;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Compiles a configuration's local SIDs into the FIB by their behaviors' specs ({@link Behaviors}):
 * the behavior by name, the flavors it takes, and each argument by its kind. A next hop becomes an
 * adjacency, out of the SID's interface argument if it has one, else out of the interface whose
 * subnet holds it; an interface alone becomes an adjacency out of it; a table its slot (0 when an
 * optional one is left out); a policy its index. Nothing here names a behavior, so a behavior whose
 * arguments are of these kinds compiles without a line of its own. Problems are {@link
 * ConfigException}s naming the SID.
 */
final class SidCompiler {
    /**
     * SID i as the graph reads it ({@link Fib}'s sid arrays): its node, adjacency (-1: none), table
     * slot, policy (-1: none), flavor bits, and with NEXT-CSID the C-SID length and the block and
     * argument masks (hi, lo, hi, lo; all zero without).
     */
    record Compiled(
            String name,
            String behavior,
            int node,
            int adj,
            int table,
            int policy,
            int flavors,
            int csidBits,
            long[] masks) {}

    private final FibBuilder fib;

    SidCompiler(FibBuilder fib) {
        this.fib = fib;
    }

    void compile(List<DataplaneConfig.Sid> sids) throws ConfigException {
        Set<InetAddress> seen = new HashSet<>();
        for (DataplaneConfig.Sid s : sids) {
            String what = "sid " + s.name() + " (" + Addresses.format(s.address()) + ")";
            if (!seen.add(s.address())) {
                throw new ConfigException(what + ": another SID has the same address");
            }
            BehaviorSpec spec = Behaviors.byName(s.behavior());
            if (spec == null) {
                throw new ConfigException(
                        what + ": " + s.behavior() + " is not implemented by this version of the data plane");
            }
            int flavors = flavors(s, spec, what);
            int prefixLength = 128;
            long[] masks = new long[4];
            if ((flavors & Endpoint.NEXT_CSID) != 0) {
                prefixLength = nextCsid(s, what, masks);
            }
            Targets t = arguments(s, spec, what);
            fib.sids.add(new Compiled(
                    s.name(),
                    spec.name(),
                    Behaviors.node(spec),
                    t.adj(),
                    t.table(),
                    t.policy(),
                    flavors,
                    s.csid().nodeFunctionBits(),
                    masks));
            fib.insert(0, new Prefix(s.address(), prefixLength), Fib.encode(Fib.LOCAL_SID, fib.sids.size() - 1));
        }
    }

    /** What a SID's arguments resolve to: an adjacency (-1: none), a table slot, a policy (-1: none). */
    private record Targets(int adj, int table, int policy) {}

    /** Each argument checked and resolved by its kind; an optional one left out resolves to nothing. */
    private Targets arguments(DataplaneConfig.Sid s, BehaviorSpec spec, String what) throws ConfigException {
        for (String key : s.args().keySet()) {
            if (spec.argument(key) == null) {
                List<String> keys = spec.arguments().stream().map(Param::key).toList();
                throw new ConfigException(what + ": " + spec.name() + " takes no argument '" + key + "'"
                        + (keys.isEmpty() ? "" : "; it takes " + String.join(", ", keys)));
            }
        }
        int adj = -1;
        int table = 0; // the main table's slot: a table left out
        int policy = -1;
        for (Param p : spec.arguments()) {
            Arg a = s.args().get(p.key());
            if (a == null) {
                if (p.required()) {
                    throw needs(what, spec, p, "");
                }
                continue;
            }
            switch (p.kind()) {
                case IPV4_NEXT_HOP, IPV6_NEXT_HOP -> {
                    if (!(a instanceof Arg.Address(InetAddress nh))
                            || (nh instanceof Inet4Address) != (p.kind() == Kind.IPV4_NEXT_HOP)) {
                        throw needs(what, spec, p, "");
                    }
                    adj = fib.resolve(nh, interfaceOf(s, spec, what), what);
                }
                case INTERFACE -> {
                    String name = name(a, what, spec, p);
                    if (!hasNextHop(spec)) { // with a next hop, the interface is where that is reached
                        adj = fib.adjacency(fib.iface(name, what), 0, null);
                    }
                }
                case TABLE -> {
                    if (!(a instanceof Arg.Int(int id))) {
                        throw needs(what, spec, p, "");
                    }
                    table = fib.slot(id);
                }
                case POLICY -> {
                    String name = name(a, what, spec, p);
                    policy = fib.policyIndex(name);
                    if (policy < 0) {
                        throw needs(what, spec, p, "; there is no policy '" + name + "'");
                    }
                }
                case FLAVORS, BITS, BOOL -> throw new IllegalStateException(p.kind() + " is not an argument");
            }
        }
        return new Targets(adj, table, policy);
    }

    private static ConfigException needs(String what, BehaviorSpec spec, Param p, String more) {
        return new ConfigException(
                what + ": " + spec.name() + " needs " + p.kind().description() + " (" + p.key() + ")" + more);
    }

    private static String name(Arg a, String what, BehaviorSpec spec, Param p) throws ConfigException {
        if (a instanceof Arg.Name(String name)) {
            return name;
        }
        throw needs(what, spec, p, "");
    }

    private static boolean hasNextHop(BehaviorSpec spec) {
        return spec.arguments().stream()
                .anyMatch(p -> p.kind() == Kind.IPV4_NEXT_HOP || p.kind() == Kind.IPV6_NEXT_HOP);
    }

    /** The SID's interface argument, through which its next hop is reached, or null: find it by subnet. */
    private static String interfaceOf(DataplaneConfig.Sid s, BehaviorSpec spec, String what) throws ConfigException {
        for (Param p : spec.arguments()) {
            if (p.kind() == Kind.INTERFACE && s.args().get(p.key()) != null) {
                return name(s.args().get(p.key()), what, spec, p);
            }
        }
        return null;
    }

    /** The flavor bits, each flavor checked against those the behavior takes. */
    private static int flavors(DataplaneConfig.Sid s, BehaviorSpec spec, String what) throws ConfigException {
        int bits = 0;
        for (Flavor f : s.flavors()) {
            if (!spec.flavors().contains(f)) {
                throw new ConfigException(
                        f == Flavor.NEXT_CSID
                                ? what + ": NEXT-CSID applies to " + takers(Flavor.NEXT_CSID) + " (RFC 9800 §4.1-4.2)"
                                : what + ": flavors apply to " + takers(f) + " (RFC 8986 §4.16)");
            }
            bits |= switch (f) {
                case PSP -> Endpoint.PSP;
                case USP -> Endpoint.USP;
                case USD -> Endpoint.USD;
                case NEXT_CSID -> Endpoint.NEXT_CSID;
            };
        }
        return bits;
    }

    /** The behaviors that take flavor {@code f}, in words: "End, End.X and End.T". */
    private static String takers(Flavor f) {
        List<String> names = Behaviors.all().stream()
                .filter(b -> b.flavors().contains(f))
                .map(BehaviorSpec::name)
                .toList();
        return names.size() < 2
                ? String.join("", names)
                : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.getLast();
    }

    /**
     * Checks a NEXT-CSID SID's lengths as Linux does (whole octets, both non-zero, room left for an
     * argument), fills its block and argument masks and returns the prefix length it is installed
     * at: LBL + LNFL (RFC 9800 §4.1), so that a DA carrying further C-SIDs in its argument matches.
     */
    private static int nextCsid(DataplaneConfig.Sid s, String what, long[] masks) throws ConfigException {
        int lbl = s.csid().locatorBlockBits();
        int lnfl = s.csid().nodeFunctionBits();
        if (lbl <= 0 || lnfl <= 0 || lbl % 8 != 0 || lnfl % 8 != 0 || lbl + lnfl >= 128) {
            throw new ConfigException(what + ": NEXT-CSID locator-block length " + lbl
                    + " and node-function length " + lnfl
                    + " must be non-zero multiples of 8 that leave argument bits (sum below 128)");
        }
        byte[] a = s.address().getAddress();
        long hi = ByteBuffer.wrap(a, 0, 8).getLong();
        long lo = ByteBuffer.wrap(a, 8, 8).getLong();
        for (int bit = 0; bit < 128; bit++) {
            long mask = 1L << (63 - (bit & 63));
            int at = bit < 64 ? 0 : 1;
            if (bit < lbl) {
                masks[at] |= mask;
            } else if (bit >= lbl + lnfl) {
                masks[2 + at] |= mask;
            }
        }
        if ((hi & masks[2]) != 0 || (lo & masks[3]) != 0) {
            throw new ConfigException(what + ": with NEXT-CSID the bits after the first " + (lbl + lnfl)
                    + " (the argument) must be zero");
        }
        return lbl + lnfl;
    }
}
