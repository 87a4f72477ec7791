package dev.srv6sh.cloud.local;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * How long a router's run of its data plane took, to charge to the virtual clock. The emulation's
 * own thread runs the router, so the figure must count only that thread's work: {@link #THREAD_CPU}
 * reads the thread's CPU time (clock_gettime(CLOCK_THREAD_CPUTIME_ID) underneath, nanosecond
 * resolution on Linux), which does not advance while another process has the core. Tests use
 * {@link #fixed} to make every run cost a known amount.
 */
interface WorkMeter {
    /** A reading to hand to {@link #since}. */
    long start();

    /** The work done on this thread since {@code start} (ns, never negative). */
    long since(long start);

    /** The calling thread's CPU time, less what reading it costs. */
    WorkMeter THREAD_CPU = new ThreadCpu();

    /** Every run costs {@code nanos}, whatever it does. */
    static WorkMeter fixed(long nanos) {
        return new WorkMeter() {
            @Override
            public long start() {
                return 0;
            }

            @Override
            public long since(long start) {
                return nanos;
            }
        };
    }

    /**
     * Thread CPU time. A reading is a system call (about 0.5 µs on the build machine), and the
     * interval between two readings holds roughly one reading's own cost besides the work; that cost,
     * the median of back-to-back pairs once the JIT has compiled the path, is subtracted. Where the
     * JVM cannot read thread CPU time, wall time stands in (and preemption then counts).
     */
    final class ThreadCpu implements WorkMeter {
        private static final int PAIRS = 20_000;
        private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        private final boolean cpu = mx.isCurrentThreadCpuTimeSupported();
        private final long readCost;

        private ThreadCpu() {
            long[] d = new long[PAIRS];
            for (int i = 0; i < PAIRS; i++) {
                long a = read();
                d[i] = read() - a;
            }
            long[] settled = Arrays.copyOfRange(d, PAIRS / 2, PAIRS); // after the JIT compiled the path
            Arrays.sort(settled);
            readCost = settled[settled.length / 2];
        }

        private long read() {
            return cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime();
        }

        @Override
        public long start() {
            return read();
        }

        @Override
        public long since(long start) {
            return Math.max(0, read() - start - readCost);
        }

        /** What one reading costs, as subtracted (ns). */
        long readCost() {
            return readCost;
        }
    }
}
