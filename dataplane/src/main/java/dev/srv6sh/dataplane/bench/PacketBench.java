package dev.srv6sh.dataplane.bench;

import dev.srv6sh.dataplane.Clock;
import dev.srv6sh.dataplane.ConfigException;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import java.lang.management.ManagementFactory;

/**
 * Drives one {@link Workload} through a real {@link Engine} on its calling thread: each step copies
 * {@code vector} frames into the {@code in} port (what a NIC's receive ring would hold) and runs the
 * graph once, which takes them as one vector through every node to {@code out}. The figure therefore
 * includes the receive copy and the transmit hand-off, as VPP's per-packet cost includes NIC I/O.
 */
public final class PacketBench implements AutoCloseable {
    private final Workload workload;
    private final int vector;
    private final Engine engine;
    private final MemoryPort in;
    private long transmitted;

    public PacketBench(Workload workload, int vector) {
        if (vector < 1 || vector > 256) {
            throw new IllegalArgumentException("vector size must be 1 to 256, not " + vector);
        }
        this.workload = workload;
        this.vector = vector;
        this.engine = new Engine("bench", Clock.SYSTEM, MemoryPort.FACTORY);
        try {
            engine.apply(workload.config());
        } catch (ConfigException e) {
            engine.close();
            throw new IllegalStateException("benchmark " + workload.name() + " is misconfigured: " + e.getMessage());
        }
        this.in = engine.port("in", MemoryPort.class);
        engine.port("out", MemoryPort.class).onTransmit((i, s, o, l) -> transmitted++);
        in.onTransmit((i, s, o, l) -> {});
    }

    /** One vector in, through the graph, out; returns the packets transmitted. */
    public int step() {
        return step(workload.frame());
    }

    /**
     * One vector of {@code f} instead of the workload's frame (another transport of the same case, for
     * a warm-up); returns the packets transmitted.
     */
    public int step(byte[] f) {
        long before = transmitted;
        for (int i = 0; i < vector; i++) {
            in.inject(f);
        }
        engine.poll();
        return (int) (transmitted - before);
    }

    /**
     * Runs for {@code warmupNanos}, then measures for {@code nanos}. Fails if a packet is not forwarded
     * (a benchmark that drops is measuring the wrong path).
     */
    public Result measure(long warmupNanos, long nanos) {
        run(warmupNanos);
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long allocBefore = mx.getThreadAllocatedBytes(tid);
        long start = System.nanoTime();
        long packets = run(nanos);
        long elapsed = System.nanoTime() - start;
        long allocated = mx.getThreadAllocatedBytes(tid) - allocBefore;
        return new Result(workload.name(), vector, workload.frameBytes(), packets, elapsed, allocated, cpuGhz());
    }

    private long run(long nanos) {
        long end = System.nanoTime() + nanos;
        long packets = 0;
        int expected = vector;
        do {
            for (int k = 0; k < 64; k++) {
                int n = step();
                if (n != expected) {
                    throw new IllegalStateException(workload.name() + ": " + (expected - n) + " of " + expected
                            + " packets were not forwarded\n"
                            + engine.counters().errorsTable());
                }
                packets += n;
            }
        } while (System.nanoTime() < end);
        return packets;
    }

    /** The case's engine, for a caller that taps its frames as a router's agent does. */
    public Engine engine() {
        return engine;
    }

    /** The engine's counters: {@code show runtime} of the case, per node. */
    public dev.srv6sh.dataplane.agent.Counters counters() {
        return engine.counters();
    }

    /** Buffers still held by the engine (zero after every step: nothing leaks). */
    public int buffersInUse() {
        return engine.buffersInUse();
    }

    @Override
    public void close() {
        engine.close();
    }

    /**
     * One measurement. {@code cpuGhz} is the clock /proc/cpuinfo reports (NaN where it is not known),
     * from which cycles per packet are derived.
     */
    public record Result(
            String name, int vector, int frameBytes, long packets, long nanos, long allocatedBytes, double cpuGhz) {
        public double mpps() {
            return packets * 1e3 / nanos;
        }

        public double nsPerPacket() {
            return (double) nanos / packets;
        }

        public double cyclesPerPacket() {
            return nsPerPacket() * cpuGhz;
        }

        public double bytesPerPacket() {
            return (double) allocatedBytes / packets;
        }
    }

    /** The CPU clock in GHz ({@link dev.srv6sh.dataplane.Cpu#ghz}); NaN when unknown. */
    public static double cpuGhz() {
        return dev.srv6sh.dataplane.Cpu.ghz();
    }

    /** The CPU's model name. */
    public static String cpuModel() {
        return dev.srv6sh.dataplane.Cpu.model();
    }
}
