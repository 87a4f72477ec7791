package dev.srv6sh.cloud.local;

import dev.srv6sh.dataplane.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The clock and the agenda of an emulated world: a discrete-event simulation in virtual time. Every
 * frame delivery, every router's run and every host's reply is an event at a virtual instant
 * (nanoseconds from the deployment's start); {@link #runUntil} takes the events in time order,
 * moving the clock to each one's instant, so time between events costs nothing and time inside one
 * costs only what its action charges to the clock on purpose (a router's measured processing,
 * docs/emulation.md).
 *
 * <p>There is no thread of its own: the thread of an operation that needs the world to move (a
 * ping, a UDP flow, a capture's duration) runs it, holding the world's lock, until that operation is
 * done; between operations the world stands still. Other threads wait for the lock, so whatever
 * they do (read counters, configure a router) happens between two events. The clock may be read
 * from any thread through {@link #clock()} (progress bars).
 */
final class EventLoop implements AutoCloseable {
    /** How many events run between two looks at the driving thread's interrupt flag. */
    private static final int INTERRUPT_CHECK = 64;

    private final Agenda queue = new Agenda();
    private final ReentrantLock world = new ReentrantLock();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile RuntimeException lastFailure;
    private long now;
    private long events;
    private boolean closed;

    /** The virtual time (ns). Read it on the world's side: in an event, or inside {@link #call}. */
    long now() {
        return now;
    }

    /** The virtual clock, readable from any thread (it lags the world by at most the event running). */
    Clock clock() {
        return published::get;
    }

    /** Runs {@code action} at virtual time {@code due}; a time already past means now. */
    void at(long due, Runnable action) {
        world.lock();
        try {
            if (!closed) {
                queue.add(Math.max(due, now), action);
            }
        } finally {
            world.unlock();
        }
    }

    /** Runs {@code action} at the current virtual time, after the events already due now. */
    void execute(Runnable action) {
        at(Long.MIN_VALUE, action); // the past: now, read under the lock
    }

    /**
     * Runs {@code action} with the world held, between events, and returns its result; its exception
     * is rethrown. The clock does not move.
     */
    <T> T call(Callable<T> action) throws Exception {
        world.lockInterruptibly();
        try {
            return action.call();
        } finally {
            world.unlock();
        }
    }

    /**
     * Runs {@code action} with the world held, between events, waiting for the lock uninterruptibly:
     * for what must happen even after an interrupt (ending a measurement).
     */
    void held(Runnable action) {
        world.lock();
        try {
            action.run();
        } finally {
            world.unlock();
        }
    }

    /**
     * Runs events in time order until {@code done} holds (checked before each event) or the next event
     * lies after {@code deadline}; in the latter case the clock moves to {@code deadline}, as nothing
     * happens before it. Returns whether {@code done} holds. An event that throws is counted in
     * {@link #failures} and the world goes on.
     *
     * @throws InterruptedException when the calling thread is interrupted (Ctrl-C): the world stops
     *     between two events, and whatever is still scheduled stays so
     */
    boolean runUntil(BooleanSupplier done, long deadline) throws InterruptedException {
        world.lockInterruptibly();
        try {
            int sinceCheck = 0;
            while (!done.getAsBoolean()) {
                if (queue.isEmpty() || queue.nextDue() > deadline) {
                    advance(deadline);
                    return done.getAsBoolean();
                }
                advance(queue.nextDue());
                Runnable action = queue.poll();
                events++;
                try {
                    action.run();
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    lastFailure = e;
                }
                if (++sinceCheck == INTERRUPT_CHECK) {
                    sinceCheck = 0;
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
            }
            return true;
        } finally {
            world.unlock();
        }
    }

    /**
     * Runs events for up to {@code nanos} of virtual time from now, or until {@code done} holds; returns
     * whether it does.
     */
    boolean runFor(long nanos, BooleanSupplier done) throws InterruptedException {
        world.lockInterruptibly();
        try {
            return runUntil(done, now + nanos); // reentrant: the clock cannot move in between
        } finally {
            world.unlock();
        }
    }

    private void advance(long t) {
        if (t > now && t != Long.MAX_VALUE) {
            now = t;
            published.lazySet(t);
        }
    }

    /** Whether nothing is scheduled: a run until this holds takes the world to rest. On the world's side. */
    boolean idle() {
        return queue.isEmpty();
    }

    /** Events run so far (the emulator's own throughput: docs/emulation.md). */
    long events() {
        return events;
    }

    /** Events that threw: the emulation keeps going, and this says how often it had to. */
    long failures() {
        return failures.get();
    }

    /** The last exception an event threw, or null: what {@link #failures} counted. */
    RuntimeException lastFailure() {
        return lastFailure;
    }

    @Override
    public void close() {
        world.lock();
        try {
            closed = true;
            queue.clear();
        } finally {
            world.unlock();
        }
    }
}
