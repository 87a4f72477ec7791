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
 * {@value #SPINS} empty polls it sleeps. With Linux ports (af_packet, tap, and udp, whose descriptor
 * is an eventfd its Netty thread signals) it sleeps in {@code
 * poll(2)} on their descriptors and an eventfd ({@link PortWaiter}): a frame on any port or an agent
 * call ends the sleep at once, and the sleep lasts until the engine's next timer (neighbor
 * discovery's retransmits and aging) or {@value #MAX_SLEEP_NANOS} ns, so an idle router costs
 * nothing. With in-memory ports only (nothing can arrive but what a call injects), it parks for a
 * time that doubles from {@value #MIN_PARK_NANOS} ns up to {@value #MAX_PARK_NANOS} ns, never past
 * the next timer, and a call unparks it.
 */
public final class Poller implements EngineHost, AutoCloseable {
    static final long MIN_PARK_NANOS = 20_000;
    static final long MAX_PARK_NANOS = 2_000_000;
    private static final int SPINS = 64;
    static final long MAX_SLEEP_NANOS = 1_000_000_000;

    private final Engine engine;
    /** The CPU its thread is pinned to, or -1. */
    private final int cpu;

    private final Thread thread;
    private final ConcurrentLinkedQueue<FutureTask<?>> tasks = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private volatile Throwable failure;
    /** Where it sleeps while the configuration has Linux ports; null while it has none. */
    private volatile dev.srv6sh.dataplane.port.linux.PortWaiter waiter;

    private final java.util.function.Consumer<Throwable> onFailure;
    /** Why the thread could not raise its priority (null once it did), set when it starts. */
    private volatile String niceness;

    private final java.util.concurrent.CountDownLatch niceSet = new java.util.concurrent.CountDownLatch(1);

    /** Starts polling {@code engine} on a thread of its own named {@code router-NAME}. */
    public Poller(String name, Engine engine) {
        this(name, engine, t -> {});
    }

    /**
     * As {@link #Poller(String, Engine)}; {@code onFailure} hears, on the polling thread, the defect
     * that stopped the data plane (the daemon logs it and exits, for its supervisor to restart it).
     */
    public Poller(String name, Engine engine, java.util.function.Consumer<Throwable> onFailure) {
        this(name, engine, onFailure, -1);
    }

    /**
     * As {@link #Poller(String, Engine, java.util.function.Consumer)}, its thread pinned to {@code cpu}
     * ({@link dev.srv6sh.dataplane.port.linux.ThreadAffinity}; -1: wherever the scheduler puts it).
     */
    public Poller(String name, Engine engine, java.util.function.Consumer<Throwable> onFailure, int cpu) {
        this.cpu = cpu;
        this.engine = engine;
        this.onFailure = onFailure;
        this.thread = Thread.ofPlatform().name("router-" + name).daemon().unstarted(this::loop);
        thread.start();
    }

    private void loop() {
        String priority = dev.srv6sh.dataplane.port.linux.ThreadNice.raise();
        if (cpu >= 0) {
            String refused = dev.srv6sh.dataplane.port.linux.ThreadAffinity.pin(cpu);
            priority += refused == null ? " on CPU " + cpu : " (not pinned: " + refused + ")";
        }
        niceness = priority;
        niceSet.countDown();
        // the loop's body is a method of its own: compiled on invocation like any other, and compiled
        // again at once after a deoptimization, where a loop compiled on-stack (OSR) that hit an
        // uncommon trap ran on in the interpreter (seen under TCP: a fifth of the router's time)
        while (running && step()) {
            // step() polled once, or slept
        }
        drainWithFailure();
    }

    /** Polls and sleeps between two polls: see {@link #step}. */
    private int empty;

    private long park = MIN_PARK_NANOS;

    /**
     * One turn of the loop: the tasks, one poll, and a spin or a sleep if nothing came. False when the
     * engine failed (the loop ends).
     */
    private boolean step() {
        boolean worked = runTasks();
        int n;
        try {
            n = engine.poll();
        } catch (RuntimeException | Error e) { // a defect: say so, keep the process's management alive
            failure = e;
            running = false;
            drainWithFailure();
            onFailure.accept(e);
            return false;
        }
        if (n > 0 || worked) {
            empty = 0;
            park = MIN_PARK_NANOS;
            return true;
        }
        if (++empty < SPINS) {
            Thread.onSpinWait();
            return true;
        }
        dev.srv6sh.dataplane.port.linux.PortWaiter w = waiter;
        long sleep = w != null ? MAX_SLEEP_NANOS : park;
        long due = engine.nextDeadline();
        if (due != Long.MAX_VALUE) {
            sleep = Math.max(0, Math.min(sleep, due - System.nanoTime()));
        }
        if (tasks.isEmpty() && sleep > 0) {
            if (w != null) {
                w.await(sleep);
            } else {
                LockSupport.parkNanos(this, sleep);
            }
        }
        park = Math.min(park * 2, MAX_PARK_NANOS);
        return true;
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
        wake();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get(100, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    if (!running && !f.isDone()) {
                        f.cancel(false);
                        throw new IllegalStateException("the data plane stopped before the request ran");
                    }
                } catch (InterruptedException e) {
                    if (f.cancel(false)) {
                        throw e; // it never ran: nothing happened
                    }
                    // it runs (a commit applying, say): what it does to the engine is done and must be
                    // reported as done, so wait for it and keep the interrupt for the caller's next wait
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        } catch (java.util.concurrent.CancellationException e) {
            throw new IllegalStateException("the data plane stopped before the request ran");
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void wake() {
        dev.srv6sh.dataplane.port.linux.PortWaiter w = waiter;
        if (w != null) {
            w.wake();
        }
        LockSupport.unpark(thread);
    }

    /**
     * A configuration was applied (on this thread): from now on it sleeps on the descriptors of its
     * Linux ports, or parks when it has none.
     */
    @Override
    public void applied(dev.srv6sh.dataplane.config.DataplaneConfig config) {
        java.util.List<dev.srv6sh.dataplane.port.linux.LinuxPort> linux = new java.util.ArrayList<>();
        for (dev.srv6sh.dataplane.config.DataplaneConfig.Interface i : config.interfaces()) {
            if (engine.port(i.name()) instanceof dev.srv6sh.dataplane.port.linux.LinuxPort p) {
                linux.add(p);
            }
        }
        if (linux.isEmpty()) {
            return; // parks (a waiter made before stays: its ports are the engine's for as long as it lives)
        }
        try {
            if (waiter == null) {
                waiter = new dev.srv6sh.dataplane.port.linux.PortWaiter();
            }
            waiter.watch(linux);
        } catch (dev.srv6sh.dataplane.port.linux.ErrnoException e) {
            // no eventfd: it parks and polls as with memory ports, a frame waiting up to MAX_PARK_NANOS
        }
    }

    /**
     * The polling thread's scheduling, for the daemon's log: {@code SCHED_FIFO 1}, or what it got
     * instead and why ({@link dev.srv6sh.dataplane.port.linux.ThreadNice#raise}).
     */
    public String priority() {
        boolean known;
        try {
            known = niceSet.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            known = false;
        }
        if (!known) {
            return "a priority not known yet (its thread had not started after 5 s)";
        }
        return niceness;
    }

    /** Why the poller stopped by itself (a defect in the data plane), or null. */
    public Throwable failure() {
        return failure;
    }

    /** Stops polling and waits for the thread; the engine is the caller's to close. */
    @Override
    public void close() {
        running = false;
        wake();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dev.srv6sh.dataplane.port.linux.PortWaiter w = waiter;
        if (w != null && !thread.isAlive()) {
            waiter = null;
            w.close();
        }
    }
}
