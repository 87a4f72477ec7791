package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.port.Port;
import dev.srv6sh.dataplane.port.linux.LinuxPorts;
import dev.srv6sh.dataplane.port.linux.PacketSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Receive and transmit on the Linux ports allocate nothing once warm, as {@link AllocationTest}
 * measures the engine: the thread's allocated bytes do not grow over rounds of frames that arrive on
 * a real device, are received, forwarded and transmitted on another. The far ends send from native
 * memory and count what arrives without keeping it, so the loop measured is the engine's and the
 * ports' alone (a stray few bytes while the JIT settles are retried).
 */
class LinuxPortAllocationTest {
    private static final int BURST = 32;
    private static final int BURSTS_PER_ROUND = 40;

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = LinuxPorts.Driver.class,
            names = {"AF_PACKET", "AF_PACKET_V3", "TAP"})
    void receiveAndTransmitAllocateNothing(LinuxPorts.Driver driver) throws Exception {
        try (LinuxRig r = LinuxRig.open(PortContract.router(), driver);
                Arena arena = Arena.ofConfined()) {
            Engine e = r.engine();
            PacketSocket in = r.far("in");
            PacketSocket out = r.far("out");
            Port port = e.port("in");
            byte[] f = PortContract.frame(1);
            MemorySegment frame = arena.allocate(f.length, 8);
            MemorySegment.copy(f, 0, frame, ValueLayout.JAVA_BYTE, 0, f.length);
            var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().threadId();
            long best = Long.MAX_VALUE;
            long target = 0;
            for (int round = 0; round < 12 && best != 0; round++) {
                long before = mx.getThreadAllocatedBytes(tid);
                for (int b = 0; b < BURSTS_PER_ROUND; b++) {
                    for (int k = 0; k < BURST; k++) {
                        in.send(frame, f.length);
                    }
                    target += BURST;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (port.counters().rxPackets() < target && System.nanoTime() < deadline) {
                        e.poll(); // an AF_PACKET frame comes once the kernel delivered it
                    }
                    while (out.received() < target && System.nanoTime() < deadline) {
                        out.discard();
                    }
                }
                long allocated = mx.getThreadAllocatedBytes(tid) - before;
                assertThat(out.received()).as("frames through, round %d", round).isEqualTo(target);
                if (round > 0) {
                    best = Math.min(best, allocated);
                }
            }
            assertThat(best)
                    .as(driver + ": bytes allocated in the best round after warm-up")
                    .isZero();
            assertThat(e.counters().port("out").txPackets()).isEqualTo(target);
            Harness.assertBalanced(e);
        }
    }
}
