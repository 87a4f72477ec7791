package dev.srv6sh.dataplane.pcap;

import dev.srv6sh.dataplane.Clock;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import java.util.List;

/**
 * Receives the records of all inputs in time order, one interface's run of up to 256 within
 * {@link #BATCH_WINDOW} per poll, with the clock at the latest record's time; runs the timers whose
 * deadline a record's time passes (after the packets before it), and delivers the peers' answers
 * as soon as they are made.
 */
record ReplayFeed(Engine engine, ReplayFeed.ReplayClock clock, ReplayPeer peer) {
    /** Records received per poll at most: a vector. */
    static final int BATCH = 256;
    /**
     * A batch holds records within this of its first: the clock reads the latest one's time while the
     * graph runs them, so what they start (a neighbor's DELAY, a solicitation) is at most this late.
     */
    static final long BATCH_WINDOW = 1_000_000L;

    /** The replay's time: that of the latest record received, or of the timer being run. */
    static final class ReplayClock implements Clock {
        long now;

        @Override
        public long nanos() {
            return now;
        }

        void advanceTo(long t) {
            now = Math.max(now, t);
        }
    }

    void run(List<PcapReplay.Source> sources) throws PcapException {
        for (PcapReplay.Source s : sources) {
            s.advance();
        }
        PcapReplay.Source last = null;
        int batch = 0;
        long batchStart = 0;
        while (true) {
            PcapReplay.Source next = null;
            for (PcapReplay.Source s : sources) {
                if (s.pending != null && (next == null || s.pending.timeNanos() < next.pending.timeNanos())) {
                    next = s;
                }
            }
            if (next == null) {
                break;
            }
            long t = next.pending.timeNanos();
            // Polling when the interface changes keeps outputs in the inputs' time order.
            if (batch > 0
                    && (batch == BATCH
                            || last != next
                            || t - batchStart > BATCH_WINDOW
                            || engine.nextDeadline() <= t)) {
                poll();
                batch = 0;
            }
            if (batch == 0) {
                batchStart = t;
            }
            timersUntil(t);
            clock.advanceTo(t);
            if (next.receive(engine.port(next.input.iface(), MemoryPort.class))) {
                batch++;
            }
            last = next;
            next.advance();
        }
        poll();
        // Whatever still waits for a neighbor waits for the answer or the failure, in replay time.
        while (engine.counters().held() > 0 && engine.nextDeadline() != Long.MAX_VALUE) {
            timersUntil(engine.nextDeadline());
        }
    }

    /** Runs the graph until idle, delivering the peers' answers as they come. */
    private void poll() {
        engine.poll();
        answer();
    }

    private void answer() {
        for (List<ReplayPeer.Answer> a = peer.take(); !a.isEmpty(); a = peer.take()) {
            for (ReplayPeer.Answer x : a) {
                engine.port(x.iface(), MemoryPort.class).inject(x.frame(), 0, x.frame().length, x.timeNanos());
            }
            engine.poll();
        }
    }

    /** Runs each timer due by {@code t}, at its own deadline. */
    private void timersUntil(long t) {
        for (long due = engine.nextDeadline(); due <= t; due = engine.nextDeadline()) {
            clock.advanceTo(due);
            engine.runTimers();
            answer();
        }
    }
}
