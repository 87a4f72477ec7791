package dev.srv6sh.interpreter.eval;

import dev.srv6sh.dataplane.Clock;
import dev.srv6sh.interpreter.Progress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The progress events of one long operation (ping, measure): STARTED; PROGRESS at every tick, every
 * {@link #PERIOD} of real time, reckoned on the deployment's clock (on local the share of the
 * operation's virtual length done); then FINISHED with the result's summary line, or FAILED. No tick
 * reports after the last event. The ticks come from {@link Ticks}: the real timer, or a test's hand.
 */
final class Tracker {
    /** How often a running operation reports, in real time: what a progress bar needs. */
    static final Duration PERIOD = Duration.ofMillis(100);

    /** Calls {@code tick} every {@code period} until the returned future is cancelled. */
    @FunctionalInterface
    interface Ticks {
        Future<?> every(Duration period, Runnable tick);
    }

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "srv6sh-progress");
        t.setDaemon(true);
        return t;
    });

    /** Ticks on a timer thread, every period of real time. */
    static final Ticks REAL =
            (period, tick) -> TIMER.scheduleAtFixedRate(tick, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);

    private final Progress progress;
    private final String op;
    private final Duration expected;
    private final Clock clock;
    private final long start;
    private final Future<?> ticking;
    private boolean finished;

    /** Starts tracking {@code op}, whose length on {@code clock} should be {@code expected}: STARTED now. */
    Tracker(Progress progress, String op, Duration expected, Clock clock, Ticks ticks) {
        this.progress = progress;
        this.op = op;
        this.expected = expected;
        this.clock = clock;
        this.start = clock.nanos();
        progress.event(new Progress.Event(Progress.Kind.STARTED, op, 0, Duration.ZERO, expected, null));
        this.ticking = ticks.every(PERIOD, this::tick);
    }

    /** A PROGRESS event for the time passed on the clock so far, below 100% until the result is in. */
    void tick() {
        Duration elapsed = elapsed();
        double f = Math.min(0.99, elapsed.toNanos() / (double) Math.max(1, expected.toNanos()));
        synchronized (this) { // never after the operation's last event
            if (!finished) {
                progress.event(new Progress.Event(Progress.Kind.PROGRESS, op, f, elapsed, expected, null));
            }
        }
    }

    /** Stops the ticks and reports the operation's end: FINISHED with {@code result}, or FAILED when null. */
    void finish(Value result) {
        synchronized (this) {
            finished = true;
            ticking.cancel(false);
        }
        Duration elapsed = elapsed();
        progress.event(
                result == null
                        ? new Progress.Event(Progress.Kind.FAILED, op, 0, elapsed, expected, null)
                        : new Progress.Event(
                                Progress.Kind.FINISHED, op, 1, elapsed, expected, Render.summaryLine(result)));
    }

    private Duration elapsed() {
        return Duration.ofNanos(clock.nanos() - start);
    }
}
