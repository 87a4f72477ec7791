package dev.srv6sh.dataplane.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Every behavior and headend through a real engine, vectors of 1 to 256 packets, small and
 * 1500-byte packets. One benchmark operation is one vector; the {@code packets} counter gives the
 * packet rate. Run with {@code ./build.sh bench DataplaneBench} (add JMH options, e.g. {@code -p
 * workload=End -p vector=256}); {@code srv6sh bench} prints the same cases as Mpps, ns and cycles
 * per packet. Figures go to docs/performance.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class DataplaneBench {
    @Param({
        "ip6-forward",
        "ip4-forward",
        "H.Encaps",
        "H.Encaps.Red",
        "End",
        "End.PSP",
        "End.X",
        "End.T",
        "End.DX4",
        "End.DX6",
        "End.DT4",
        "End.DT6",
        "End.DT46",
        "End.B6.Encaps",
        "End.B6.Encaps.Red",
        "End.NEXT-CSID",
        "End.X.NEXT-CSID",
        "End.DX2",
        "End.B6.Insert",
        "End.B6.Insert.Red",
        "H.Insert",
        "H.Insert.Red",
        "H.Encaps.L2",
        "H.Encaps.L2.Red"
    })
    String workload;

    @Param({"1", "32", "256"})
    int vector;

    @Param({"64", "1500"})
    int ipBytes;

    PacketBench bench;

    /** Packets forwarded, reported by JMH as a rate next to the vectors per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Packets {
        public long packets;

        @Setup(Level.Iteration)
        public void reset() {
            packets = 0;
        }
    }

    @Setup
    public void setUp() {
        bench = new PacketBench(Workload.of(workload, ipBytes), vector);
    }

    @TearDown
    public void tearDown() {
        bench.close();
    }

    @Benchmark
    public int vector(Packets counter) {
        int n = bench.step();
        counter.packets += n;
        return n;
    }
}
