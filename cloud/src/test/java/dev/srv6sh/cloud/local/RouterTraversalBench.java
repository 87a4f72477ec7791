package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one router traversal costs on the local backend, in real time (the goal: P50 ≤ 20 µs, P99
 * ≤ 100 µs): a frame from the VPC's host arrives on the router's {@code inside} ENI as an event, runs
 * through its real data plane (IPv4 lookup, steering, H.Encaps with one SID) with its CPU time
 * measured and charged to the virtual clock, and is handed to the fabric on {@code transit}, all as
 * the emulation does it. JMH's sample mode gives the percentiles; the tear-down prints the mean cost
 * charged per run (what an RTT sees of this router). Run with {@code ./build.sh bench
 * RouterTraversalBench}; figures go to docs/performance.md.
 *
 * <p>The policy's SID belongs to no VPC, so the internet drops what the router sends (counted as
 * unreachable) and each invocation's world comes to rest after this router's run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"})
public class RouterTraversalBench {
    LocalDeployment deployment;
    LocalRouter router;
    EventLoop loop;
    byte[] frame;

    @Setup
    public void setUp() throws Exception {
        CloudSpec spec = new CloudSpec(
                List.of(new CloudSpec.Region("a", "local", null), new CloudSpec.Region("b", "local", null)),
                List.of(new CloudSpec.Rtt("a", "b", Duration.ofNanos(1_000))),
                List.of(
                        new CloudSpec.Vpc("va", "a", Prefix.parse("192.0.2.0/24"), null, null),
                        new CloudSpec.Vpc("vb", "b", Prefix.parse("198.51.100.0/24"), null, null)),
                List.of(new CloudSpec.Host("ha", "va", null, "", null), new CloudSpec.Host("hb", "vb", null, "", null)),
                List.of(
                        new CloudSpec.Router("ra", "va", null, "", null, List.of(Prefix.parse("198.51.100.0/24"))),
                        new CloudSpec.Router("rb", "vb", null, "", null, List.of(Prefix.parse("192.0.2.0/24")))));
        deployment = new LocalDeployment(spec);
        Inet6Address sa = dev.srv6sh.cloud.local.Warmup.sid(deployment, "ra");
        Inet6Address sb = dev.srv6sh.cloud.local.Warmup.sid(deployment, "rb");
        deployment
                .router("ra")
                .configure(dev.srv6sh.cloud.local.Warmup.program(
                        deployment,
                        "ra",
                        sa,
                        "ha",
                        List.of(dev.srv6sh.dataplane.config.Addresses.parse6("2001:db8:ffff::1")),
                        dev.srv6sh.cloud.local.Warmup.ENCAP,
                        "198.51.100.0/24"));
        deployment
                .router("rb")
                .configure(dev.srv6sh.cloud.local.Warmup.program(
                        deployment, "rb", sb, "hb", List.of(sa), dev.srv6sh.cloud.local.Warmup.ENCAP, "192.0.2.0/24"));
        router = (LocalRouter) deployment.router("ra");
        MacAddress inside = router.base().interfaces().stream()
                .filter(i -> i.name().equals("inside"))
                .map(DataplaneConfig.Interface::mac)
                .findFirst()
                .orElseThrow();
        frame = frame(inside, 64);
        loop = deployment.loop();
        traversal();
        long sent = router.agent().counters().port("transit").txPackets();
        if (sent != 1) {
            throw new IllegalStateException("the benchmark's frame was not forwarded:\n"
                    + router.agent().counters());
        }
    }

    /** IPv4/UDP from the host's side to 198.51.100.99, which no host has: nothing answers. */
    static byte[] frame(MacAddress to, int ipBytes) {
        ByteBuffer b = ByteBuffer.allocate(14 + ipBytes);
        b.put(to.bytes()).put(MacAddress.parse("02:00:00:00:0b:01").bytes()).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipBytes).putInt(0x1234_4000);
        b.put((byte) 64).put((byte) 17).putShort((short) 0);
        b.put(new byte[] {(byte) 192, 0, 2, 10}).put(new byte[] {(byte) 198, 51, 100, 99});
        b.putShort((short) 40000)
                .putShort((short) 9)
                .putShort((short) (ipBytes - 20))
                .putShort((short) 0);
        byte[] f = b.array();
        int sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        f[24] = (byte) (~sum >>> 8);
        f[25] = (byte) ~sum;
        return f;
    }

    @TearDown
    public void tearDown() {
        System.out.printf(
                "%nmean cost charged per run: %.0f ns over %d runs%n",
                router.busyNanos() / (double) router.runs(), router.runs());
        deployment.close();
    }

    @Benchmark
    public void traversal() throws InterruptedException {
        loop.execute(() -> router.receive("inside", frame));
        loop.runUntil(loop::idle, Long.MAX_VALUE);
    }
}
