package dev.srv6sh.dataplane.agent;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * What the agent needs from whoever runs its engine, and nothing more: the agent owns the commit
 * model, the trace with its replay and the captures; the host only knows its thread and its time.
 *
 * <ul>
 *   <li>{@link #call}: an {@code Engine} is touched on one thread only (the local backend's event
 *       loop, the router daemon's poller), so every engine call of the agent's goes through here;
 *   <li>{@link #await}: letting time pass while a trace waits for packets, in the host's time (the
 *       local backend's is virtual: the world runs its events meanwhile);
 *   <li>{@link #tap}: the frames the router's interfaces receive and transmit, with their times, as
 *       a tap on the wire would see them (the local backend's ENIs; by default the agent arms a
 *       capture on the engine itself).
 * </ul>
 */
public interface EngineHost {
    /** Runs {@code task} on the engine's thread, between two polls, and returns its result or rethrows. */
    <T> T call(Callable<T> task) throws Exception;

    /**
     * The engine has just taken {@code config} (on its thread, inside the {@link #call} that applied
     * it): the host rewires what it connects to the ports, hands on what the change released.
     */
    default void applied(DataplaneConfig config) {}

    /**
     * Lets up to {@code wait} pass in the host's time, returning early once {@code done} (read on the
     * engine's thread) holds; returns whether it does. By default: the wall clock, looking every
     * millisecond.
     */
    default boolean await(Duration wait, BooleanSupplier done) throws Exception {
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            if (call(done::getAsBoolean)) {
                return true;
            }
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            Thread.sleep(1);
        }
    }

    /**
     * Starts handing every frame the router's interfaces receive and transmit to {@code tap}, for as
     * long as the host lives; returns false when this host has no tap of its own, and the agent arms
     * a capture on the engine instead (whose times are the ports' receive times and the wall clock).
     */
    default boolean tap(FrameTap tap) {
        return false;
    }

    /**
     * The host's time now, in ns since the epoch: what a frame without a time of its own is stamped
     * with. Read for every frame the agent's tap sees, so it allocates nothing ({@link EpochNanos}).
     */
    default long epochNanos() {
        return EpochNanos.now();
    }

    /** A host whose engine is driven by whoever calls: tasks run on the caller's thread, one at a time. */
    static EngineHost direct() {
        Object lock = new Object();
        return new EngineHost() {
            @Override
            public <T> T call(Callable<T> task) throws Exception {
                synchronized (lock) {
                    return task.call();
                }
            }
        };
    }

    /**
     * A frame an interface received or transmitted. {@code stampNanos} is when it was on the wire and
     * {@code nowNanos} when the host hands it over (both ns since the epoch): a transmitted frame may
     * leave later than it is handed over (the local backend charges a router's work to the virtual
     * clock), and a capture writes frames in the order of their stamps. The bytes are valid only during
     * the call: the agent copies what it keeps.
     */
    @FunctionalInterface
    interface FrameTap {
        void frame(
                String iface, boolean received, long stampNanos, long nowNanos, byte[] frame, int offset, int length);
    }
}
