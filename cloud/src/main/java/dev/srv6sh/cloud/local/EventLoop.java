package dev.srv6sh.cloud.local;

import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one thread that runs an emulated world: every frame delivery, every router's graph and every
 * host's reply happens here, in time order. Links schedule deliveries in the future; the loop sleeps
 * until the earliest one is due, then spins the last stretch so that emulated delays are accurate to a
 * few microseconds rather than the ~60 µs of a timed park.
 */
final class EventLoop implements AutoCloseable {
    private static final long SPIN_NANOS = 250_000;

    private record Task(long due, long seq, Runnable action) {}

    private final PriorityQueue<Task> queue =
            new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    EventLoop(String name) {
        thread = Thread.ofPlatform().name(name).daemon(true).start(this::run);
    }

    /** Runs {@code action} on the loop at System.nanoTime() {@code due}. */
    void at(long due, Runnable action) {
        lock.lock();
        try {
            queue.add(new Task(due, seq.incrementAndGet(), action));
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    void execute(Runnable action) {
        at(System.nanoTime(), action);
    }

    /** Runs {@code action} on the loop and waits for its result; its exception is rethrown. */
    <T> T call(Callable<T> action) throws Exception {
        if (Thread.currentThread() == thread) {
            return action.call();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        execute(() -> {
            try {
                f.complete(action.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    /** Tasks that threw: the emulation keeps going, and this says how often it had to. */
    long failures() {
        return failures.get();
    }

    private void run() {
        while (running) {
            Task next = take();
            if (next == null) {
                continue;
            }
            try {
                next.action.run();
            } catch (Throwable t) {
                failures.incrementAndGet();
            }
        }
    }

    private Task take() {
        lock.lock();
        try {
            while (running) {
                Task head = queue.peek();
                if (head == null) {
                    changed.awaitUninterruptibly();
                    continue;
                }
                long wait = head.due - System.nanoTime();
                if (wait <= 0) {
                    return queue.poll();
                }
                if (wait > SPIN_NANOS) {
                    changed.awaitNanos(wait - SPIN_NANOS);
                } else {
                    lock.unlock();
                    try {
                        Thread.onSpinWait();
                    } finally {
                        lock.lock();
                    }
                }
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        running = false;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        thread.interrupt();
    }
}
