package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.port.Port;
import dev.srv6sh.dataplane.port.linux.LinuxPort;
import dev.srv6sh.dataplane.port.linux.LinuxPorts;
import dev.srv6sh.dataplane.port.linux.PacketSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A measurement, not a test: packets per second through one engine (the {@link PortContract} router,
 * UDP in on {@code in}, out on {@code out}) on veth pairs, for each af_packet receive mode. Two
 * figures a mode: {@code backlog}, the engine alone taking rounds of 4000 frames queued on its
 * device while it was idle (the receive path's cost, no wake-ups); {@code stream}, a sender thread
 * sending as fast as it can while the engine polls, waiting in poll(2) when it finds nothing (what
 * the wake-ups cost, and how many frames each poll finds). Needs root. Run from the worktree after
 * {@code mvn -o -pl dataplane test-compile}:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp dataplane/target/classes:dataplane/target/test-classes:$(cat cp.txt) \
 *     dev.srv6sh.dataplane.AfPacketModes [seconds]
 * </pre>
 *
 * (cp.txt from {@code mvn -o -pl dataplane dependency:build-classpath -Dmdep.outputFile=cp.txt}).
 */
final class AfPacketModes {
    private static final int BACKLOG = 4000;

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        for (int pass = 0; pass < 2; pass++) { // the first pass warms the JIT
            for (LinuxPorts.Driver d :
                    new LinuxPorts.Driver[] {LinuxPorts.Driver.AF_PACKET, LinuxPorts.Driver.AF_PACKET_V3}) {
                String backlog = backlog(d, seconds);
                String stream = stream(d, seconds);
                if (pass == 1) {
                    System.out.printf(Locale.ROOT, "%-13s backlog %s | stream %s%n", d.text(), backlog, stream);
                }
            }
        }
    }

    /** A rig on {@code d}, its engine's {@code in} port, both far ends, and a frame in native memory. */
    private record Bench(LinuxRig rig, Engine engine, Port port, PacketSocket in, PacketSocket out, MemorySegment frame)
            implements AutoCloseable {
        static Bench open(LinuxPorts.Driver d, Arena arena) throws Exception {
            LinuxRig r = LinuxRig.open(PortContract.router(), d);
            byte[] f = PortContract.frame(1);
            MemorySegment s = arena.allocate(f.length, 8);
            MemorySegment.copy(f, 0, s, ValueLayout.JAVA_BYTE, 0, f.length);
            return new Bench(r, r.engine(), r.engine().port("in"), r.far("in"), r.far("out"), s);
        }

        void send() {
            in.send(frame, (int) frame.byteSize());
        }

        @Override
        public void close() {
            rig.close();
        }
    }

    /** Rounds of BACKLOG frames queued, then taken through by the engine alone: its pps. */
    private static String backlog(LinuxPorts.Driver d, double seconds) throws Exception {
        try (Arena arena = Arena.ofConfined();
                Bench b = Bench.open(d, arena)) {
            Port port = b.port();
            long busy = 0;
            long frames = 0;
            long until = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < until) {
                long target = port.counters().rxPackets() + BACKLOG;
                for (int k = 0; k < BACKLOG; k++) {
                    b.send();
                }
                Thread.sleep(5); // delivered, and V3's last block retired on its timer
                long t0 = System.nanoTime();
                while (port.counters().rxPackets() < target) {
                    b.engine().poll();
                }
                busy += System.nanoTime() - t0;
                frames += BACKLOG;
                while (b.out().discard() > 0) {}
            }
            return String.format(Locale.ROOT, "%.2f Mpps", frames * 1e3 / busy);
        }
    }

    /** A sender at full speed while the engine polls, sleeping in poll(2) when it finds nothing. */
    private static String stream(LinuxPorts.Driver d, double seconds) throws Exception {
        try (Arena arena = Arena.ofShared();
                Bench b = Bench.open(d, arena)) {
            Engine e = b.engine();
            PacketSocket out = b.out();
            Port port = b.port();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread sender = Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    b.send();
                }
            });
            Thread drain = Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    if (out.await(10)) {
                        out.discard();
                    }
                }
            });
            long polls = 0;
            long waits = 0;
            long t0 = System.nanoTime();
            long until = t0 + (long) (seconds * 1e9);
            long rx0 = port.counters().rxPackets();
            while (System.nanoTime() < until) {
                if (e.poll() > 0) {
                    polls++;
                } else {
                    waits++;
                    ((LinuxPort) port).awaitReadable(1_000_000);
                }
            }
            long rx = port.counters().rxPackets() - rx0;
            double elapsed = (System.nanoTime() - t0) / 1e9;
            running.set(false);
            sender.join();
            drain.join();
            return String.format(
                    Locale.ROOT,
                    "%.3f Mpps, %.1f frames a poll, %d waits, kernel drops %d",
                    rx / elapsed / 1e6,
                    (double) rx / Math.max(1, polls),
                    waits,
                    port.counters().rxNoBuffer());
        }
    }
}
