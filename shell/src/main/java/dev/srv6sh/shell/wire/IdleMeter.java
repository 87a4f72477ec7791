package dev.srv6sh.shell.wire;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The idle router of {@code bench --wire} (issue 14's goal: an idle router daemon under 1% of a
 * core): the srv6sh router of the topology, configured and ready to forward, with no traffic, its
 * process's CPU time and its threads' over a window, from {@code /proc} ({@link ProcTimes}).
 *
 * <p>The window opens once the router has settled: once its JIT compiler threads and its collector's
 * worker threads have not run for {@value #QUIET_MS} ms, and at least {@value #SETTLE_MIN_MS} ms after
 * the traffic ended (or the router started), at most {@value #SETTLE_MAX_MS} ms (then it opens all
 * the same and says so). Why: for its first second a router that just started or just forwarded
 * compiles what the traffic made hot (C2 took 9.5% of a core for that second, measured here), and
 * a router that just started has ZGC collect the garbage of its start and warm-up: five collections
 * in its first 7 s, up to 2.7 s apart (a window opened after 3.4 s, on 2 s of quiet, had a major one
 * in it, and read 1.5% of a core for 0.45% without); both are the cost of starting or of traffic, not of being idle. What does not stop
 * (the collector's director, the poller's timeout, the JVM's periodic threads) is what the window
 * measures, and a compilation that still comes in it (C2 compiled for 16 ms 16 s after one start,
 * with no traffic) is counted, not hidden.
 */
final class IdleMeter {
    static final long SETTLE_MIN_MS = 5_000;
    static final long QUIET_MS = 5_000;
    static final long SETTLE_MAX_MS = 30_000;
    private static final long STEP_MS = 250;
    static final long WORK_NS = 1_000_000;

    private IdleMeter() {}

    /**
     * What a thread of a router's JVM is there for, by its name (the kernel keeps 15 characters):
     * the data plane ({@code router-NAME}, its workers {@code NAME-worker-N}), the JIT, the collector,
     * SSH and the agent (MINA's threads, the agent's timer, the carriers of the virtual threads that
     * serve agent connections and SSH channels), the udp driver's Netty loop, the JVM's own service
     * threads, or main (the daemon's main thread waits for the signal to stop).
     */
    static String role(String thread, String router) {
        if (thread.startsWith("router-") || thread.startsWith(router + "-worker-")) {
            return "data plane";
        }
        if (thread.startsWith("C1 Compiler") || thread.startsWith("C2 Compiler") || thread.startsWith("JVMCI")) {
            return "JIT";
        }
        if (thread.matches("Z[A-Z].*|G1 .*|GC Thread.*|Shenandoah.*|Shen.*")) {
            return "GC";
        }
        if (thread.startsWith("sshd-")
                || thread.startsWith("srv6sh-agent")
                || thread.startsWith("srv6sh-ssh")
                || thread.startsWith("ForkJoinPool")
                || thread.startsWith("Nio2")) {
            return "SSH and agent";
        }
        if (thread.startsWith("srv6sh-udp") || thread.contains("EventLoop")) {
            return "udp driver (Netty)";
        }
        if (thread.equals("java") || thread.equals("main")) {
            return "main";
        }
        return "JVM";
    }

    /** The threads whose work ends: the JIT's compilers and the collector's workers and drivers. */
    static boolean settles(String thread) {
        return thread.startsWith("C1 Compiler")
                || thread.startsWith("C2 Compiler")
                || thread.matches("Z(Worker|Driver|Relocat|Uncommit).*|GC Thread.*|G1 Conc.*|G1 Main.*");
    }

    /** Sleeps; a wire benchmark's sleep, which is interrupted by Ctrl-C. */
    interface Sleeper {
        void sleep(long ms) throws WireException;
    }

    /**
     * Settles (see above), then measures process {@code pid} over {@code windowMs}; a {@code /proc}
     * it cannot read makes a skipped measurement that says why.
     */
    static WireReport.Idle measure(Path proc, long pid, String router, long windowMs, Sleeper sleeper)
            throws WireException {
        try {
            return settleAndMeasure(proc, pid, router, windowMs, sleeper);
        } catch (IllegalArgumentException e) {
            return WireReport.Idle.skipped("cannot read the router's /proc/" + pid + ": " + e.getMessage());
        }
    }

    private static WireReport.Idle settleAndMeasure(Path proc, long pid, String router, long windowMs, Sleeper sleeper)
            throws WireException {
        long t0 = System.nanoTime();
        ProcTimes.Snapshot last = ProcTimes.read(proc, pid);
        if (last == null) {
            return WireReport.Idle.skipped("the router (pid " + pid + ") is gone");
        }
        long quietSince = t0;
        boolean settled = false;
        while (true) {
            long now = System.nanoTime();
            long elapsedMs = (now - t0) / 1_000_000;
            if ((now - quietSince) / 1_000_000 >= QUIET_MS && elapsedMs >= SETTLE_MIN_MS) {
                settled = true;
                break;
            }
            if (elapsedMs >= SETTLE_MAX_MS) {
                break;
            }
            sleeper.sleep(STEP_MS);
            ProcTimes.Snapshot s = ProcTimes.read(proc, pid);
            if (s == null) {
                return WireReport.Idle.skipped("the router (pid " + pid + ") stopped while it settled");
            }
            if (settlingWork(last, s)) {
                quietSince = System.nanoTime();
            }
            last = s;
        }
        double settleSeconds = (System.nanoTime() - t0) / 1e9;
        ProcTimes.Snapshot a = ProcTimes.read(proc, pid);
        long w0 = System.nanoTime();
        sleeper.sleep(windowMs);
        ProcTimes.Snapshot b = ProcTimes.read(proc, pid);
        double seconds = (System.nanoTime() - w0) / 1e9;
        if (a == null || b == null) {
            return WireReport.Idle.skipped("the router (pid " + pid + ") stopped in the window");
        }
        return between(a, b, seconds, settleSeconds, settled, router);
    }

    /**
     * Whether the JIT's and the collector's workers worked between the two readings: ran for more
     * than {@value #WORK_NS} ns together. Not whether they ran at all: an idle compiler thread wakes
     * every 5 s (its queue's timed wait) for about 0.1 ms, and a window that waited for none of those
     * never opened.
     */
    static boolean settlingWork(ProcTimes.Snapshot a, ProcTimes.Snapshot b) {
        Map<Long, ProcTimes.Task> before = byTid(a);
        long ns = 0;
        for (ProcTimes.Task t : b.threads()) {
            if (!settles(t.name())) {
                continue;
            }
            ProcTimes.Task o = before.get(t.tid());
            ns += t.runNs() >= 0 && (o == null || o.runNs() >= 0)
                    ? t.runNs() - (o == null ? 0 : o.runNs())
                    : (t.ticks() - (o == null ? 0 : o.ticks())) * (1_000_000_000L / Machine.TICKS_PER_SECOND);
        }
        return ns > WORK_NS;
    }

    /**
     * The idle figures between two readings {@code seconds} apart: the process's utime + stime as a
     * share of one core, and per thread that ran or woke, its share (run time where {@code schedstat}
     * has it, else ticks) and its wake-ups (voluntary context switches) per second. A thread that
     * started in the window counts from zero; one that ended is in the process's total only.
     */
    static WireReport.Idle between(
            ProcTimes.Snapshot a,
            ProcTimes.Snapshot b,
            double seconds,
            double settleSeconds,
            boolean settled,
            String router) {
        Map<Long, ProcTimes.Task> before = byTid(a);
        List<WireReport.IdleThread> threads = new ArrayList<>();
        long wakeups = 0;
        long runNs = 0;
        boolean runKnown = true;
        for (ProcTimes.Task t : b.threads()) {
            ProcTimes.Task o = before.getOrDefault(t.tid(), new ProcTimes.Task(t.tid(), t.name(), 0, 0, 0));
            long ticks = t.ticks() - o.ticks();
            long woke = t.voluntarySwitches() >= 0 && o.voluntarySwitches() >= 0
                    ? t.voluntarySwitches() - o.voluntarySwitches()
                    : 0;
            boolean hasRun = t.runNs() >= 0 && o.runNs() >= 0;
            runKnown &= hasRun;
            long ns = hasRun ? t.runNs() - o.runNs() : ticks * (1_000_000_000L / Machine.TICKS_PER_SECOND);
            runNs += ns;
            wakeups += woke;
            if (ns > 0 || woke > 0) {
                threads.add(new WireReport.IdleThread(
                        t.name(), role(t.name(), router), percent(ns / 1e9, seconds), woke / seconds));
            }
        }
        threads.sort(Comparator.comparingDouble(WireReport.IdleThread::cpuPercent)
                .reversed()
                .thenComparing(Comparator.comparingDouble(WireReport.IdleThread::wakeupsPerSecond)
                        .reversed()));
        long ticks = b.processTicks() - a.processTicks();
        return new WireReport.Idle(
                null,
                seconds,
                settleSeconds,
                settled,
                ticks,
                percent((double) ticks / Machine.TICKS_PER_SECOND, seconds),
                runKnown ? percent(runNs / 1e9, seconds) : -1,
                wakeups / seconds,
                threads);
    }

    private static double percent(double cpuSeconds, double seconds) {
        return seconds > 0 ? cpuSeconds / seconds * 100 : 0;
    }

    private static Map<Long, ProcTimes.Task> byTid(ProcTimes.Snapshot s) {
        Map<Long, ProcTimes.Task> m = new HashMap<>();
        for (ProcTimes.Task t : s.threads()) {
            m.put(t.tid(), t);
        }
        return m;
    }
}
