package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.dataplane.proto.Ethernet;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a whole {@link DataplaneConfig} and compiles it into a {@link Fib}. Any problem is a
 * {@link ConfigException} naming the item, and nothing is swapped in.
 *
 * <p>Insertion order is the precedence for equal prefixes: connected routes, static routes, then
 * host routes to neighbors, own addresses, BSIDs, SIDs and steering, so that a more specific or later
 * intent wins. The SIDs are {@link SidCompiler}'s, by their behaviors' specs.
 */
final class FibBuilder {
    private static final Set<DataplaneConfig.PolicyMode> REDUCED = EnumSet.of(
            DataplaneConfig.PolicyMode.ENCAP_RED,
            DataplaneConfig.PolicyMode.INSERT_RED,
            DataplaneConfig.PolicyMode.ENCAP_L2_RED);
    private static final Set<DataplaneConfig.PolicyMode> INSERTS =
            EnumSet.of(DataplaneConfig.PolicyMode.INSERT, DataplaneConfig.PolicyMode.INSERT_RED);
    private static final Set<DataplaneConfig.PolicyMode> L2 =
            EnumSet.of(DataplaneConfig.PolicyMode.ENCAP_L2, DataplaneConfig.PolicyMode.ENCAP_L2_RED);

    final DataplaneConfig config;
    String[] ifNames;
    long[] ifSrcHi;
    long[] ifSrcLo;
    boolean[] ifHasSrc;
    boolean[] ifEdge;
    final Lpm trustedSources = new Lpm(128);
    int[] ifSrc4;
    boolean[] ifHasSrc4;
    int[] ifL2Policy;
    long[] ifMac;
    int[] ifMtu;
    final Lpm ip4 = new Lpm(32);
    final Lpm ip6 = new Lpm(128);
    /** Table id → {ip4, ip6}, in slot order (table 0 first). */
    final Map<Integer, Lpm[]> tables = new java.util.LinkedHashMap<>();

    final List<Integer> adjIf = new ArrayList<>();
    final List<Long> adjMac = new ArrayList<>();
    /** Per adjacency: the next hop as a neighbor key ({@link NeighborTable#keyHi}), or null: each packet's destination. */
    final List<InetAddress> adjNextHop = new ArrayList<>();
    /** Per interface: its IPv6 addresses as (hi, lo) pairs, its link-local one last; its IPv4 addresses and lengths. */
    long[][] ifAddr6;

    int[][] ifAddr4;
    int[][] ifLen4;
    /** The static neighbors: interface, key and MAC, installed as permanent entries of the neighbor table. */
    int[] staticIf;

    long[] staticHi;
    long[] staticLo;
    long[] staticMac;
    /** The local SIDs, compiled by their behaviors' specs. */
    final List<SidCompiler.Compiled> sids = new ArrayList<>();

    boolean[] policyReduced;
    int[] policyNode;
    int[][] policyMtu;
    DataplaneConfig.PolicyMode[] policyMode;
    long[][][] policySegments;
    int[][] policyWeights;
    int[] policyWeightTotal;
    String[] policyName;
    long encapSrcHi;
    long encapSrcLo;
    int encapHopLimit;
    private final Map<InetAddress, Long> neighbors = new HashMap<>();

    FibBuilder(DataplaneConfig config) {
        this.config = config;
        tables.put(0, new Lpm[] {ip4, ip6});
    }

    static Fib build(DataplaneConfig c) throws ConfigException {
        FibBuilder b = new FibBuilder(c);
        try {
            b.compile();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        return new Fib(b);
    }

    private void compile() throws ConfigException {
        List<DataplaneConfig.Interface> ifs = config.interfaces();
        ifNames = new String[ifs.size()];
        ifMac = new long[ifs.size()];
        ifMtu = new int[ifs.size()];
        ifSrcHi = new long[ifs.size()];
        ifSrcLo = new long[ifs.size()];
        ifHasSrc = new boolean[ifs.size()];
        ifSrc4 = new int[ifs.size()];
        ifHasSrc4 = new boolean[ifs.size()];
        ifL2Policy = new int[ifs.size()];
        java.util.Arrays.fill(ifL2Policy, -1);
        ifAddr6 = new long[ifs.size()][];
        ifAddr4 = new int[ifs.size()][];
        ifLen4 = new int[ifs.size()][];
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ifs.size(); i++) {
            DataplaneConfig.Interface f = ifs.get(i);
            if (!names.add(f.name())) {
                throw new ConfigException("interface '" + f.name() + "' is configured twice");
            }
            if (f.mtu() < 1280 || f.mtu() > 9001) {
                throw new ConfigException("interface " + f.name() + ": mtu " + f.mtu() + " is out of 1280..9001");
            }
            ifNames[i] = f.name();
            ifMac[i] = f.mac().value();
            ifMtu[i] = f.mtu();
            addresses(i, f);
            for (Prefix p : f.addresses()) {
                if (p.isIpv6() && !ifHasSrc[i]) {
                    byte[] a = p.address().getAddress();
                    ifSrcHi[i] = java.nio.ByteBuffer.wrap(a, 0, 8).getLong();
                    ifSrcLo[i] = java.nio.ByteBuffer.wrap(a, 8, 8).getLong();
                    ifHasSrc[i] = true;
                }
                if (!p.isIpv6() && !ifHasSrc4[i]) {
                    ifSrc4[i] = Addresses.toInt((Inet4Address) p.address());
                    ifHasSrc4[i] = true;
                }
            }
        }
        srDomain(config.srDomain());
        staticNeighbors();
        for (int i = 0; i < ifs.size(); i++) {
            for (Prefix p : ifs.get(i).addresses()) {
                insert(0, p.network(), Fib.encode(Fib.FORWARD, adjacency(i, 0, null)));
            }
        }
        for (DataplaneConfig.Route r : config.routes()) {
            int adj = r.via() == null
                    ? adjacency(iface(r.iface(), "route " + r.prefix()), 0, null)
                    : resolve(r.via(), r.iface(), "route " + r.prefix());
            insert(r.table(), r.prefix().network(), Fib.encode(Fib.FORWARD, adj));
        }
        for (DataplaneConfig.Neighbor n : config.neighbors()) {
            int ifi = iface(n.iface(), "neighbor");
            insert(
                    0,
                    host(n.address()),
                    Fib.encode(Fib.FORWARD, adjacency(ifi, n.mac().value(), n.address())));
        }
        for (DataplaneConfig.Interface f : ifs) {
            for (Prefix p : f.addresses()) {
                insert(0, host(p.address()), Fib.encode(Fib.LOCAL, 0));
            }
        }
        policies();
        new SidCompiler(this).compile(config.sids());
        for (DataplaneConfig.Steer s : config.steering()) {
            steer(s);
        }
        policyMtus();
    }

    private void steer(DataplaneConfig.Steer s) throws ConfigException {
        if ((s.prefix() == null) == (s.iface() == null)) {
            throw new ConfigException("steer into " + s.policy() + ": give a prefix or an interface (layer 2), not "
                    + (s.prefix() == null ? "neither" : "both"));
        }
        String what = "steer " + (s.prefix() != null ? s.prefix() : "interface " + s.iface());
        int p = policyIndex(s.policy());
        if (p < 0) {
            throw new ConfigException(what + ": no policy '" + s.policy() + "'");
        }
        DataplaneConfig.PolicyMode mode = policyMode[p];
        if (s.iface() != null) {
            int ifi = iface(s.iface(), what);
            if (!L2.contains(mode)) {
                throw new ConfigException(what + ": policy " + s.policy() + " is " + mode.text()
                        + "; frames steered by interface need encap.l2 or encap.l2.red (RFC 8986 §5.3-5.4)");
            }
            if (ifL2Policy[ifi] >= 0) {
                throw new ConfigException(
                        what + ": the interface is already steered into " + policyName[ifL2Policy[ifi]]);
            }
            ifL2Policy[ifi] = p;
            return;
        }
        if (L2.contains(mode)) {
            throw new ConfigException(what + ": policy " + s.policy() + " is " + mode.text()
                    + ", which takes the frames of an interface, not packets to a prefix");
        }
        if (INSERTS.contains(mode) && !s.prefix().isIpv6()) {
            throw new ConfigException(what + ": policy " + s.policy() + " is " + mode.text()
                    + ", and an SRH can be inserted into IPv6 packets only");
        }
        insert(s.table(), s.prefix().network(), Fib.encode(Fib.POLICY, p));
    }

    /** The MTU towards each SID list's first SID, once every route is in the main table. */
    private void policyMtus() {
        Lpm main = tables.get(0)[1];
        policyMtu = new int[policySegments.length][];
        for (int i = 0; i < policySegments.length; i++) {
            policyMtu[i] = new int[policySegments[i].length];
            for (int j = 0; j < policySegments[i].length; j++) {
                int r = main.lookup(policySegments[i][j][0], policySegments[i][j][1]);
                policyMtu[i][j] =
                        r >= 0 && Fib.kind(r) == Fib.FORWARD ? ifMtu[adjIf.get(Fib.index(r))] : Integer.MAX_VALUE;
            }
        }
    }

    private void srDomain(DataplaneConfig.SrDomain d) throws ConfigException {
        ifEdge = new boolean[ifNames.length];
        for (String name : d.edgeInterfaces()) {
            ifEdge[iface(name, "SR domain edge")] = true;
        }
        for (Prefix p : d.trustedSources()) {
            if (!p.isIpv6()) {
                throw new ConfigException("SR domain: trusted source " + p + " is not an IPv6 prefix");
            }
            byte[] a = p.network().address().getAddress();
            trustedSources.insert(
                    java.nio.ByteBuffer.wrap(a, 0, 8).getLong(),
                    java.nio.ByteBuffer.wrap(a, 8, 8).getLong(),
                    p.length(),
                    0);
        }
    }

    private void policies() throws ConfigException {
        List<DataplaneConfig.Policy> ps = config.policies();
        int n = ps.size();
        policyReduced = new boolean[n];
        policySegments = new long[n][][];
        policyWeights = new int[n][];
        policyWeightTotal = new int[n];
        policyName = new String[n];
        policyNode = new int[n];
        policyMode = new DataplaneConfig.PolicyMode[n];
        Set<String> names = new HashSet<>();
        for (int i = 0; i < n; i++) {
            DataplaneConfig.Policy p = ps.get(i);
            if (!names.add(p.name())) {
                throw new ConfigException("policy '" + p.name() + "' is configured twice");
            }
            if (p.lists().isEmpty()) {
                throw new ConfigException("policy " + p.name() + " has no SID list");
            }
            if (L2.contains(p.mode()) && p.bsid() != null) {
                throw new ConfigException("policy " + p.name() + ": " + p.mode().text()
                        + " takes frames steered by interface; a BSID would hand it IPv6 packets instead");
            }
            policyName[i] = p.name();
            policyMode[i] = p.mode();
            policyReduced[i] = REDUCED.contains(p.mode());
            policyNode[i] =
                    INSERTS.contains(p.mode()) ? Node.INSERT : L2.contains(p.mode()) ? Node.ENCAPS_L2 : Node.ENCAPS;
            policySegments[i] = new long[p.lists().size()][];
            policyWeights[i] = new int[p.lists().size()];
            for (int j = 0; j < p.lists().size(); j++) {
                DataplaneConfig.SegmentList l = p.lists().get(j);
                if (l.sids().isEmpty() || l.sids().size() > 15) {
                    throw new ConfigException("policy " + p.name() + ": a SID list holds 1 to 15 SIDs");
                }
                if (l.weight() < 1) {
                    throw new ConfigException("policy " + p.name() + ": weights are at least 1");
                }
                long[] segs = new long[2 * l.sids().size()];
                for (int k = 0; k < l.sids().size(); k++) {
                    byte[] a = l.sids().get(k).getAddress();
                    segs[2 * k] = java.nio.ByteBuffer.wrap(a, 0, 8).getLong();
                    segs[2 * k + 1] = java.nio.ByteBuffer.wrap(a, 8, 8).getLong();
                }
                policySegments[i][j] = segs;
                policyWeights[i][j] = l.weight();
                policyWeightTotal[i] += l.weight();
            }
            if (p.bsid() != null) {
                insert(0, host(p.bsid()), Fib.encode(Fib.POLICY, i));
            }
        }
        if (n > 0) {
            if (config.encap() == null || config.encap().source() == null) {
                throw new ConfigException("policies need an encapsulation source address");
            }
            byte[] a = config.encap().source().getAddress();
            encapSrcHi = java.nio.ByteBuffer.wrap(a, 0, 8).getLong();
            encapSrcLo = java.nio.ByteBuffer.wrap(a, 8, 8).getLong();
            encapHopLimit = config.encap().hopLimit();
            if (encapHopLimit < 1 || encapHopLimit > 255) {
                throw new ConfigException("encap hop limit " + encapHopLimit + " is out of 1..255");
            }
        }
    }

    int policyIndex(String name) {
        for (int i = 0; i < policyName.length; i++) {
            if (policyName[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    int iface(String name, String what) throws ConfigException {
        for (int i = 0; i < ifNames.length; i++) {
            if (ifNames[i].equals(name)) {
                return i;
            }
        }
        throw new ConfigException(what + ": no interface '" + name + "'");
    }

    /** The adjacency towards a next hop: its interface (given, or the connected subnet holding it) and MAC. */
    int resolve(InetAddress nh, String ifName, String what) throws ConfigException {
        int ifi = -1;
        if (ifName != null) {
            ifi = iface(ifName, what);
        } else {
            List<DataplaneConfig.Interface> ifs = config.interfaces();
            for (int i = 0; i < ifs.size() && ifi < 0; i++) {
                for (Prefix p : ifs.get(i).addresses()) {
                    if (p.contains(nh)) {
                        ifi = i;
                        break;
                    }
                }
            }
            if (ifi < 0) {
                throw new ConfigException(
                        what + ": next hop " + Addresses.format(nh) + " is not on a connected subnet of any interface");
            }
        }
        Long mac = neighbors.get(nh);
        return adjacency(ifi, mac == null ? 0 : mac, nh);
    }

    /**
     * An adjacency out of interface {@code ifi}: to a static neighbor's {@code mac}, or (0) to a
     * neighbor the data plane resolves: next hop {@code nh}, or each packet's own destination when
     * null (a connected or on-link route).
     */
    int adjacency(int ifi, long mac, InetAddress nh) {
        adjIf.add(ifi);
        adjMac.add(mac);
        adjNextHop.add(nh);
        return adjIf.size() - 1;
    }

    /** An interface's addresses by family, and the link-local address ND uses when it has no IPv6 one. */
    private void addresses(int i, DataplaneConfig.Interface f) {
        List<Prefix> v6 = f.addresses().stream().filter(Prefix::isIpv6).toList();
        List<Prefix> v4 = f.addresses().stream().filter(p -> !p.isIpv6()).toList();
        ifAddr6[i] = new long[2 * v6.size() + 2];
        for (int k = 0; k < v6.size(); k++) {
            ifAddr6[i][2 * k] = NeighborTable.keyHi(v6.get(k).address());
            ifAddr6[i][2 * k + 1] = NeighborTable.keyLo(v6.get(k).address());
        }
        ifAddr6[i][2 * v6.size()] = dev.srv6sh.dataplane.proto.Nd.LINK_LOCAL_HI;
        ifAddr6[i][2 * v6.size() + 1] = dev.srv6sh.dataplane.proto.Nd.linkLocalLo(ifMac[i]);
        ifAddr4[i] = new int[v4.size()];
        ifLen4[i] = new int[v4.size()];
        for (int k = 0; k < v4.size(); k++) {
            ifAddr4[i][k] = Addresses.toInt((Inet4Address) v4.get(k).address());
            ifLen4[i][k] = v4.get(k).length();
        }
    }

    /** Static neighbors win over what ARP and ND learn, and are checked against the table's room. */
    private void staticNeighbors() throws ConfigException {
        List<DataplaneConfig.Neighbor> ns = config.neighbors();
        if (ns.size() > NeighborTable.STATIC_MAX) {
            throw new ConfigException(ns.size() + " static neighbors: at most " + NeighborTable.STATIC_MAX
                    + " fit in the neighbor table beside the learned ones");
        }
        staticIf = new int[ns.size()];
        staticHi = new long[ns.size()];
        staticLo = new long[ns.size()];
        staticMac = new long[ns.size()];
        for (int k = 0; k < ns.size(); k++) {
            DataplaneConfig.Neighbor n = ns.get(k);
            String what = "neighbor " + Addresses.format(n.address());
            staticIf[k] = iface(n.iface(), what);
            if (!Ethernet.isUnicast(n.mac().value())) {
                throw new ConfigException(what + ": " + n.mac() + " is not a unicast MAC address");
            }
            staticHi[k] = NeighborTable.keyHi(n.address());
            staticLo[k] = NeighborTable.keyLo(n.address());
            staticMac[k] = n.mac().value();
            neighbors.put(n.address(), n.mac().value());
        }
    }

    private static Prefix host(InetAddress a) {
        return new Prefix(a, a instanceof Inet6Address ? 128 : 32);
    }

    /** The slot of a FIB table, creating an empty one the first time it is named. */
    int slot(int table) throws ConfigException {
        if (table < 0) {
            throw new ConfigException("table " + table + ": table numbers are 0 or more");
        }
        tables.computeIfAbsent(table, k -> new Lpm[] {new Lpm(32), new Lpm(128)});
        return new ArrayList<>(tables.keySet()).indexOf(table);
    }

    /** What was installed, in order, for {@code show fib}: (table, prefix, lookup result). */
    record Entry(int table, Prefix prefix, int result) {}

    final List<Entry> entries = new ArrayList<>();

    void insert(int table, Prefix p, int result) {
        entries.add(new Entry(table, p, result));
        Lpm[] t = tables.computeIfAbsent(table, k -> new Lpm[] {new Lpm(32), new Lpm(128)});
        byte[] a = p.address().getAddress();
        if (a.length == 4) {
            long hi = (long) Addresses.toInt((Inet4Address) p.address()) << 32;
            t[0].insert(hi, 0, p.length(), result);
        } else {
            long hi = java.nio.ByteBuffer.wrap(a, 0, 8).getLong();
            long lo = java.nio.ByteBuffer.wrap(a, 8, 8).getLong();
            t[1].insert(hi, lo, p.length(), result);
        }
    }
}
