package dev.srv6sh.dataplane.agent;

import dev.srv6sh.dataplane.bench.PacketBench;
import dev.srv6sh.dataplane.bench.Transport;
import dev.srv6sh.dataplane.bench.Workload;
import java.util.List;

/**
 * Compiles the forwarding path before a router serves its first packet. The data plane reads and
 * writes packets through {@code java.lang.foreign} memory segments, whose accesses are fast only once
 * C2 has compiled and inlined them; until then (the interpreter, then C1) a packet costs tens of
 * microseconds per node instead of tens of nanoseconds. A router on a real wire that sees a ping a
 * second never gets there by itself: measured on the netns backend, a ping through a fresh router
 * took 0.3 to 0.6 ms longer than through the same router after 15,000 packets, which is most of the
 * error the RTT table allows. So a router daemon first drives the common behaviors through a private
 * in-memory engine of the same classes ({@link PacketBench}), one packet per vector as pings come and
 * then whole vectors, until the JIT has seen each path often enough to compile it. Each of those
 * engines has an {@link EngineAgent} of its own, as the router's has, so that the agent's tap (every
 * frame kept for a trace's replay) is compiled too: it runs for every frame a router forwards.
 */
public final class Warmup {
    /**
     * The cases run: plain forwarding both families, the head-end and the endpoint behaviors a
     * deployment uses most. The rest share their nodes (lookup, rewrite, output) with these.
     */
    public static final List<String> CASES = List.of(
            "ip4-forward",
            "ip6-forward",
            "H.Encaps",
            "H.Encaps.Red",
            "End",
            "End.X",
            "End.DX4",
            "End.DX6",
            "End.DT4",
            "End.DT6");

    /**
     * Per case, its UDP, TCP and ICMP frames in turn (the flow hash and the header walk branch on the
     * transport, and a branch the warm-up never took is compiled as a trap that sends the first real
     * packet of that kind back to the interpreter): single-packet vectors, then some full vectors. Enough for C2 when the data plane's
     * compile thresholds are scaled down as the netns backend starts its routers (a twentieth); with
     * the JVM's own thresholds, the nodes every case shares (input, lookup, rewrite, output) still
     * get there, over ten cases.
     */
    public static final int SINGLES = 3_000;

    public static final int VECTORS = 150;

    private Warmup() {}

    /** What a warm-up did: the packets it forwarded and how long it took. */
    public record Report(int cases, long packets, long nanos) {
        /** {@code 10 cases, 248000 packets in 812 ms}. */
        public String summary() {
            return cases + " cases, " + packets + " packets in " + nanos / 1_000_000 + " ms";
        }
    }

    /** Runs every case of {@link #CASES} on the calling thread; the engines it makes are closed. */
    public static Report run() {
        return run(CASES, SINGLES, VECTORS);
    }

    /**
     * Runs {@code cases} twice over, each with its UDP, TCP and ICMP frames in turn: {@code singles}
     * one-packet vectors then {@code vectors} 32-packet ones (half as many the second time). In turn,
     * so that every branch's profile has seen all three before C2 compiles it; twice, so that a method
     * compiled while one case ran and trapped by the next is compiled again here, not on the wire.
     */
    public static Report run(List<String> cases, int singles, int vectors) {
        long start = System.nanoTime();
        long packets = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (String name : cases) {
                packets += run(name, pass == 0 ? singles : singles / 2, pass == 0 ? vectors : vectors / 2);
            }
        }
        return new Report(cases.size(), packets, System.nanoTime() - start);
    }

    private static long run(String name, int singles, int vectors) {
        Transport[] kinds = Transport.values();
        byte[][] frames = new byte[kinds.length][];
        for (int k = 0; k < kinds.length; k++) {
            frames[k] = Workload.of(name, Workload.SMALL, kinds[k]).frame();
        }
        Workload w = Workload.of(name, Workload.SMALL);
        long packets = 0;
        try (PacketBench one = new PacketBench(w, 1);
                PacketBench many = new PacketBench(w, 32)) {
            EngineAgent a = tapped(one);
            EngineAgent b = tapped(many);
            try {
                packets += steps(one, frames, singles, 1);
                packets += steps(many, frames, vectors, 32);
            } finally {
                a.close();
                b.close();
            }
        }
        return packets;
    }

    /** An agent over the bench's engine, run on the calling thread: its tap sees every frame. */
    private static EngineAgent tapped(PacketBench bench) {
        try {
            return new EngineAgent("warm-up", bench.engine(), EngineHost.direct());
        } catch (AgentException e) {
            throw new IllegalStateException("warm-up: " + e.getMessage(), e);
        }
    }

    private static long steps(PacketBench bench, byte[][] frames, int steps, int expected) {
        long packets = 0;
        for (int i = 0; i < steps; i++) {
            int n = bench.step(frames[i % frames.length]);
            if (n != expected) {
                // a case that drops would warm the wrong path: a defect, said plainly
                throw new IllegalStateException("warm-up: a packet was not forwarded");
            }
            packets += n;
        }
        return packets;
    }
}
