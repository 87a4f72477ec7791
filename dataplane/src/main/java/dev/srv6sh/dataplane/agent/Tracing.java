package dev.srv6sh.dataplane.agent;

import dev.srv6sh.dataplane.Capture;
import dev.srv6sh.dataplane.Clock;
import dev.srv6sh.dataplane.ConfigException;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The agent's trace and captures, written once for every backend: the host gives only its thread,
 * its time and a tap of the frames on its interfaces ({@link EngineHost}).
 *
 * <p>A trace arms the engine for the next packets and lets the host's time pass until they came or
 * the wait is over; when fewer came, the last frames the router received (kept in a small ring, fed by
 * the tap) run again, traced, through a scratch engine with the running configuration, and are
 * reported as replayed: between a script's operations nothing is in flight, and a person asking for a
 * trace wants to see what the router did with the traffic that just went through.
 *
 * <p>A capture is a {@link PcapStream} the tap writes into and {@link RouterAgent#captureRead} drains.
 */
final class Tracing {
    /** Frames kept for a replay. */
    static final int KEPT = 64;

    private final String router;
    private final Engine engine;
    private final EngineHost host;
    private final int captureBytes;
    private final Object traceLock = new Object();
    private final String prefix = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);

    // the ring of received frames: on the engine's thread only
    private final String[] ringIface = new String[KEPT];
    private final byte[][] ringFrame = new byte[KEPT][];
    private final int[] ringLength = new int[KEPT];
    private final long[] ringNumber = new long[KEPT];
    private int ringNext;
    private long received;

    /** Captures by id (running, or stopped and not read to the end). */
    private final Map<String, PcapStream> captures = new LinkedHashMap<>();
    /** Captures stopped and read to the end: reading them again gives nothing, not an error. */
    private final java.util.Set<String> finished = new java.util.HashSet<>();
    /** The running ones, as the tap reads them: replaced whole, never changed in place. */
    private volatile PcapStream[] armed = new PcapStream[0];

    private long captureCount;
    private byte[] scratch = new byte[2048];

    Tracing(String router, Engine engine, EngineHost host, int captureBytes) throws AgentException {
        this.router = router;
        this.engine = engine;
        this.host = host;
        this.captureBytes = captureBytes;
        if (!host.tap(this::frame)) {
            // no tap of the host's own: the engine's capture of every interface feeds the same path
            try {
                host.call(() ->
                        engine.capture(null, EnumSet.of(Capture.Direction.RX, Capture.Direction.TX), this::frame));
            } catch (Exception e) {
                throw new AgentException(
                        AgentException.INTERNAL, "router " + router + ": cannot tap its interfaces: " + e, e);
            }
        }
    }

    /** The engine capture's frames, copied into one reused array (nothing allocated per frame). */
    private void frame(Capture.Frame f) {
        int n = f.length();
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        MemorySegment.copy(f.segment(), ValueLayout.JAVA_BYTE, f.offset(), scratch, 0, n);
        long now = host.epochNanos();
        boolean rx = f.direction() == Capture.Direction.RX;
        frame(f.iface(), rx, rx && f.timeNanos() != 0 ? f.timeNanos() : now, now, scratch, 0, n);
    }

    /** The tap: every frame an interface received or transmitted. On the engine's (host's) thread. */
    private void frame(String iface, boolean rx, long stamp, long now, byte[] frame, int offset, int length) {
        if (rx) {
            keep(iface, frame, offset, length);
        }
        for (PcapStream c : armed) {
            if (c.covers(iface)) {
                if (rx) {
                    c.received(stamp, frame, offset, length);
                } else {
                    c.transmitted(stamp, now, frame, offset, length);
                }
            }
        }
    }

    private void keep(String iface, byte[] frame, int offset, int length) {
        int i = ringNext;
        if (ringFrame[i] == null || ringFrame[i].length < length) {
            ringFrame[i] = new byte[Math.max(length, 2048)];
        }
        System.arraycopy(frame, offset, ringFrame[i], 0, length);
        ringIface[i] = iface;
        ringLength[i] = length;
        ringNumber[i] = received++;
        ringNext = (i + 1) % KEPT;
    }

    /** A frame kept for a replay, copied. */
    private record Kept(String iface, byte[] frame) {}

    /** The last {@code n} frames received before frame number {@code before}, oldest first. On the engine's thread. */
    private List<Kept> recent(int n, long before) {
        List<Kept> out = new ArrayList<>();
        for (int k = 1; k <= KEPT && out.size() < n; k++) {
            int i = Math.floorMod(ringNext - k, KEPT);
            if (ringFrame[i] != null && ringNumber[i] < before && ringNumber[i] < received) {
                out.addFirst(new Kept(ringIface[i], java.util.Arrays.copyOf(ringFrame[i], ringLength[i])));
            }
        }
        return out;
    }

    // ---- trace ---------------------------------------------------------------------------------

    Traces trace(int count, Duration wait, Supplier<DataplaneConfig> running)
            throws AgentException, InterruptedException {
        if (count < 1 || count > 1000) {
            throw new AgentException(AgentException.BAD_REQUEST, "trace takes 1 to 1000 packets, not " + count);
        }
        if (wait == null || wait.isNegative()) {
            throw new AgentException(AgentException.BAD_REQUEST, "trace needs a time to wait (0 or more), not " + wait);
        }
        synchronized (traceLock) {
            try {
                long armedAt = host.call(() -> {
                    engine.clearTraces();
                    engine.trace(count);
                    return received;
                });
                host.await(wait, () -> engine.traced() >= count);
                List<Object> seen = host.call(() -> {
                    List<PacketTrace> live = engine.traces();
                    return List.of(live, live.size() >= count ? List.of() : recent(count - live.size(), armedAt));
                });
                @SuppressWarnings("unchecked")
                List<PacketTrace> live = (List<PacketTrace>) seen.get(0);
                @SuppressWarnings("unchecked")
                List<Kept> again = (List<Kept>) seen.get(1);
                return new Traces(live, replay(again, running.get()));
            } catch (InterruptedException | AgentException e) {
                throw e;
            } catch (Exception e) {
                throw new AgentException(AgentException.INTERNAL, "router " + router + ": trace failed: " + e, e);
            } finally {
                disarm();
            }
        }
    }

    /** Whatever happened, an armed trace would go on tracing every packet: disarmed, even when interrupted. */
    private void disarm() {
        boolean interrupted = Thread.interrupted();
        try {
            host.call(() -> {
                engine.trace(0);
                engine.clearTraces();
                return null;
            });
        } catch (Exception e) {
            // the engine is gone (closed); nothing is armed on it any more
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs {@code frames} again, traced, through a scratch engine with {@code program}. */
    private List<PacketTrace> replay(List<Kept> frames, DataplaneConfig program) throws ConfigException {
        if (frames.isEmpty() || program == null) {
            return List.of();
        }
        try (Engine scratchEngine = new Engine(router, Clock.SYSTEM, MemoryPort.FACTORY)) {
            scratchEngine.apply(program.inMemory()); // the router's own devices are its, not the copy's
            scratchEngine.trace(frames.size());
            for (Kept k : frames) {
                if (program.interfaces().stream().anyMatch(i -> i.name().equals(k.iface()))) {
                    scratchEngine.port(k.iface(), MemoryPort.class).inject(k.frame());
                    scratchEngine.poll();
                }
            }
            return scratchEngine.traces();
        }
    }

    // ---- captures ------------------------------------------------------------------------------

    synchronized String captureStart(String iface) {
        String id = "c" + (++captureCount) + "-" + prefix;
        PcapStream c = new PcapStream(id, iface, captureBytes);
        captures.put(id, c);
        rearm();
        return id;
    }

    private PcapStream capture(String id) throws AgentException {
        PcapStream c = id == null ? null : captures.get(id);
        if (c == null && finished.contains(id)) {
            return null;
        }
        if (c == null) {
            throw new AgentException(AgentException.BAD_REQUEST, "no capture '" + id + "' on router " + router);
        }
        return c;
    }

    byte[] captureRead(String id, int max) throws AgentException {
        if (max < 1) {
            throw new AgentException(AgentException.BAD_REQUEST, "capture read needs a size of 1 or more, not " + max);
        }
        PcapStream c;
        synchronized (this) {
            c = capture(id);
        }
        if (c == null) {
            return new byte[0];
        }
        c.passed(host.epochNanos());
        byte[] out = c.read(Math.min(max, 1 << 20));
        forgetIfFinished(c);
        return out;
    }

    CaptureSummary captureStop(String id) throws AgentException {
        PcapStream c;
        synchronized (this) {
            c = capture(id);
            if (c == null) {
                throw new AgentException(
                        AgentException.BAD_REQUEST, "capture '" + id + "' is stopped and read already");
            }
            if (c.stopped()) {
                return c.summary();
            }
        }
        // off the tap first, on the engine's thread, so that no frame comes in after the summary
        synchronized (this) {
            armed = java.util.Arrays.stream(armed).filter(x -> x != c).toArray(PcapStream[]::new);
        }
        try {
            host.call(() -> null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the tap has the new list at its next frame anyway
        } catch (Exception e) {
            // the host is gone: nothing taps any more
        }
        CaptureSummary s = c.stop();
        forgetIfFinished(c);
        return s;
    }

    private synchronized void forgetIfFinished(PcapStream c) {
        if (c.finished()) {
            captures.remove(c.id());
            finished.add(c.id());
        }
    }

    private void rearm() {
        armed = captures.values().stream().filter(c -> !c.stopped()).toArray(PcapStream[]::new);
    }

    /** How many captures are armed (tests). */
    int capturing() {
        return armed.length;
    }

    void close() {
        List<PcapStream> all;
        synchronized (this) {
            all = new ArrayList<>(captures.values());
            armed = new PcapStream[0];
        }
        all.forEach(PcapStream::stop);
    }
}
