package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.RouterHandle;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import dev.srv6sh.dataplane.agent.AgentException;
import dev.srv6sh.dataplane.agent.EngineAgent;
import dev.srv6sh.dataplane.agent.EngineHost;
import dev.srv6sh.dataplane.agent.RouterAgent;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

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
 * MemoryPort#holdTransmitted}) and is copied off it after the run; the agent's tap (its trace's
 * replay, its captures) sees the frames at the ENIs, outside the run, as a tap on the wire would.
 *
 * <p>Everything else is its {@link EngineAgent}'s: this class is only the agent's host ({@link
 * EngineHost}): the event loop is the engine's thread, the virtual clock its time, the ENIs its tap.
 *
 * <pre>
 *  fabric ─► receive ─► port rx ring ─► run (engine.poll, measured) ─► port tx ring ─► copied ─► fabric at freeAt
 *     └─► tap (at arrival)       (busy: run at freeAt)   freeAt = start + cost       └─► tap (at freeAt)
 * </pre>
 */
final class LocalRouter implements RouterHandle, EngineHost {
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
    private final EngineAgent agent;
    /** The agent's tap, or null before it is set. */
    private FrameTap tap;

    private VpcFabric fabric;
    /** When the run in progress ends (virtual ns); a frame arriving before waits until then. */
    private long freeAt;

    private boolean runScheduled;
    /** The virtual time a run is scheduled for the engine's timers, or Long.MAX_VALUE. */
    private long timersAt = Long.MAX_VALUE;

    private boolean closed;
    private long busyNanos;
    private long runs;

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
            // commit deadlines on the wall clock: the virtual one stands still between operations
            agent = new EngineAgent(name, engine, this, EngineAgent.Settings.DEFAULT.withCaptureBytes(CAPTURE_BYTES));
            agent.install(USER, base, "the backend's topology");
        } catch (AgentException e) {
            engine.close();
            throw new ProviderException(
                    "router " + name + ": the backend's own topology was rejected: " + e.getMessage(), e);
        }
    }

    /**
     * What a capture holds for its reader, at most: the emulation may run far faster than a drain
     * that looks every few milliseconds (a flow of a second's worth of frames in a moment).
     */
    static final int CAPTURE_BYTES = 256 << 20;

    @Override
    public RouterAgent agent() {
        return agent;
    }

    // ---- the agent's host ----------------------------------------------------------------------

    @Override
    public <T> T call(Callable<T> task) throws Exception {
        return loop.call(task);
    }

    /** Rewires the ports and hands on what the apply released; inside the agent's call, on the loop. */
    @Override
    public void applied(DataplaneConfig c) {
        connect(c);
        // apply ran the graph for packets that waited for a neighbor the configuration now names
        // statically: they leave now, or when the run in progress ends, not at the next run
        handOver(Math.max(loop.now(), freeAt));
        scheduleTimers();
    }

    /**
     * In virtual time: the world runs for up to {@code wait} of it (whatever is in flight or
     * scheduled: an interrupted flow's stragglers, timers), stopping early once {@code done}. Between a
     * script's operations nothing is in flight, so there a trace finds nothing new and replays.
     */
    @Override
    public boolean await(Duration wait, BooleanSupplier done) throws InterruptedException {
        return loop.runFor(wait.toNanos(), done);
    }

    @Override
    public boolean tap(FrameTap t) {
        loop.held(() -> tap = t);
        return true;
    }

    /** Virtual time, from the deployment's epoch. */
    @Override
    public long epochNanos() {
        return epochNanos + loop.clock().nanos();
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
        if (tap != null) {
            tap.frame(iface, true, at, at, frame, 0, frame.length); // on the wire: whether or not the ring has room
        }
        // the port's receive ring is the NIC's: copying into it is not the router's CPU work
        engine.port(iface, MemoryPort.class).inject(frame, 0, frame.length, at);
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
            if (tap != null) { // before the fabric rewrites it
                tap.frame(s.iface(), false, epochNanos + at, now, s.frame(), 0, s.frame().length);
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

    /** The virtual time this router has spent running its data plane (ns), and in how many runs. */
    long busyNanos() {
        return busyNanos;
    }

    long runs() {
        return runs;
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

    /** Frees the engine's buffers, between events (also from an interrupted thread). */
    void close() {
        agent.close();
        loop.held(() -> {
            closed = true;
            engine.close();
        });
    }
}
