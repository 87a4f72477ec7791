package dev.srv6sh.shell.daemon;

import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.agent.EngineHost;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The router daemon's data plane thread: it polls the engine's ports and runs its timers, and it is
 * the one thread that touches the engine, so the agent's calls ({@link #call}) are queued to it and
 * run between two polls.
 *
 * <p>Busy when busy, asleep when idle: after a poll that took packets it polls again at once; after
 * empty polls it spins briefly, then parks for a time that doubles from {@value #MIN_PARK_NANOS} ns
 * up to {@value #MAX_PARK_NANOS} ns, never past the engine's next timer (neighbor discovery's
 * retransmits and aging), and an agent call wakes it at once. An idle daemon therefore wakes about
 * 500 times a second, which costs well under 1% of a core; the first packet after a long idle spell
 * waits up to {@value #MAX_PARK_NANOS} ns. (Ports with a file descriptor will let it sleep in the
 * kernel until a frame comes instead.)
 */
public final class Poller implements EngineHost, AutoCloseable {
    static final long MIN_PARK_NANOS = 20_000;
    static final long MAX_PARK_NANOS = 2_000_000;
    private static final int SPINS = 64;

    private final Engine engine;
    private final Thread thread;
    private final ConcurrentLinkedQueue<FutureTask<?>> tasks = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private volatile Throwable failure;

    /** Starts polling {@code engine} on a thread of its own named {@code router-NAME}. */
    public Poller(String name, Engine engine) {
        this.engine = engine;
        this.thread = Thread.ofPlatform().name("router-" + name).daemon().unstarted(this::loop);
        thread.start();
    }

    private void loop() {
        int empty = 0;
        long park = MIN_PARK_NANOS;
        while (running) {
            boolean worked = runTasks();
            int n;
            try {
                n = engine.poll();
            } catch (RuntimeException | Error e) { // a defect: say so, keep the process's management alive
                failure = e;
                running = false;
                drainWithFailure();
                return;
            }
            if (n > 0 || worked) {
                empty = 0;
                park = MIN_PARK_NANOS;
                continue;
            }
            if (++empty < SPINS) {
                Thread.onSpinWait();
                continue;
            }
            long sleep = park;
            long due = engine.nextDeadline();
            if (due != Long.MAX_VALUE) {
                sleep = Math.max(0, Math.min(sleep, due - System.nanoTime()));
            }
            if (tasks.isEmpty() && sleep > 0) {
                LockSupport.parkNanos(this, sleep);
            }
            park = Math.min(park * 2, MAX_PARK_NANOS);
        }
        drainWithFailure();
    }

    private boolean runTasks() {
        boolean any = false;
        FutureTask<?> t;
        while ((t = tasks.poll()) != null) {
            t.run();
            any = true;
        }
        return any;
    }

    private void drainWithFailure() {
        FutureTask<?> t;
        while ((t = tasks.poll()) != null) {
            t.cancel(false);
        }
    }

    @Override
    public <T> T call(Callable<T> task) throws Exception {
        if (Thread.currentThread() == thread) {
            return task.call();
        }
        if (!running) {
            throw new IllegalStateException(
                    failure != null ? "the data plane stopped: " + failure : "the data plane is stopped");
        }
        FutureTask<T> f = new FutureTask<>(task);
        tasks.add(f);
        LockSupport.unpark(thread);
        try {
            while (true) {
                try {
                    return f.get(100, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    if (!running && !f.isDone()) {
                        f.cancel(false);
                        throw new IllegalStateException("the data plane stopped before the request ran");
                    }
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        } catch (java.util.concurrent.CancellationException e) {
            throw new IllegalStateException("the data plane stopped before the request ran");
        }
    }

    /** Why the poller stopped by itself (a defect in the data plane), or null. */
    public Throwable failure() {
        return failure;
    }

    /** Stops polling and waits for the thread; the engine is the caller's to close. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
