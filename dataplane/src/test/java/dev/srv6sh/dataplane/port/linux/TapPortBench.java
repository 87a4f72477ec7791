package dev.srv6sh.dataplane.port.linux;

import dev.srv6sh.dataplane.port.BufferPool;
import dev.srv6sh.dataplane.port.TxBurst;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A TAP port's cost per transmitted burst, io_uring against a system call per frame ({@code batch}),
 * bursts of 1 to 64 frames of 60 bytes, the kernel's receive of each frame included (it drops them,
 * an EtherType nothing handles). Needs root (a
 * namespace of its own). Run with {@code sudo ./build.sh bench TapPortBench}; one operation is one burst, so ns/op ÷ burst is the cost per frame. Figures
 * go to docs/performance.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class TapPortBench {
    /** The device and its port in a namespace of their own, with a burst of frames ready. */
    @State(Scope.Thread)
    public static class Tap {
        @Param({"true", "false"})
        public boolean batch;

        @Param({"1", "8", "64"})
        public int burst;

        Netns ns;
        TapPort port;
        AfXdpPortTest.Pool pool;
        TxBurst tx;
        int[] frames;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            if (!"root".equals(System.getProperty("user.name"))) {
                throw new IllegalStateException(
                        "TapPortBench needs root, for a network namespace of its own: sudo ./build.sh bench TapPortBench");
            }
            ns = Netns.create("tapbench", false);
            pool = new AfXdpPortTest.Pool();
            port = ns.call(() -> TapPort.open("t0", pool, batch));
            byte[] f = TapPortBatchTest.frame(60, 1);
            int[] offsets = new int[pool.count()];
            int[] lengths = new int[pool.count()];
            tx = new TxBurst(offsets, lengths);
            frames = new int[burst];
            for (int k = 0; k < burst; k++) {
                frames[k] = pool.allocate();
                MemorySegment.copy(
                        f, 0, pool.memory(), ValueLayout.JAVA_BYTE, BufferPool.frameOffset(frames[k]), f.length);
                offsets[frames[k]] = BufferPool.HEADROOM;
                lengths[frames[k]] = f.length;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            port.close();
            ns.close();
        }
    }

    @Benchmark
    public int transmit(Tap t) {
        t.tx.clear();
        for (int b : t.frames) {
            t.tx.add(b);
        }
        return t.port.transmit(t.tx);
    }
}
