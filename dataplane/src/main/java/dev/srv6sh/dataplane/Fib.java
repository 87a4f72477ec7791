package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import java.util.List;

/**
 * The forwarding state one configuration compiles to: immutable once built, read by the nodes, and
 * swapped whole between vectors. Lookup results are ints: a kind in the top byte, an index below.
 */
final class Fib {
    static final int FORWARD = 1; // index: adjacency
    static final int LOCAL = 2; // an address of this router
    static final int POLICY = 3; // index: policy (steering, BSID)
    static final int LOCAL_SID = 4; // index: SID

    static int kind(int result) {
        return result >>> 24;
    }

    static int index(int result) {
        return result & 0xff_ffff;
    }

    static int encode(int kind, int index) {
        return (kind << 24) | index;
    }

    final DataplaneConfig config;
    final String[] ifNames;
    final long[] ifMac;
    final int[] ifMtu;
    /** Each interface's first IPv6 address: the source of the ICMPv6 errors it sends. */
    final long[] ifSrcHi;

    final long[] ifSrcLo;
    final boolean[] ifHasSrc;
    /** Interfaces at the SR domain's edge, and the sources trusted there (catalogue M24). */
    final boolean[] ifEdge;

    final Lpm trustedSources;
    /** Each interface's first IPv4 address: the source of the ICMP errors it sends. */
    final int[] ifSrc4;

    final boolean[] ifHasSrc4;
    /** The encap.l2 policy an interface's frames are steered into, or -1 (not steered at layer 2). */
    final int[] ifL2Policy;
    /** FIB tables (VRFs) by slot: slot 0 is table 0; a SID or buffer names a table by its slot. */
    final Lpm[] ip4Tables;

    final Lpm[] ip6Tables;

    /**
     * Adjacency i: out of interface adjIf[i] to a static neighbor's adjMac[i], or (0) to a neighbor the
     * {@link Neighbors} resolve: the next hop adjNextHi/Lo[i] (a {@link NeighborTable} key), or, where
     * adjGlean[i] (a connected or on-link route), each packet's own destination.
     */
    final int[] adjIf;

    final long[] adjMac;
    final long[] adjNextHi;
    final long[] adjNextLo;
    final boolean[] adjGlean;
    /** Per interface: IPv6 addresses as (hi, lo) pairs with the link-local one last, IPv4 addresses and lengths. */
    final long[][] ifAddr6;

    final int[][] ifAddr4;
    final int[][] ifLen4;
    /** Static neighbors: interface, key, MAC. */
    final int[] staticIf;

    final long[] staticHi;
    final long[] staticLo;
    final long[] staticMac;

    /** SID i: its behavior's RFC name, for counters, traces and show fib. */
    final String[] sidBehavior;

    /** The node that runs SID i's behavior ({@link Behaviors}). */
    final int[] sidNode;

    /** The adjacency of a next hop or an interface argument (End.X, End.DX2/4/6), or -1. */
    final int[] sidAdj;
    /** The table slot a table argument names (End.T, End.DT*). */
    final int[] sidTable;
    /** End.PSP | End.USP | End.USD bits. */
    final int[] sidFlavors;
    /** The policy End.B6.Encaps(.Red) and End.B6.Insert(.Red) bind to. */
    final int[] sidPolicy;
    /** NEXT-CSID: the C-SID length (LNFL), the Locator-Block's bits and the argument's bits as masks. */
    final int[] sidCsidBits;

    final long[] sidBlockHi;
    final long[] sidBlockLo;
    final long[] sidArgHi;
    final long[] sidArgLo;

    final String[] sidName;

    /** Policy i, SID list j: the segments in visit order as (hi, lo) pairs, and the list's weight. */
    final boolean[] policyReduced;

    final long[][][] policySegments;
    final int[][] policyWeights;
    final int[] policyWeightTotal;
    final String[] policyName;

    /** Every prefix installed, in order (for show fib; lookups use the tables). */
    final List<FibBuilder.Entry> entries;
    /** The node a lookup hands policy i's packets to: sr-policy-rewrite-encaps or -insert. */
    final int[] policyNode;
    /**
     * Policy i, SID list j: the MTU of the interface the main table reaches its first SID by, against
     * which the headend checks what it adds (Integer.MAX_VALUE when that is not a plain route).
     */
    final int[][] policyMtu;

    final long encapSrcHi;
    final long encapSrcLo;
    final int encapHopLimit;

    Fib(FibBuilder b) {
        config = b.config;
        ifNames = b.ifNames;
        ifMac = b.ifMac;
        ifMtu = b.ifMtu;
        ifSrcHi = b.ifSrcHi;
        ifSrcLo = b.ifSrcLo;
        ifHasSrc = b.ifHasSrc;
        ifEdge = b.ifEdge;
        trustedSources = b.trustedSources;
        ifSrc4 = b.ifSrc4;
        ifHasSrc4 = b.ifHasSrc4;
        ifL2Policy = b.ifL2Policy;
        ip4Tables = b.tables.values().stream().map(t -> t[0]).toArray(Lpm[]::new);
        ip6Tables = b.tables.values().stream().map(t -> t[1]).toArray(Lpm[]::new);
        adjIf = b.adjIf.stream().mapToInt(Integer::intValue).toArray();
        adjMac = b.adjMac.stream().mapToLong(Long::longValue).toArray();
        adjGlean = new boolean[adjIf.length];
        adjNextHi = new long[adjIf.length];
        adjNextLo = new long[adjIf.length];
        for (int i = 0; i < adjIf.length; i++) {
            java.net.InetAddress nh = b.adjNextHop.get(i);
            adjGlean[i] = nh == null;
            adjNextHi[i] = nh == null ? 0 : NeighborTable.keyHi(nh);
            adjNextLo[i] = nh == null ? 0 : NeighborTable.keyLo(nh);
        }
        ifAddr6 = b.ifAddr6;
        ifAddr4 = b.ifAddr4;
        ifLen4 = b.ifLen4;
        staticIf = b.staticIf;
        staticHi = b.staticHi;
        staticLo = b.staticLo;
        staticMac = b.staticMac;
        List<SidCompiler.Compiled> sids = b.sids;
        sidBehavior = sids.stream().map(SidCompiler.Compiled::behavior).toArray(String[]::new);
        sidNode = sids.stream().mapToInt(SidCompiler.Compiled::node).toArray();
        sidAdj = sids.stream().mapToInt(SidCompiler.Compiled::adj).toArray();
        sidTable = sids.stream().mapToInt(SidCompiler.Compiled::table).toArray();
        sidFlavors = sids.stream().mapToInt(SidCompiler.Compiled::flavors).toArray();
        sidPolicy = sids.stream().mapToInt(SidCompiler.Compiled::policy).toArray();
        sidCsidBits = sids.stream().mapToInt(SidCompiler.Compiled::csidBits).toArray();
        sidBlockHi = sids.stream().mapToLong(x -> x.masks()[0]).toArray();
        sidBlockLo = sids.stream().mapToLong(x -> x.masks()[1]).toArray();
        sidArgHi = sids.stream().mapToLong(x -> x.masks()[2]).toArray();
        sidArgLo = sids.stream().mapToLong(x -> x.masks()[3]).toArray();
        sidName = sids.stream().map(SidCompiler.Compiled::name).toArray(String[]::new);
        policyReduced = b.policyReduced;
        policySegments = b.policySegments;
        policyWeights = b.policyWeights;
        policyWeightTotal = b.policyWeightTotal;
        policyName = b.policyName;
        entries = List.copyOf(b.entries);
        policyNode = b.policyNode;
        policyMtu = b.policyMtu;
        encapSrcHi = b.encapSrcHi;
        encapSrcLo = b.encapSrcLo;
        encapHopLimit = b.encapHopLimit;
        policyTemplate = new java.lang.foreign.MemorySegment[2][policySegments.length][];
        for (int p = 0; p < policySegments.length; p++) {
            for (int r = 0; r < 2; r++) {
                policyTemplate[r][p] = new java.lang.foreign.MemorySegment[policySegments[p].length];
                for (int l = 0; l < policySegments[p].length; l++) {
                    policyTemplate[r][p][l] = template(policySegments[p][l], r == 1);
                }
            }
        }
    }

    /**
     * Policy p's SID list l as the outer IPv6 header and SRH it pushes, built once (VPP's rewrite
     * string): [1] reduced (the first SID left out of the SRH), [0] full. The encapsulating node copies
     * it in front of the packet and patches the few fields that vary (traffic class, flow label,
     * payload length, the inner packet's next header).
     */
    final java.lang.foreign.MemorySegment[][][] policyTemplate;

    private java.lang.foreign.MemorySegment template(long[] segs, boolean reduced) {
        int count = segs.length / 2;
        int inSrh = reduced ? count - 1 : count;
        int length = dev.srv6sh.dataplane.proto.Ip6.LENGTH
                + (inSrh == 0 ? 0 : dev.srv6sh.dataplane.proto.Srh.FIXED + 16 * inSrh);
        java.lang.foreign.MemorySegment t = java.lang.foreign.MemorySegment.ofArray(new byte[length]);
        Encaps.push(this, t, 0, segs, inSrh, 0, 0, 0, 0);
        return t;
    }

    /** Whether (hi, lo) is an IPv6 address of interface {@code ifi}, its link-local one included. */
    boolean isAddress6(int ifi, long hi, long lo) {
        long[] a = ifAddr6[ifi];
        for (int k = 0; k < a.length; k += 2) {
            if (a[k] == hi && a[k + 1] == lo) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code ip} is an IPv4 address of interface {@code ifi}. */
    boolean isAddress4(int ifi, int ip) {
        for (int a : ifAddr4[ifi]) {
            if (a == ip) {
                return true;
            }
        }
        return false;
    }

    /**
     * The IPv4 source of an ARP request for {@code target} out of {@code ifi}: the interface's address
     * on the target's subnet, else its first, else 0.0.0.0 (RFC 5227's probe, which is still answered).
     */
    int arpSource(int ifi, int target) {
        int[] a = ifAddr4[ifi];
        for (int k = 0; k < a.length; k++) {
            int mask = ifLen4[ifi][k] == 0 ? 0 : -1 << (32 - ifLen4[ifi][k]);
            if (((a[k] ^ target) & mask) == 0) {
                return a[k];
            }
        }
        return a.length > 0 ? a[0] : 0;
    }

    int ifIndex(String name) {
        for (int i = 0; i < ifNames.length; i++) {
            if (ifNames[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
