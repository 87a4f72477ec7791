package dev.srv6sh.dataplane.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The management plane's time: the wall clock commits are stamped with, and the timer that undoes a
 * {@code commit confirmed} nobody confirmed. It is not the data plane's clock on purpose: on the
 * local backend that one is virtual and stands still between operations, while a confirm deadline is
 * a promise to a person. Tests drive {@link ManualTime} instead.
 */
public interface AgentTimer {
    /** The wall clock. */
    Clock clock();

    /**
     * Runs {@code task} once {@link #clock} reaches {@code at} (at once when it is past), on a thread
     * of the timer's; returns what cancels it (harmless after it ran).
     */
    Runnable schedule(Instant at, Runnable task);

    /** The system's wall clock and one daemon thread shared by every agent of the JVM. */
    static AgentTimer system() {
        return SystemTimer.INSTANCE;
    }

    /** The real one: {@link Clock#systemUTC} and a scheduled executor. */
    final class SystemTimer implements AgentTimer {
        static final SystemTimer INSTANCE = new SystemTimer();

        private final ScheduledExecutorService executor;

        private SystemTimer() {
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "srv6sh-agent-timer");
                t.setDaemon(true);
                return t;
            });
            e.setRemoveOnCancelPolicy(true);
            executor = e;
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }

        @Override
        public Runnable schedule(Instant at, Runnable task) {
            long delay = Math.max(0, Duration.between(Instant.now(), at).toNanos());
            var f = executor.schedule(task, delay, TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }
    }
}
