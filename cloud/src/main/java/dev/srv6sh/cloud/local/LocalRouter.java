package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.RouterHandle;
import dev.srv6sh.dataplane.ConfigException;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.agent.FibEntry;
import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.agent.PacketTrace;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.dataplane.pcap.LinkType;
import dev.srv6sh.dataplane.pcap.PcapException;
import dev.srv6sh.dataplane.pcap.PcapWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A router on the local backend: a real data plane {@link Engine} whose in-memory ports are ENIs on
 * its VPC's fabric, reading the emulation's virtual clock. A frame that arrives while the router is
 * idle runs through the graph at once; the run's cost, measured by the {@link WorkMeter} (the thread's
 * CPU time), is charged to the virtual clock: what the graph transmits leaves at arrival + cost, and
 * the router is busy until then. Frames arriving meanwhile wait in the port's receive ring and are
 * taken together, as one vector, when it is free, as a polling router does.
 *
 * <p>Only the engine's own work is measured. As the copy into a port's receive ring happens before
 * the run (the NIC's work), what the graph transmits waits on the port's transmit ring ({@link
 * MemoryPort#holdTransmitted}) and is copied off it after the run; captures ({@link PcapCapture}) tap
 * the ENIs, outside the run, as a capture on the wire would.
 *
 * <pre>
 *  fabric ─► receive ─► port rx ring ─► run (engine.poll, measured) ─► port tx ring ─► copied ─► fabric at freeAt
 *     └─► captures (at arrival)  (busy: run at freeAt)   freeAt = start + cost       └─► captures (at freeAt)
 * </pre>
 */
final class LocalRouter implements RouterHandle {
    /** A frame the graph transmitted, copied off the port's transmit ring after the run. */
    private record Sent(String iface, Eni eni, byte[] frame) {}

    private final String name;
    private final Prefix locator;
    private final Inet6Address transitAddress;
    private final DataplaneConfig base;
    private final EventLoop loop;
    private final WorkMeter meter;
    private final long epochNanos;
    private final Engine engine;
    private final Map<String, Eni> enis = new HashMap<>();
    /** The ports of the configuration in force: their transmit rings are drained after every run. */
    private final List<MemoryPort> ports = new ArrayList<>();

    private final List<Sent> sent = new ArrayList<>();
    private final RecentFrames recent = new RecentFrames();
    private final List<PcapCapture> captures = new ArrayList<>();
    private VpcFabric fabric;
    private volatile DataplaneConfig config;
    /** When the run in progress ends (virtual ns); a frame arriving before waits until then. */
    private long freeAt;

    private boolean runScheduled;
    /** The virtual time a run is scheduled for the engine's timers, or Long.MAX_VALUE. */
    private long timersAt = Long.MAX_VALUE;

    private boolean closed;
    private long busyNanos;
    private long runs;
    /** While a trace is armed: how many packets it has traced so far. */
    private int traced = -1;

    /**
     * {@code epochNanos} is the wall-clock time (ns since the epoch) of virtual time 0: what capture
     * timestamps count from.
     */
    LocalRouter(
            String name,
            Prefix locator,
            Inet6Address transitAddress,
            DataplaneConfig base,
            EventLoop loop,
            WorkMeter meter,
            long epochNanos)
            throws ProviderException {
        this.name = name;
        this.locator = locator;
        this.transitAddress = transitAddress;
        this.base = base;
        this.loop = loop;
        this.meter = meter;
        this.epochNanos = epochNanos;
        this.engine = new Engine(name, loop::now, MemoryPort.FACTORY);
        try {
            engine.apply(base);
        } catch (ConfigException e) {
            engine.close();
            throw new ProviderException(
                    "router " + name + ": the backend's own topology was rejected: " + e.getMessage(), e);
        }
        connect(base);
    }

    /** The ports of configuration {@code c}: transmitted frames wait on their rings until drained. */
    private void connect(DataplaneConfig c) {
        ports.clear();
        for (DataplaneConfig.Interface i : c.interfaces()) {
            MemoryPort p = engine.port(i.name(), MemoryPort.class);
            p.onTransmit(this::transmit);
            p.holdTransmitted(true);
            ports.add(p);
        }
    }

    void attach(VpcFabric fabric, String iface, Eni eni) {
        this.fabric = fabric;
        enis.put(iface, eni);
    }

    /** A frame the fabric delivered to one of this router's ENIs, now. Runs on the loop. */
    void receive(String iface, byte[] frame) {
        long at = epochNanos + loop.now();
        for (PcapCapture c : captures) {
            c.received(iface, frame, at); // on the wire: whether or not the ring has room for it
        }
        // the port's receive ring is the NIC's: copying into it is not the router's CPU work
        engine.port(iface, MemoryPort.class).inject(frame, 0, frame.length, at);
        recent.add(iface, frame);
        runWhenFree();
    }

    /**
     * Runs the engine at virtual time {@code at} whether or not a frame arrives by then, measured and
     * charged like any run: the hook for the data plane's own timers (neighbor discovery's
     * retransmissions and aging read the same virtual clock), which call it with their next deadline.
     */
    void wakeAt(long at) {
        loop.at(at, this::runWhenFree);
    }

    private void runWhenFree() {
        if (runScheduled) {
            return; // the run already due takes whatever is in the rings by then
        }
        runScheduled = true;
        if (loop.now() >= freeAt) {
            run();
        } else {
            loop.at(freeAt, this::run);
        }
    }

    private void run() {
        runScheduled = false;
        if (closed) {
            return;
        }
        long start = loop.now();
        if (start >= timersAt) {
            timersAt = Long.MAX_VALUE; // this run's poll runs the timers that are due
        }
        long reading = meter.start();
        engine.poll();
        long cost = meter.since(reading);
        freeAt = start + cost;
        busyNanos += cost;
        runs++;
        handOver(freeAt);
        if (traced >= 0) {
            traced = engine.traces().size();
        }
        scheduleTimers();
    }

    /**
     * Address resolution retransmits and ages on the engine's clock, the virtual one, even when no
     * frame comes: a run is scheduled for the engine's next deadline, measured and charged like any
     * other, so what its timers send (a solicitation, an ICMP error for packets that waited in vain)
     * leaves when that run ends.
     */
    private void scheduleTimers() {
        long due = engine.nextDeadline();
        if (due < timersAt && !closed) {
            timersAt = due;
            wakeAt(due);
        }
    }

    /**
     * Copies what the graph transmitted off the ports' transmit rings (after the run: the copy is the
     * emulator's, not the router's work) and hands it to the fabric, leaving at virtual time {@code
     * at}, and to the captures, stamped then.
     */
    private void handOver(long at) {
        for (MemoryPort p : ports) {
            p.drainTransmitted();
        }
        long now = epochNanos + loop.now();
        for (Sent s : sent) {
            for (PcapCapture c : captures) {
                c.transmitted(s.iface(), s.frame(), epochNanos + at, now); // before the fabric rewrites it
            }
            fabric.fromEni(s.eni(), s.frame(), at);
        }
        sent.clear();
    }

    /** The ports' sink, called as their transmit rings are drained. */
    private void transmit(String iface, MemorySegment segment, long offset, int length) {
        Eni eni = enis.get(iface);
        if (eni != null) {
            byte[] frame = new byte[length];
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, frame, 0, length);
            sent.add(new Sent(iface, eni, frame));
        }
    }

    /**
     * What an operation that waited for the world reports when the wait was interrupted (Ctrl-C):
     * "interrupted", with the thread's interrupt status set again, so that whoever called it sees a
     * cancellation, not a fault of the backend. The operation did nothing.
     */
    private ProviderException interrupted(String what, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new ProviderException("router " + name + ": " + what + " interrupted", e);
    }

    /** The virtual time this router has spent running its data plane (ns), and in how many runs. */
    long busyNanos() {
        return busyNanos;
    }

    long runs() {
        return runs;
    }

    /** How many captures the router hands frames to (tests: a stopped one is gone). On the loop's side. */
    int capturing() {
        return captures.size();
    }

    @Override
    public List<NeighborEntry> neighbors() throws ProviderException {
        try {
            return loop.call(engine::neighbors);
        } catch (InterruptedException e) {
            throw interrupted("reading the neighbor table was", e);
        } catch (Exception e) {
            throw new ProviderException("router " + name + ": the neighbor table is unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public List<FibEntry> fib() throws ProviderException {
        try {
            return loop.call(engine::fib);
        } catch (InterruptedException e) {
            throw interrupted("reading the FIB was", e);
        } catch (Exception e) {
            throw new ProviderException("router " + name + ": the FIB is unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * In virtual time: the world runs for up to {@code wait} of it (whatever is in flight or scheduled:
     * an interrupted flow's stragglers, timers) and the packets that reach the router meanwhile are
     * traced live; it stops early once {@code count} are. Between a script's operations nothing is
     * in flight, so there the trace is of the packets the router received last, replayed.
     */
    @Override
    public Traces trace(int count, Duration wait) throws ProviderException, InterruptedException {
        if (count < 1 || count > 1000) {
            throw new ProviderException("trace: 1 to 1000 packets, not " + count);
        }
        long[] armedAt = new long[1];
        try {
            loop.call(() -> {
                engine.clearTraces();
                engine.trace(count);
                armedAt[0] = recent.received();
                traced = 0;
                return null;
            });
            loop.runFor(wait.toNanos(), () -> traced >= count);
            return loop.call(() -> {
                List<PacketTrace> live = engine.traces();
                return new Traces(
                        live,
                        live.size() >= count
                                ? List.of()
                                : recent.replay(count - live.size(), armedAt[0], name, config != null ? config : base));
            });
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new ProviderException("router " + name + ": trace failed: " + e.getMessage(), e);
        } finally {
            loop.held(
                    () -> { // whatever happened: an armed trace would go on tracing every packet
                        traced = -1;
                        engine.trace(0);
                        engine.clearTraces();
                    });
        }
    }

    @Override
    public Capturing capture(String iface, Path file) throws ProviderException {
        if (iface != null
                && (config != null ? config : base)
                        .interfaces().stream().noneMatch(i -> i.name().equals(iface))) {
            throw new ProviderException("router " + name + " has no interface '" + iface + "'");
        }
        PcapCapture pcap;
        try {
            // nanosecond timestamps: in virtual time a router's run is charged to the nanosecond
            pcap = new PcapCapture(
                    name,
                    iface,
                    PcapWriter.create(
                            file,
                            LinkType.ETHERNET,
                            java.nio.ByteOrder.nativeOrder(),
                            true,
                            PcapWriter.DEFAULT_SNAPLEN),
                    loop);
        } catch (PcapException e) {
            throw new ProviderException("capture on " + name + ": " + e.getMessage(), e);
        }
        try {
            loop.call(() -> {
                captures.add(pcap);
                pcap.armed(() -> captures.remove(pcap));
                return null;
            });
            return pcap;
        } catch (InterruptedException e) {
            pcap.closeQuietly();
            throw interrupted("starting the capture was", e);
        } catch (Exception e) {
            pcap.closeQuietly();
            throw new ProviderException("capture on " + name + " could not start: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Prefix locator() {
        return locator;
    }

    @Override
    public Inet6Address transitAddress() {
        return transitAddress;
    }

    @Override
    public DataplaneConfig base() {
        return base;
    }

    @Override
    public void configure(DataplaneConfig c) throws ProviderException {
        try {
            loop.call(() -> {
                engine.apply(c);
                connect(c);
                // apply ran the graph for packets that waited for a neighbor the configuration now names
                // statically: they leave now, or when the run in progress ends, not at the next run
                handOver(Math.max(loop.now(), freeAt));
                scheduleTimers();
                return null;
            });
            config = c;
        } catch (InterruptedException e) {
            throw interrupted("configuring was", e); // the previous configuration stays in force
        } catch (ConfigException e) {
            throw new ProviderException("router " + name + " rejected its configuration: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new ProviderException("router " + name + " could not be configured: " + e, e);
        }
    }

    @Override
    public DataplaneConfig config() {
        return config;
    }

    @Override
    public Counters counters() throws ProviderException {
        try {
            return loop.call(engine::counters);
        } catch (InterruptedException e) {
            throw interrupted("reading the counters was", e);
        } catch (Exception e) {
            throw new ProviderException("router " + name + ": counters unavailable: " + e.getMessage(), e);
        }
    }

    /** Frees the engine's buffers, between events (also from an interrupted thread). */
    void close() {
        loop.held(() -> {
            closed = true;
            engine.close();
        });
    }
}
