package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.agent.FibEntry;
import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.agent.PacketTrace;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.port.Port;
import dev.srv6sh.dataplane.port.PortFactory;
import dev.srv6sh.dataplane.port.RxBurst;
import dev.srv6sh.dataplane.port.TxBurst;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One router's data plane: a graph of nodes over a pool of off-heap buffers, driven in invoker mode
 * ({@link #poll} runs the graph on the caller's thread until every vector has been processed).
 *
 * <pre>
 * port rx ─► ethernet-input ─┬─► arp-input (answers, learns) ─► interface-output
 *                            ├─► ip4-input ─► ip4-lookup ─┬─► ip4-rewrite
 *                            │                            ├─► ip4-local (echo reply ─► ip4-lookup)
 *                            │                            └─► sr-policy-rewrite-encaps ─► ip6-lookup
 *                            ├─► ip6-input ─┬─► ip6-nd (NS answered with NA, NA learned) ─► interface-output
 *                            │              └─► ip6-lookup ─┬─► ip6-rewrite
 *                            │                              ├─► ip6-local (echo reply ─► ip6-lookup)
 *                            │                              ├─► sr-policy-rewrite-encaps | -insert (steered, or a BSID)
 *                            │                              └─► sr-localsid ─┬─► end, end-x, end-t ─► ip6-lookup | ip6-rewrite
 *                            │                                               ├─► end-b6-encaps[-red] ─► sr-policy-rewrite-encaps
 *                            │                                               ├─► end-b6-insert[-red] ─► sr-policy-rewrite-insert
 *                            │                                               ├─► end-dx4, end-dx6 ─► ip4-rewrite | ip6-rewrite
 *                            │                                               ├─► end-dx2 ─► interface-output (the inner frame)
 *                            │                                               └─► end-dt4, end-dt6, end-dt46 ─► ip4-lookup | ip6-lookup
 *                            └─► sr-policy-rewrite-encaps-l2 (every frame of an L2-steered interface) ─► ip6-lookup
 * sr-policy-rewrite-encaps, -insert ─► ip6-lookup
 * ip4-rewrite, ip6-rewrite ─► interface-output ─► port tx
 * ip4-rewrite, ip6-rewrite (no neighbor MAC) ─► ip4-glean, ip6-glean: held, ARP request / NS ─► interface-output
 * {@link Neighbors} (an answer, or a timer) ─► held packets ─► interface-output | ip6/ip4-icmp-error
 * any node ─► error-drop (counted by node and reason)
 * port rx, interface-output, error-drop ─► armed {@link Capture}s (rx, tx, drop)
 * end*, ip6-rewrite, sr-policy-rewrite-* ─► ip6-icmp-error ─► the error to ip6-lookup, the offender to error-drop
 * sr-policy-rewrite-encaps (IPv4, DF) ─► ip4-icmp-error ─► the error to ip4-lookup, the offender to error-drop
 * </pre>
 *
 * {@link #trace} arms a packet trace of the next received packets ({@link PacketTracer}).
 *
 * <p>The engine is given its ports: a {@link PortFactory} it asks for a {@link Port} the first time a
 * configuration names an interface, with its buffers to receive into. {@link #poll} takes each port's
 * frames in bursts of up to a vector ({@link Port#receive}); interface-output hands each port the
 * frames of a vector it sends in one {@link Port#transmit}. One interface call per burst, none per packet.
 *
 * <p>Address resolution ({@link Neighbors}) has timers: retransmits, aging, failures. {@link #poll}
 * runs those due before it takes packets in, comparing the clock with one field; an event loop with
 * no traffic asks {@link #nextDeadline} when to call {@link #runTimers}.
 *
 * A configuration is compiled to an immutable {@link Fib} and swapped in whole; the graph reads the
 * reference once per poll, so a vector never sees half of two configurations.
 */
public final class Engine implements AutoCloseable {
    /** A MAC address as text (the FIB keeps them as longs). */
    private static final class MacAddressText {
        static String of(long mac) {
            StringBuilder sb = new StringBuilder();
            for (int i = 5; i >= 0; i--) {
                sb.append(String.format("%02x", (mac >>> (8 * i)) & 0xff));
                if (i > 0) {
                    sb.append(':');
                }
            }
            return sb.toString();
        }
    }

    static final int VECTOR = 256;
    static final int POOL = 4096;
    /**
     * Bursts one poll takes from a port at most: the pool's worth, so an in-memory port's queue (at
     * most the pool) empties in one poll, and a device receiving at line rate cannot keep the poll
     * from its timers and other ports.
     */
    static final int BURSTS_PER_POLL = POOL / VECTOR;

    /**
     * Large buffers behind the pool's small ones (2.1 MiB): large sends kept whole (a port's GSO
     * receive, a burst's segments coalesced), each until the vector that carries it is sent.
     */
    static final int LARGE = 32;

    /** Buffer numbers run from 0 to this: the small ones, then the large ones' runs. */
    static final int BUFFER_IDS = POOL + LARGE * dev.srv6sh.dataplane.port.BufferPool.LARGE_RUN;

    private final String name;
    private final Clock clock;
    private final Buffers buffers = new Buffers(POOL, LARGE);
    private final Node[] nodes = new Node[Node.count()];
    private final int[] order = Node.dispatchOrder();
    private final int[][] pending = new int[nodes.length][POOL + LARGE];
    private final int[] pendingCount = new int[nodes.length];
    private final int[] vector = new int[VECTOR];
    private final int[] next = new int[VECTOR];
    private final List<String> errorNodes = new ArrayList<>();
    private final List<String> errorReasons = new ArrayList<>();
    private long[] errorCounts = new long[0];
    private final Ports ports;
    private final RxBurst rx;
    private volatile Fib fib;
    private long[] sidPackets = new long[0];
    private long[] sidBytes = new long[0];
    private long[] sidBadPackets = new long[0];
    private long[] sidBadBytes = new long[0];
    private final PacketTracer tracer = new PacketTracer(this);
    /** Received packets still to trace; and whether the vectors now running hold traced packets. */
    private int traceArmed;

    private boolean tracing;
    /** Armed captures, or null when none: the one field the graph reads per vector for them. */
    private volatile Capture[] captures;

    private final Neighbors neighbors;

    /**
     * An engine that reads the time from {@code clock} ({@link Clock#SYSTEM}; a test's or an
     * emulation's virtual time) and asks {@code ports} for the port of each interface a
     * configuration names ({@code MemoryPort.FACTORY}: in memory).
     */
    public Engine(String name, Clock clock, PortFactory ports) {
        this.name = name;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ports = new Ports(name, Objects.requireNonNull(ports, "ports"), buffers);
        this.rx = buffers.rxBurst();
        nodes[Node.ETHERNET_INPUT] = new EthernetInput(this);
        nodes[Node.ARP_INPUT] = new ArpInput(this);
        nodes[Node.IP4_INPUT] = new Ip4Input(this);
        nodes[Node.IP6_INPUT] = new Ip6Input(this);
        nodes[Node.IP6_ND] = new Ip6Nd(this);
        nodes[Node.IP4_LOOKUP] = new Ip4Lookup(this);
        nodes[Node.IP6_LOOKUP] = new Ip6Lookup(this);
        nodes[Node.SR_LOCALSID] = new SrLocalSid(this);
        Behaviors.createNodes(this, nodes);
        nodes[Node.ENCAPS] = new Encaps(this);
        nodes[Node.ENCAPS_L2] = new EncapsL2(this);
        nodes[Node.INSERT] = new Insert(this);
        nodes[Node.IP4_LOCAL] = new Ip4Local(this);
        nodes[Node.IP6_LOCAL] = new Ip6Local(this);
        nodes[Node.IP4_REWRITE] = new Ip4Rewrite(this);
        nodes[Node.IP6_REWRITE] = new Ip6Rewrite(this);
        nodes[Node.IP4_GLEAN] = new Glean(this, "ip4-glean", false);
        nodes[Node.IP6_GLEAN] = new Glean(this, "ip6-glean", true);
        nodes[Node.INTERFACE_OUTPUT] = new InterfaceOutput(this);
        nodes[Node.ERROR_DROP] = new ErrorDrop(this);
        nodes[Node.IP6_ICMP_ERROR] = new Ip6IcmpError(this);
        nodes[Node.IP4_ICMP_ERROR] = new Ip4IcmpError(this);
        errorCounts = new long[errorNodes.size()];
        // seeded by the name: runs repeat exactly, and routers still draw different ReachableTimes
        neighbors = new Neighbors(this, clock, name.hashCode());
    }

    public String name() {
        return name;
    }

    /** The clock everything time-dependent in this engine reads. */
    public Clock clock() {
        return clock;
    }

    int registerError(String node, String reason) {
        errorNodes.add(node);
        errorReasons.add(reason);
        return errorNodes.size() - 1;
    }

    Buffers buffers() {
        return buffers;
    }

    Node node(int id) {
        return nodes[id];
    }

    /** The neighbor table and its state machine. */
    Neighbors resolution() {
        return neighbors;
    }

    Port portOf(int ifIndex) {
        Port[] byIf = ports.byIf();
        return ifIndex >= 0 && ifIndex < byIf.length ? byIf[ifIndex] : null;
    }

    /** The ports of the configuration in force, by interface index (interface-output's). */
    Port[] portsByIf() {
        return ports.byIf();
    }

    /** Their transmit bursts, by interface index, empty between vectors. */
    TxBurst[] txBursts() {
        return ports.tx();
    }

    Capture[] captures() {
        return captures;
    }

    /**
     * Arms a capture of what {@code iface} (null: every interface) receives, transmits or drops, as
     * {@code directions} say, until {@link Capture#stop}. Call it on the engine's thread.
     */
    public Capture capture(String iface, Set<Capture.Direction> directions, Capture.Sink sink) {
        Objects.requireNonNull(sink, "sink");
        Port p = iface == null ? null : port(iface);
        Capture c = new Capture(
                this, p, directions, sink, errorNodes.toArray(String[]::new), errorReasons.toArray(String[]::new));
        Capture[] now = captures;
        Capture[] next = now == null ? new Capture[1] : java.util.Arrays.copyOf(now, now.length + 1);
        next[next.length - 1] = c;
        captures = next;
        return c;
    }

    void stopCapture(Capture c) {
        Capture[] now = captures;
        if (now == null) {
            return;
        }
        Capture[] next = java.util.Arrays.stream(now).filter(x -> x != c).toArray(Capture[]::new);
        captures = next.length == 0 ? null : next;
    }

    /** Hands a packet a node made (an ICMPv6 error) to another node's pending vector. */
    void enqueue(int node, int buf) {
        pending[node][pendingCount[node]++] = buf;
    }

    void countError(int id) {
        errorCounts[id]++;
    }

    /** Counts {@code n} packets under error {@code id} at once (the segments of a large send left uncut). */
    void countError(int id, int n) {
        errorCounts[id] += n;
    }

    void countSid(int sid, int bytes) {
        sidPackets[sid]++;
        sidBytes[sid] += bytes;
    }

    /** A packet that reached SID {@code sid} and was dropped or answered with an error there. */
    void countSidBad(int sid, int bytes) {
        if (sid >= 0 && sid < sidBadPackets.length) {
            sidBadPackets[sid]++;
            sidBadBytes[sid] += bytes;
        }
    }

    /**
     * Validates and installs a whole configuration. On {@link ConfigException} nothing changes and
     * the previous configuration keeps forwarding. Call it on the engine's thread (between polls).
     */
    public void apply(DataplaneConfig config) throws ConfigException {
        Fib f = FibBuilder.build(config);
        ports.attach(f); // opens and checks the ports first: a ConfigException changes nothing
        sidPackets = new long[f.sidName.length];
        sidBytes = new long[f.sidName.length];
        sidBadPackets = new long[f.sidName.length];
        sidBadBytes = new long[f.sidName.length];
        Fib old = fib;
        fib = f;
        neighbors.apply(old, f);
        run(f); // what waited for a neighbor the configuration now names statically, or for a removed interface
    }

    /** The configuration in force, or null before the first apply. */
    public DataplaneConfig config() {
        Fib f = fib;
        return f == null ? null : f.config;
    }

    /** The port of a configured interface. */
    public Port port(String iface) {
        Fib f = fib;
        Port p = ports.get(iface);
        if (p == null || f == null || f.ifIndex(iface) < 0) {
            throw new IllegalArgumentException("router " + name + " has no interface '" + iface + "'");
        }
        return p;
    }

    /**
     * The port of a configured interface as the kind its factory made ({@code MemoryPort.class} to
     * inject frames); an {@link IllegalArgumentException} when it is another.
     */
    public <P extends Port> P port(String iface, Class<P> type) {
        Port p = port(iface);
        if (!type.isInstance(p)) {
            throw new IllegalArgumentException("router " + name + ": interface '" + iface + "' is on " + p.device()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(p);
    }

    /**
     * Processes what waits on the ports, in vectors of up to 256 (at most {@link #BURSTS_PER_POLL}
     * per port); returns the packets taken in.
     */
    public int poll() {
        Fib f = fib;
        if (f == null) {
            return 0;
        }
        timers(f);
        int total = 0;
        Port[] byIf = ports.byIf();
        for (int i = 0; i < byIf.length; i++) {
            Port port = byIf[i];
            for (int burst = 0; burst < BURSTS_PER_POLL; burst++) {
                rx.reset(VECTOR);
                port.receive(rx);
                int n = buffers.receive(rx, i, vector);
                if (n == 0) {
                    break;
                }
                total += n;
                Capture[] c = captures;
                if (c != null) {
                    Capture.rx(c, buffers, vector, n, port, f.ifNames[i]);
                }
                if (traceArmed > 0) {
                    markTraced(f, i, n);
                }
                System.arraycopy(vector, 0, pending[Node.ETHERNET_INPUT], 0, n);
                pendingCount[Node.ETHERNET_INPUT] = n;
                run(f);
                tracing = false; // every packet of the vector, and what it caused, is done
            }
        }
        return total;
    }

    /**
     * When the next timer of address resolution (a retransmit, an aging step, a failure) is due, on
     * this engine's {@link Clock}: {@link Long#MAX_VALUE} when none is set. An event loop that does
     * not poll all the time calls {@link #runTimers} then; {@link #poll} runs due timers itself.
     */
    public long nextDeadline() {
        return fib == null ? Long.MAX_VALUE : neighbors.nextDeadline;
    }

    /**
     * Runs the address-resolution timers that are due (solicitations retransmitted, entries aged,
     * held packets dropped after a failure) and whatever they send through the graph. Cheap when none
     * is due. Call it on the engine's thread.
     */
    public void runTimers() {
        Fib f = fib;
        if (f != null) {
            timers(f);
        }
    }

    private void timers(Fib f) {
        long due = neighbors.nextDeadline;
        if (due != NeighborTable.NEVER) {
            long now = clock.nanos();
            if (now >= due) {
                neighbors.expire(f, now);
                run(f);
            }
        }
    }

    /**
     * Runs nodes with pending packets until none are left; each node sees whole vectors, first in
     * first out: a node's pending list can outgrow a vector (an answer releasing held packets ahead of
     * its own vector's traffic, errors asked for by a resolution failure), and what was queued first
     * must leave first (RFC 4861 §7.2.2), and be first in line for the ICMP rate limit.
     */
    private void run(Fib f) {
        // one pass in TIMED_EVERY, chosen at random (so that no port's turn in a fixed rotation is
        // always the one timed), reads the clock after each node; the others read none
        sample ^= sample << 13;
        sample ^= sample >>> 7;
        sample ^= sample << 17;
        timed = (sample & (TIMED_EVERY - 1)) == 0;
        if (timed) {
            stamp = System.nanoTime();
        }
        boolean work = true;
        while (work) {
            work = false;
            for (int id : order) {
                while (pendingCount[id] > 0) {
                    work = true;
                    int[] p = pending[id];
                    int n = Math.min(VECTOR, pendingCount[id]);
                    int rest = pendingCount[id] - n;
                    System.arraycopy(p, 0, vector, 0, n);
                    if (rest > 0) {
                        // rare (a node's list beyond a vector): the rest moves to the front, where the
                        // dispatch appends behind it; at most POOL ints per vector taken
                        System.arraycopy(p, n, p, 0, rest);
                    }
                    pendingCount[id] = rest;
                    dispatch(f, id, n);
                }
            }
        }
    }

    /**
     * Node times ({@code show runtime}'s ns/pkt) are read on one pass through the graph in this many,
     * and each node's total is its timed packets' mean times all its packets ({@link Node#nanos()}). A
     * clock read ({@code clock_gettime} through the vDSO, 20–40 ns on a virtual machine) costs about
     * what a node does with a few packets: read twice around every node, they were 10% of an End.DX4
     * router's samples on af_xdp, more than any node.
     */
    static final int TIMED_EVERY = 8;

    /** A node's first calls, timed whatever the pass. */
    static final int ALWAYS_TIMED = 64;

    /** Whether the pass running reads the clock, the last reading, and the generator that chooses. */
    private boolean timed;

    private long stamp;
    private long sample = 0x9e3779b97f4a7c15L;

    private void dispatch(Fib f, int id, int n) {
        Node node = nodes[id];
        if (tracing) {
            tracer.record(id, node, f, buffers, vector, n);
        }
        // show runtime measures the CPU's real time per node on purpose, whatever the engine's clock:
        // on a timed pass from the last node's end (or the pass's start) to this one's, as VPP does;
        // a node's first calls are timed on their own, so that one seldom run has a time too
        boolean first = node.firstCalls < ALWAYS_TIMED;
        long start = timed ? stamp : first ? System.nanoTime() : 0;
        node.process(f, buffers, vector, n, next);
        if (timed || first) {
            long now = System.nanoTime();
            if (first) {
                node.firstNanos += now - start;
                node.firstPackets += n;
                node.firstCalls++;
            } else {
                node.nanos += now - start;
                node.timedPackets += n;
            }
            if (timed) {
                stamp = now;
            }
        }
        node.calls++;
        node.vectors++;
        node.packets += n;
        for (int k = 0; k < n; k++) {
            int to = next[k];
            if (to >= 0) {
                pending[to][pendingCount[to]++] = vector[k];
            }
        }
    }

    private void markTraced(Fib f, int ifIndex, int n) {
        int marked = Math.min(n, traceArmed);
        for (int k = 0; k < marked; k++) {
            buffers.trace[vector[k]] = tracer.start(f.ifNames[ifIndex]);
        }
        traceArmed -= marked;
        tracing = true;
    }

    /**
     * Traces the next {@code count} packets received (VPP's {@code trace add}): each records, per node
     * it enters, the node's name and a decode of the packet there. With nothing armed, tracing costs
     * one flag check per vector and allocates nothing.
     */
    public void trace(int count) {
        if (count < 0 || count > PacketTracer.MAX_TRACES) {
            throw new IllegalArgumentException("trace: count " + count + " is out of 0.." + PacketTracer.MAX_TRACES);
        }
        traceArmed = count;
    }

    /** The packets traced so far, oldest first (at most {@link PacketTracer#MAX_TRACES}). */
    public List<PacketTrace> traces() {
        return tracer.traces();
    }

    /** How many packets {@link #traces} holds now, without building them: what a wait for a trace polls. */
    public int traced() {
        return tracer.size();
    }

    /** Forgets the traces recorded so far (VPP's {@code clear trace}); what is armed stays armed. */
    public void clearTraces() {
        tracer.clear();
    }

    /**
     * The forwarding table in force (VPP's {@code show ip6 fib}): every prefix installed, by table,
     * with what a lookup that ends there does. Empty before the first configuration.
     */
    public List<FibEntry> fib() {
        Fib f = fib;
        if (f == null) {
            return List.of();
        }
        List<FibEntry> out = new ArrayList<>();
        for (FibBuilder.Entry e : f.entries) {
            int i = Fib.index(e.result());
            String what =
                    switch (Fib.kind(e.result())) {
                        case Fib.FORWARD -> {
                            long mac = f.adjMac[i];
                            String out1 = "forward out " + f.ifNames[f.adjIf[i]];
                            yield mac != 0
                                    ? out1 + " to " + MacAddressText.of(mac)
                                    : f.adjGlean[i]
                                            ? out1 + " (connected)"
                                            : out1 + " via " + NeighborTable.address(f.adjNextHi[i], f.adjNextLo[i]);
                        }
                        case Fib.LOCAL -> "local (an address of this router)";
                        case Fib.POLICY -> "SR policy " + f.policyName[i];
                        case Fib.LOCAL_SID -> "SID " + f.sidName[i] + " " + f.sidBehavior[i];
                        default -> "?";
                    };
            out.add(new FibEntry(e.table(), e.prefix().toString(), what));
        }
        out.sort(java.util.Comparator.comparingInt(FibEntry::table)
                .thenComparing(x -> !x.prefix().contains(":"))
                .thenComparing(
                        x -> -Integer.parseInt(x.prefix().substring(x.prefix().indexOf('/') + 1))));
        return out;
    }

    /** The {@code node: reason} text of an error counter. */
    String errorName(int id) {
        return id >= 0 && id < errorNodes.size() ? errorNodes.get(id) + ": " + errorReasons.get(id) : "?";
    }

    /**
     * Buffers not yet back in the pool, other than those a port holds to receive into ({@link
     * Port#buffersHeld}: frames waiting in its queue, buffers posted to its device) and packets held
     * for address resolution ({@link Counters.NeighborStats#held}): zero when the engine is idle, or
     * something leaked. Transmitted frames a port has not freed yet count.
     */
    public int buffersInUse() {
        return buffers.inUse() - ports.buffersHeld() - neighbors.held;
    }

    /**
     * Whether nothing is in flight: no buffer in use but held ones (none queued at a port, none in the
     * graph). For in-memory ports, whose buffers on the receive side all carry frames.
     */
    boolean idle() {
        return buffers.inUse() == neighbors.held;
    }

    /**
     * The neighbor table ({@code show neighbors}): static entries and what ARP and ND resolved or are
     * resolving, by interface and address, with their state and age on this engine's clock. Call it
     * on the engine's thread.
     */
    public List<NeighborEntry> neighbors() {
        Fib f = fib;
        return f == null ? List.of() : NeighborTable.snapshot(neighbors.table, f, clock.nanos());
    }

    /**
     * Takes the neighbors another engine resolved ({@link #neighbors} of the router a trace replays
     * for), each as an entry heard now: STALE, so that a packet to it goes out at once, as the router
     * would send it now, and the entry ages as any learned one. Static entries (the configuration has them)
     * and unresolved ones are left out, as are interfaces this engine does not have. For a replay on
     * a scratch engine, which has no neighbors of its own: without them every routed packet would end
     * in glean. Call it on the engine's thread, after {@link #apply}.
     */
    public void learnNeighbors(List<NeighborEntry> entries) {
        Fib f = fib;
        if (f == null) {
            return;
        }
        for (NeighborEntry e : entries) {
            if (e.mac() == null
                    || e.state() == NeighborEntry.State.PERMANENT
                    || e.state() == NeighborEntry.State.INCOMPLETE
                    || e.state() == NeighborEntry.State.FAILED) {
                continue;
            }
            int ifi = f.ifIndex(e.iface());
            if (ifi < 0) {
                continue;
            }
            byte[] a = e.address().getAddress();
            long hi = 0;
            long lo = 0;
            if (a.length == 4) {
                lo = NeighborTable.key4(
                        ((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff));
            } else {
                for (int i = 0; i < 8; i++) {
                    hi = hi << 8 | (a[i] & 0xff);
                    lo = lo << 8 | (a[8 + i] & 0xff);
                }
            }
            neighbors.heard(f, ifi, hi, lo, e.mac().value(), true);
        }
    }

    /** A snapshot of every counter. */
    public Counters counters() {
        List<Counters.NodeStats> ns = new ArrayList<>();
        for (int id : order) {
            Node n = nodes[id];
            ns.add(new Counters.NodeStats(n.name, n.calls, n.vectors, n.packets, n.nanos()));
        }
        Map<String, Long> errors = new LinkedHashMap<>();
        for (int i = 0; i < errorCounts.length; i++) {
            if (errorCounts[i] > 0) {
                errors.put(errorNodes.get(i) + ": " + errorReasons.get(i), errorCounts[i]);
            }
        }
        List<Counters.PortStats> ps = ports.stats();
        List<Counters.SidStats> ss = new ArrayList<>();
        Fib f = fib;
        if (f != null) {
            for (int i = 0; i < f.sidName.length; i++) {
                ss.add(new Counters.SidStats(
                        f.sidName[i], f.sidBehavior[i], sidPackets[i], sidBytes[i], sidBadPackets[i], sidBadBytes[i]));
            }
        }
        Ip6IcmpError icmp = (Ip6IcmpError) nodes[Node.IP6_ICMP_ERROR];
        Map<String, Long> icmpOutcomes = new LinkedHashMap<>();
        for (Ip6IcmpError.Outcome o : Ip6IcmpError.Outcome.values()) {
            if (icmp.outcome(o) > 0) {
                icmpOutcomes.put(o.toString(), icmp.outcome(o));
            }
        }
        Ip4IcmpError icmp4 = (Ip4IcmpError) nodes[Node.IP4_ICMP_ERROR];
        for (Ip4IcmpError.Outcome o : Ip4IcmpError.Outcome.values()) {
            if (icmp4.outcome(o) > 0) {
                icmpOutcomes.put(Counters.ICMP4 + o, icmp4.outcome(o));
            }
        }
        long echoes = ((Ip4Local) nodes[Node.IP4_LOCAL]).answered + ((Ip6Local) nodes[Node.IP6_LOCAL]).answered;
        Counters.NeighborStats nd = new Counters.NeighborStats(
                neighbors.solicitations(), neighbors.answers, neighbors.consumed, neighbors.held);
        InterfaceOutput out = (InterfaceOutput) nodes[Node.INTERFACE_OUTPUT];
        Counters.LargeSends large = new Counters.LargeSends(ports.coalesced(), out.segmentsAdded());
        return new Counters(ns, errors, ps, ss, icmpOutcomes, echoes, nd, large);
    }

    /** Closes every port (each gives back its buffers) and frees the buffers. */
    @Override
    public void close() {
        try {
            ports.close();
        } finally {
            buffers.close();
        }
    }
}
