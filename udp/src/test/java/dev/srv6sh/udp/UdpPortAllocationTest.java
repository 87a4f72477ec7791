package dev.srv6sh.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.port.Port;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine's thread allocates nothing on a udp port once warm, as the Linux ports' allocation test
 * measures it: frames come in on one udp interface and leave on another, and the engine thread's
 * allocated bytes do not grow over rounds of them. Netty's thread allocates (that is Netty's), and so
 * do the far ends, which run on threads of their own so as not to count.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UdpPortAllocationTest {
    private static final int BURST = 32;
    private static final int BURSTS_PER_ROUND = 40;

    @Test
    void receiveAndTransmitAllocateNothingOnTheEnginesThread() throws Exception {
        int in = Wires.freePort();
        int inFar = Wires.freePort();
        int out = Wires.freePort();
        int outFar = Wires.freePort();
        DataplaneConfig c = Wires.router(Wires.device(in, inFar));
        DataplaneConfig config = new DataplaneConfig(
                c.router(),
                List.of(c.interfaces().get(0), c.interfaces().get(1).on("udp", Wires.device(out, outFar))),
                c.routes(),
                c.neighbors(),
                c.sids(),
                c.policies(),
                c.steering(),
                c.encap());
        AtomicLong wanted = new AtomicLong();
        AtomicLong received = new AtomicLong();
        byte[] frame = UdpPortTest.inbound(1);
        try (Engine e = Wires.engine("r", config);
                DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET);
                DatagramChannel sink = DatagramChannel.open(StandardProtocolFamily.INET)) {
            sender.bind(new InetSocketAddress(Wires.LOOPBACK, inFar))
                    .connect(new InetSocketAddress(Wires.LOOPBACK, in));
            sink.bind(new InetSocketAddress(Wires.LOOPBACK, outFar))
                    .connect(new InetSocketAddress(Wires.LOOPBACK, out));
            Thread send = Thread.ofPlatform().daemon().start(() -> {
                ByteBuffer b = ByteBuffer.allocateDirect(frame.length).put(frame);
                long sent = 0;
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        if (sent < wanted.get()) {
                            sender.write(b.clear());
                            sent++;
                        } else {
                            Thread.onSpinWait();
                        }
                    }
                } catch (java.io.IOException x) {
                    // closed at the end
                }
            });
            Thread take = Thread.ofPlatform().daemon().start(() -> {
                ByteBuffer b = ByteBuffer.allocateDirect(65536);
                try {
                    while (true) {
                        sink.read(b.clear());
                        received.incrementAndGet();
                    }
                } catch (java.io.IOException x) {
                    // closed at the end
                }
            });
            Port port = e.port("wire");
            var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().threadId();
            long best = Long.MAX_VALUE;
            long target = 0;
            for (int round = 0; round < 12 && best != 0; round++) {
                long before = mx.getThreadAllocatedBytes(tid);
                for (int b = 0; b < BURSTS_PER_ROUND; b++) {
                    target += BURST;
                    wanted.set(target);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (port.counters().rxPackets() + port.counters().rxNoBuffer() < target
                            && System.nanoTime() < deadline) {
                        e.poll();
                    }
                    while (received.get() < port.counters().rxPackets() && System.nanoTime() < deadline) {
                        e.poll();
                    }
                }
                long allocated = mx.getThreadAllocatedBytes(tid) - before;
                assertThat(received.get()).as("frames through, round %d", round).isEqualTo(target);
                if (round > 0) {
                    best = Math.min(best, allocated);
                }
            }
            send.interrupt();
            sender.close();
            sink.close();
            take.join(5_000);
            assertThat(best)
                    .as("bytes allocated in the best round after warm-up")
                    .isZero();
            assertThat(e.counters().port("lan").txPackets()).isEqualTo(target);
            assertThat(e.counters().balanced()).isTrue();
        }
    }
}
