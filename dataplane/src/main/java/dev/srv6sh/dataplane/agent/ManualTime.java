package dev.srv6sh.dataplane.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A wall clock and timer that move only when told ({@link #advance}), so that a test (or the
 * conformance suite, over any transport) can let a {@code commit confirmed} expire without sleeping.
 * Due tasks run on the thread that advances the time, in deadline order.
 */
public final class ManualTime implements AgentTimer {
    private record Task(Instant at, long order, Runnable task) {}

    private final List<Task> tasks = new ArrayList<>();
    private Instant now;
    private long order;

    public ManualTime(Instant start) {
        this.now = start;
    }

    /** 2001-09-09T01:46:40Z: a fixed start, so that test output does not depend on the day. */
    public ManualTime() {
        this(Instant.ofEpochSecond(1_000_000_000L));
    }

    public synchronized Instant now() {
        return now;
    }

    @Override
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now();
            }
        };
    }

    @Override
    public synchronized Runnable schedule(Instant at, Runnable task) {
        Task t = new Task(at, order++, task);
        tasks.add(t);
        return () -> {
            synchronized (ManualTime.this) {
                tasks.remove(t);
            }
        };
    }

    /** Moves the clock on by {@code d}, running every task that falls due, each at its deadline. */
    public void advance(Duration d) {
        Instant until;
        synchronized (this) {
            until = now.plus(d);
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream()
                        .filter(t -> !t.at().isAfter(until))
                        .min(Comparator.comparing(Task::at).thenComparingLong(Task::order))
                        .orElse(null);
                if (next == null) {
                    now = until.isAfter(now) ? until : now;
                    return;
                }
                tasks.remove(next);
                if (next.at().isAfter(now)) {
                    now = next.at();
                }
            }
            next.task().run(); // outside the lock: the task takes the agent's
        }
    }

    /** Tasks waiting for their deadline. */
    public synchronized int pending() {
        return tasks.size();
    }
}
