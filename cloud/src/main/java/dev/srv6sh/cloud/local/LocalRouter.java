package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.RouterHandle;
import dev.srv6sh.dataplane.Capture;
import dev.srv6sh.dataplane.ConfigException;
import dev.srv6sh.dataplane.Counters;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.NeighborEntry;
import dev.srv6sh.dataplane.PacketTrace;
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
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A router on the local backend: a real data plane {@link Engine} whose in-memory ports are ENIs on
 * its VPC's fabric. Frames arrive on the event loop, run through the graph at once, and what the graph
 * transmits goes back to the fabric; so every emulated round trip includes the router's real cost.
 */
final class LocalRouter implements RouterHandle {
    private final String name;
    private final Prefix locator;
    private final Inet6Address transitAddress;
    private final DataplaneConfig base;
    private final EventLoop loop;
    private final Engine engine;
    private final Map<String, Eni> enis = new HashMap<>();
    private VpcFabric fabric;
    private volatile DataplaneConfig config;

    LocalRouter(String name, Prefix locator, Inet6Address transitAddress, DataplaneConfig base, EventLoop loop)
            throws ProviderException {
        this.name = name;
        this.locator = locator;
        this.transitAddress = transitAddress;
        this.base = base;
        this.loop = loop;
        this.engine = new Engine(name);
        try {
            engine.apply(base);
        } catch (ConfigException e) {
            engine.close();
            throw new ProviderException(
                    "router " + name + ": the backend's own topology was rejected: " + e.getMessage(), e);
        }
        for (DataplaneConfig.Interface i : base.interfaces()) {
            engine.port(i.name()).onTransmit(this::transmit);
        }
    }

    void attach(VpcFabric fabric, String iface, Eni eni) {
        this.fabric = fabric;
        enis.put(iface, eni);
    }

    /** A frame the fabric delivered to one of this router's ENIs. Runs on the loop. */
    void receive(String iface, byte[] frame) {
        engine.port(iface).inject(frame, 0, frame.length, EPOCH_OFFSET + System.nanoTime());
        engine.poll();
        scheduleTimers();
        recentIface[recentNext] = iface;
        recentFrame[recentNext] = frame; // the fabric hands each frame over once: keeping it copies nothing
        recentSeq[recentNext] = received++;
        recentNext = (recentNext + 1) % RECENT;
    }

    /** When a task to run the engine's timers is scheduled on the loop, or Long.MAX_VALUE. */
    private long timersAt = Long.MAX_VALUE;

    private boolean closed;

    /**
     * Address resolution retransmits and ages on the engine's clock (System.nanoTime, the loop's
     * time) even when no frame comes: a task on the loop runs the engine's timers when they are due.
     */
    private void scheduleTimers() {
        long due = engine.nextDeadline();
        if (due < timersAt && !closed) {
            timersAt = due;
            loop.at(due, () -> {
                timersAt = Long.MAX_VALUE;
                if (!closed) {
                    engine.runTimers();
                    scheduleTimers();
                }
            });
        }
    }

    /** Nanoseconds from the monotonic clock to the epoch, for capture timestamps. */
    private static final long EPOCH_OFFSET = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

    /** The last frames received, for a trace that finds no new traffic (run again on a scratch copy). */
    private static final int RECENT = 64;

    private final String[] recentIface = new String[RECENT];
    private final byte[][] recentFrame = new byte[RECENT][];
    private final long[] recentSeq = new long[RECENT];
    private int recentNext;
    private long received;

    @Override
    public List<Engine.FibEntry> fib() throws ProviderException {
        try {
            return loop.call(engine::fib);
        } catch (Exception e) {
            throw new ProviderException("router " + name + ": the FIB is unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public List<NeighborEntry> neighbors() throws ProviderException {
        try {
            return loop.call(engine::neighbors);
        } catch (Exception e) {
            throw new ProviderException("router " + name + ": the neighbor table is unavailable: " + e.getMessage(), e);
        }
    }

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
                armedAt[0] = received;
                return null;
            });
            long deadline = System.nanoTime() + wait.toNanos();
            List<PacketTrace> live = List.of();
            while (true) {
                live = loop.call(engine::traces);
                if (live.size() >= count || System.nanoTime() >= deadline) {
                    break;
                }
                Thread.sleep(10);
            }
            List<PacketTrace> seen = live;
            return loop.call(
                    () -> new Traces(seen, seen.size() >= count ? List.of() : replay(count - seen.size(), armedAt[0])));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new ProviderException("router " + name + ": trace failed: " + e.getMessage(), e);
        } finally {
            try {
                loop.call(() -> {
                    engine.trace(0);
                    engine.clearTraces();
                    return null;
                });
            } catch (Exception e) {
                // the loop is gone: nothing is armed any more
            }
        }
    }

    /**
     * The last {@code n} frames received before the trace was armed (those after it were traced
     * live), run again through a scratch engine with the same program.
     */
    private List<PacketTrace> replay(int n, long before) throws ConfigException {
        List<Integer> slots = new java.util.ArrayList<>();
        for (int k = 1; k <= RECENT && slots.size() < n; k++) {
            int i = Math.floorMod(recentNext - k, RECENT);
            if (recentFrame[i] != null && recentSeq[i] < before) {
                slots.addFirst(i);
            }
        }
        if (slots.isEmpty()) {
            return List.of();
        }
        try (Engine scratch = new Engine(name)) {
            scratch.apply(config != null ? config : base);
            scratch.trace(slots.size());
            for (int i : slots) {
                scratch.port(recentIface[i]).inject(recentFrame[i]);
                scratch.poll();
            }
            return scratch.traces();
        }
    }

    @Override
    public Capturing capture(String iface, Path file) throws ProviderException {
        if (iface != null
                && (config != null ? config : base)
                        .interfaces().stream().noneMatch(i -> i.name().equals(iface))) {
            throw new ProviderException("router " + name + " has no interface '" + iface + "'");
        }
        PcapWriter w;
        try {
            w = PcapWriter.create(file, LinkType.ETHERNET);
        } catch (PcapException e) {
            throw new ProviderException("capture on " + name + ": " + e.getMessage(), e);
        }
        try {
            PcapException[] failure = new PcapException[1];
            Capture c =
                    loop.call(() -> engine.capture(iface, EnumSet.of(Capture.Direction.RX, Capture.Direction.TX), f -> {
                        if (failure[0] == null) {
                            try {
                                w.write(f.timeNanos(), f.segment(), f.offset(), f.length());
                            } catch (PcapException e) {
                                failure[0] = e;
                            }
                        }
                    }));
            return () -> {
                try {
                    loop.call(() -> {
                        c.stop();
                        return null;
                    });
                } catch (Exception e) {
                    throw new ProviderException("capture on " + name + ": " + e.getMessage(), e);
                } finally {
                    closeQuietly(w);
                }
                if (failure[0] != null) {
                    throw new ProviderException("capture on " + name + ": " + failure[0].getMessage(), failure[0]);
                }
                return w.records();
            };
        } catch (Exception e) {
            closeQuietly(w);
            throw new ProviderException("capture on " + name + " could not start: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(PcapWriter w) {
        try {
            w.close();
        } catch (PcapException e) {
            // what was written stays; the capture's own error, if any, is reported by the caller
        }
    }

    private void transmit(String iface, MemorySegment segment, long offset, int length) {
        byte[] frame = new byte[length];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, frame, 0, length);
        Eni eni = enis.get(iface);
        if (eni != null) {
            fabric.fromEni(eni, frame);
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
                for (DataplaneConfig.Interface i : c.interfaces()) {
                    engine.port(i.name()).onTransmit(this::transmit);
                }
                scheduleTimers();
                return null;
            });
            config = c;
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
        } catch (Exception e) {
            throw new ProviderException("router " + name + ": counters unavailable: " + e.getMessage(), e);
        }
    }

    void close() {
        try {
            loop.call(() -> {
                closed = true;
                engine.close();
                return null;
            });
        } catch (Exception e) {
            // the loop is gone; the engine's arena goes with the JVM
        }
    }
}
