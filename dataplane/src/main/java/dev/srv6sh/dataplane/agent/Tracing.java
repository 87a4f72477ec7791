package dev.srv6sh.dataplane.agent;

import dev.srv6sh.dataplane.Capture;
import dev.srv6sh.dataplane.Clock;
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
 * the tap with up to 64 frames a millisecond) run again, traced, through a scratch engine with the running configuration
 * and the neighbors the router has resolved now (so that a routed packet goes out as the router would
 * send it now, not into glean), and are reported as replayed: between a script's operations nothing is in flight, and a person asking for a
 * trace wants to see what the router did with the traffic that just went through.
 *
 * <p>A capture is a {@link PcapStream} the tap writes into and {@link RouterAgent#captureRead} drains.
 *
 * <p>A router with several workers (engines, each on its own thread: the router daemon's {@code
 * --workers}) is traced on every worker: each is armed for the count, and the trace returns the first
 * packets traced, worker after worker, numbered again from 1. Each worker taps its own frames into a
 * ring of its own (nothing shared on the data plane's threads), and a replay takes the last frames of
 * all of them, by their time. Captures take every worker's frames: a stream's records are then in the
 * order the workers hand them over, which for frames of different flows on different workers may be a
 * few microseconds out of time order.
 */
final class Tracing {
    /** Frames kept for a replay. */
    static final int KEPT = 64;

    /** Frames received are kept for a replay up to {@link #KEPT} in each window of this many ns. */
    static final long KEEP_WINDOW_NANOS = 1_000_000;

    private final String router;
    private final List<EngineAgent.Worker> workers;
    private final Tap[] taps;
    private final int captureBytes;
    private final Object traceLock = new Object();
    private final String prefix = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);

    /** Captures by id (running, or stopped and not read to the end). */
    private final Map<String, PcapStream> captures = new LinkedHashMap<>();
    /** Captures stopped and read to the end: reading them again gives nothing, not an error. */
    private final java.util.Set<String> finished = new java.util.HashSet<>();
    /** The running ones, as the tap reads them: replaced whole, never changed in place. */
    private volatile PcapStream[] armed = new PcapStream[0];

    private long captureCount;

    Tracing(String router, List<EngineAgent.Worker> workers, int captureBytes) throws AgentException {
        this.router = router;
        this.workers = workers;
        this.captureBytes = captureBytes;
        this.taps = new Tap[workers.size()];
        for (int w = 0; w < taps.length; w++) {
            Engine engine = workers.get(w).engine();
            EngineHost host = workers.get(w).host();
            Tap t = new Tap(host);
            taps[w] = t;
            if (!host.tap(t::frame)) {
                // no tap of the host's own: the engine's capture of every interface feeds the same path
                try {
                    // transmitted frames only while a capture is armed (rearm), to save a call a frame
                    t.capture = host.call(() ->
                            engine.capture(null, EnumSet.of(Capture.Direction.RX, Capture.Direction.TX), t::frame));
                    t.capture.transmitted(false);
                } catch (Exception e) {
                    throw new AgentException(
                            AgentException.INTERNAL, "router " + router + ": cannot tap its interfaces: " + e, e);
                }
            }
        }
    }

    /**
     * One worker's tap: the frames its interfaces receive and transmit, on its engine's (host's)
     * thread, into the captures armed and a ring of the last frames received, for a replay.
     */
    private final class Tap {
        private final EngineHost host;
        /** The engine's capture that feeds it, when the host has no tap of its own. */
        private volatile Capture capture;

        private final String[] ringIface = new String[KEPT];
        private final byte[][] ringFrame = new byte[KEPT][];
        private final int[] ringLength = new int[KEPT];
        private final long[] ringNumber = new long[KEPT];
        private final long[] ringStamp = new long[KEPT];
        private int ringNext;
        private long received;
        private byte[] scratch = new byte[2048];
        /** The window frames are kept in for a replay ({@link #keeps}): its start, and what is left of it. */
        private long keptSince = Long.MIN_VALUE / 2;

        private int keepable;

        Tap(EngineHost host) {
            this.host = host;
        }

        /** The engine capture's frames, copied into one reused array (nothing allocated per frame). */
        void frame(Capture.Frame f) {
            boolean rx = f.direction() == Capture.Direction.RX;
            if (!rx && armed.length == 0) {
                return; // a transmitted frame matters to an armed capture only: no copy, no clock read
            }
            int n = f.length();
            // a received frame's own time when its port gave one (no clock read per frame: at a
            // router's rate, clock_gettime per frame was 8% of its thread's time)
            long now = rx && f.timeNanos() != 0 ? f.timeNanos() : host.epochNanos();
            if (rx && !keeps(now)) {
                if (armed.length == 0) {
                    return; // neither kept for a replay nor captured: no copy
                }
                if (scratch.length < n) {
                    scratch = new byte[Math.max(n, scratch.length * 2)];
                }
                MemorySegment.copy(f.segment(), ValueLayout.JAVA_BYTE, f.offset(), scratch, 0, n);
                captures(f.iface(), true, now, now, scratch, 0, n);
                return;
            }
            if (rx) {
                // straight into the ring of kept frames, the one copy (a large send is 64 KiB)
                byte[] kept = slot(n);
                MemorySegment.copy(f.segment(), ValueLayout.JAVA_BYTE, f.offset(), kept, 0, n);
                kept(f.iface(), now, n);
                captures(f.iface(), true, now, now, kept, 0, n);
                return;
            }
            if (scratch.length < n) {
                scratch = new byte[Math.max(n, scratch.length * 2)];
            }
            MemorySegment.copy(f.segment(), ValueLayout.JAVA_BYTE, f.offset(), scratch, 0, n);
            frame(f.iface(), false, now, now, scratch, 0, n);
        }

        /** The tap: every frame an interface received or transmitted. On the engine's (host's) thread. */
        void frame(String iface, boolean rx, long stamp, long now, byte[] frame, int offset, int length) {
            if (rx) {
                keep(iface, stamp, frame, offset, length);
            }
            captures(iface, rx, stamp, now, frame, offset, length);
        }

        private void captures(String iface, boolean rx, long stamp, long now, byte[] frame, int offset, int length) {
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

        /**
         * Whether a frame received at {@code now} (ns) is kept for a replay: the first {@value #KEPT}
         * of each millisecond. A replay is for a router the traffic has gone through (a busy one's
         * trace takes live packets), and a copy of every frame was 6–8% of a busy router's time
         * (perf, af_xdp End.DX4 at 480,000 frames a second: the copy, and its cache misses on a frame
         * the kernel wrote on another CPU); every frame is kept while no more than 64 come in a
         * millisecond. (A host with a tap of its own, the local backend's, keeps every frame.)
         */
        private boolean keeps(long now) {
            // a frame a little older than the window's start (ports polled in turn stamp their
            // bursts each) stays in it; the clock set back (a wall clock) starts a new one
            if (now - keptSince >= KEEP_WINDOW_NANOS || keptSince - now >= KEEP_WINDOW_NANOS) {
                keptSince = now;
                keepable = KEPT;
            }
            if (keepable == 0) {
                return false;
            }
            keepable--;
            return true;
        }

        private void keep(String iface, long stamp, byte[] frame, int offset, int length) {
            System.arraycopy(frame, offset, slot(length), 0, length);
            kept(iface, stamp, length);
        }

        /** The ring's next slot, with room for {@code length} bytes. */
        private byte[] slot(int length) {
            int i = ringNext;
            if (ringFrame[i] == null || ringFrame[i].length < length) {
                ringFrame[i] = new byte[Math.max(length, 2048)];
            }
            return ringFrame[i];
        }

        /** The frame just copied into the next slot ({@link #slot}) is kept: the slot is taken. */
        private void kept(String iface, long stamp, int length) {
            int i = ringNext;
            ringIface[i] = iface;
            ringLength[i] = length;
            ringNumber[i] = received++;
            ringStamp[i] = stamp;
            ringNext = (i + 1) % KEPT;
        }

        /**
         * The last {@code n} frames received before frame number {@code before}, oldest first. On the
         * engine's thread.
         */
        List<Kept> recent(int n, long before) {
            List<Kept> out = new ArrayList<>();
            for (int k = 1; k <= KEPT && out.size() < n; k++) {
                int i = Math.floorMod(ringNext - k, KEPT);
                if (ringFrame[i] != null && ringNumber[i] < before && ringNumber[i] < received) {
                    out.addFirst(
                            new Kept(ringIface[i], ringStamp[i], java.util.Arrays.copyOf(ringFrame[i], ringLength[i])));
                }
            }
            return out;
        }
    }

    /** A frame kept for a replay, copied, with when it was received. */
    private record Kept(String iface, long stamp, byte[] frame) {}

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
                int n = workers.size();
                long[] armedAt = new long[n];
                for (int w = 0; w < n; w++) {
                    Engine engine = workers.get(w).engine();
                    Tap tap = taps[w];
                    armedAt[w] = workers.get(w).host().call(() -> {
                        engine.clearTraces();
                        engine.trace(count);
                        return tap.received;
                    });
                }
                await(count, wait);
                List<PacketTrace> live = new ArrayList<>();
                List<Kept> again = new ArrayList<>();
                for (int w = 0; w < n; w++) {
                    Engine engine = workers.get(w).engine();
                    Tap tap = taps[w];
                    long at = armedAt[w];
                    List<Object> seen = workers.get(w).host().call(() -> {
                        List<PacketTrace> l = engine.traces();
                        return List.of(l, tap.recent(count, at));
                    });
                    @SuppressWarnings("unchecked")
                    List<PacketTrace> l = (List<PacketTrace>) seen.get(0);
                    @SuppressWarnings("unchecked")
                    List<Kept> k = (List<Kept>) seen.get(1);
                    live.addAll(l);
                    again.addAll(k);
                }
                if (n > 1) {
                    live = renumbered(live.subList(0, Math.min(count, live.size())));
                }
                int missing = count - live.size();
                if (missing <= 0) {
                    again = List.of();
                } else {
                    if (n > 1) {
                        again.sort(java.util.Comparator.comparingLong(Kept::stamp)); // one worker's: in order already
                    }
                    again = again.subList(Math.max(0, again.size() - missing), again.size());
                }
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

    /**
     * Lets up to {@code wait} pass until the workers have traced {@code count} packets between them: in
     * the host's time with one worker (the local backend's is virtual), else on the wall clock, looking
     * every millisecond.
     */
    private void await(int count, Duration wait) throws Exception {
        if (workers.size() == 1) {
            Engine engine = workers.getFirst().engine();
            workers.getFirst().host().await(wait, () -> engine.traced() >= count);
            return;
        }
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            int traced = 0;
            for (EngineAgent.Worker w : workers) {
                traced += w.host().call(w.engine()::traced);
            }
            if (traced >= count || System.nanoTime() - end >= 0) {
                return;
            }
            Thread.sleep(1);
        }
    }

    /** The workers' traces one after the other, numbered from 1 as one engine's are. */
    private static List<PacketTrace> renumbered(List<PacketTrace> traces) {
        List<PacketTrace> out = new ArrayList<>();
        for (PacketTrace t : traces) {
            out.add(new PacketTrace(out.size() + 1, t.rxInterface(), t.steps(), t.truncated()));
        }
        return out;
    }

    /** Whatever happened, an armed trace would go on tracing every packet: disarmed, even when interrupted. */
    private void disarm() {
        boolean interrupted = Thread.interrupted();
        try {
            for (EngineAgent.Worker w : workers) {
                try {
                    w.host().call(() -> {
                        w.engine().trace(0);
                        w.engine().clearTraces();
                        return null;
                    });
                } catch (Exception e) {
                    // the engine is gone (closed); nothing is armed on it any more
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs {@code frames} again, traced, through a scratch engine with {@code program} and the
     * neighbors the workers have resolved now, so that a routed packet goes out as the router would
     * send it now instead of waiting in glean (a frame that did wait in glean when it came, before
     * its neighbor was resolved, shows as it would go now).
     */
    private List<PacketTrace> replay(List<Kept> frames, DataplaneConfig program) throws Exception {
        if (frames.isEmpty() || program == null) {
            return List.of();
        }
        List<List<NeighborEntry>> tables = new ArrayList<>();
        for (EngineAgent.Worker w : workers) {
            tables.add(w.host().call(w.engine()::neighbors));
        }
        // as show neighbors merges them: per neighbor the most settled entry of any worker
        List<NeighborEntry> resolved = EngineAgent.mergeNeighbors(
                tables,
                program.interfaces().stream()
                        .map(DataplaneConfig.Interface::name)
                        .toList());
        try (Engine scratchEngine = new Engine(router, Clock.SYSTEM, MemoryPort.FACTORY)) {
            scratchEngine.apply(program.inMemory()); // the router's own devices are its, not the copy's
            scratchEngine.learnNeighbors(resolved);
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
        c.passed(workers.getFirst().host().epochNanos());
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
            transmitted();
        }
        for (EngineAgent.Worker w : workers) {
            try {
                w.host().call(() -> null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the tap has the new list at its next frame anyway
                break;
            } catch (Exception e) {
                // the host is gone: nothing taps any more
            }
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
        PcapStream[] next = captures.values().stream().filter(c -> !c.stopped()).toArray(PcapStream[]::new);
        if (next.length > 0) {
            // transmitted frames on before the capture is armed: a frame it sees received is then
            // seen transmitted too (the tap ignores them while nothing is armed)
            transmitted(true);
            armed = next;
        } else {
            armed = next;
            transmitted(false);
        }
    }

    /** The engines' captures hand the taps transmitted frames while a capture is armed, only. */
    private void transmitted() {
        transmitted(armed.length > 0);
    }

    private void transmitted(boolean on) {
        for (Tap t : taps) {
            Capture c = t.capture;
            if (c != null) {
                c.transmitted(on);
            }
        }
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
            transmitted();
        }
        all.forEach(PcapStream::stop);
    }
}
