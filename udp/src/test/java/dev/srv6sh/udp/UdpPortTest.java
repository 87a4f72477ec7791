package dev.srv6sh.udp;

import static dev.srv6sh.udp.Wires.LAN_MAC;
import static dev.srv6sh.udp.Wires.PEER_MAC;
import static dev.srv6sh.udp.Wires.SENDER_MAC;
import static dev.srv6sh.udp.Wires.WIRE_MAC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.port.PortCounters;
import dev.srv6sh.dataplane.port.linux.PortWaiter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One router with its {@code wire} interface on a udp port over loopback, its far end a JDK datagram
 * socket: frames each way, in order, as whole datagrams; what is not a frame counted; the interface
 * drained and kept; the router's thread asleep until a datagram comes; a peer that is gone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UdpPortTest {
    /** A frame the far end sends: UDP from 192.0.2.77 to 203.0.113.9, which the router sends out of lan. */
    static byte[] inbound(int seq) {
        return Wires.frame(WIRE_MAC, SENDER_MAC, Wires.udp4("192.0.2.77", "203.0.113.9", 64, 32, seq));
    }

    /** A frame arriving on lan for the far end, which the router sends out of the wire. */
    static byte[] outbound(int seq) {
        return Wires.frame(LAN_MAC, PEER_MAC, Wires.udp4("198.51.100.2", "192.0.2.77", 64, 32, seq));
    }

    @Test
    void framesCrossTheWireEachWayInOrderOneDatagramEach() throws Exception {
        int local = Wires.freePort();
        int far = Wires.freePort();
        int frames = 300;
        try (Wires.FarEnd peer = new Wires.FarEnd(far, local);
                Engine e = Wires.engine("r", Wires.router(Wires.device(local, far)))) {
            List<byte[]> lan = Wires.catching(e, "lan");
            // in bursts of 50 (a few KiB), which the far end's socket buffer holds however late a
            // loaded machine runs the thread that reads them
            for (int i = 0; i < frames; i++) {
                peer.send(inbound(i));
                int sent = i + 1;
                if (sent % 50 == 0) {
                    assertThat(Wires.pollUntil(() -> lan.size() == sent, e))
                            .as("frames out of lan")
                            .isTrue();
                }
            }
            for (int i = 0; i < frames; i++) {
                byte[] f = lan.get(i);
                assertThat(Wires.seq(f)).as("frame %d in order", i).isEqualTo(i);
                assertThat(Arrays.copyOfRange(f, 0, 6)).isEqualTo(PEER_MAC.bytes());
                assertThat(f[14 + 8]).as("TTL").isEqualTo((byte) 63);
            }
            List<byte[]> got = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                e.port("lan", MemoryPort.class).inject(outbound(i));
                if ((i + 1) % 50 == 0) {
                    e.poll();
                    got.addAll(peer.take(50));
                }
            }
            assertThat(got).hasSize(frames);
            for (int i = 0; i < frames; i++) {
                byte[] d = got.get(i);
                assertThat(Wires.seq(d)).as("datagram %d in order", i).isEqualTo(i);
                assertThat(Arrays.copyOfRange(d, 0, 6)).as("a whole frame").isEqualTo(SENDER_MAC.bytes());
                assertThat(Arrays.copyOfRange(d, 6, 12)).isEqualTo(WIRE_MAC.bytes());
                assertThat(d).hasSize(inbound(0).length);
            }
            PortCounters wire = e.port("wire").counters();
            long bytes = (long) frames * inbound(0).length;
            assertThat(wire.rxPackets()).isEqualTo(frames);
            assertThat(wire.rxBytes()).isEqualTo(bytes);
            assertThat(wire.txPackets()).isEqualTo(frames);
            assertThat(wire.txBytes()).isEqualTo(bytes);
            assertThat(wire.rxNoBuffer() + wire.txErrors()).isZero();
            assertThat(e.counters().balanced()).as(e.counters().toString()).isTrue();
            assertThat(e.buffersInUse()).isZero();
        }
    }

    @Test
    void aDatagramThatIsNoFrameOrLargerThanABufferIsCountedAsRxNoBuffer() throws Exception {
        int local = Wires.freePort();
        int far = Wires.freePort();
        try (Wires.FarEnd peer = new Wires.FarEnd(far, local);
                Engine e = Wires.engine("r", Wires.router(Wires.device(local, far)))) {
            List<byte[]> lan = Wires.catching(e, "lan");
            peer.send(new byte[13]); // shorter than an Ethernet header
            peer.send(Arrays.copyOf(inbound(1), MemoryPort.MAX_FRAME + 1)); // a byte more than a buffer
            peer.send(Arrays.copyOf(inbound(2), MemoryPort.MAX_FRAME)); // just fits (padded)
            peer.send(inbound(3));
            PortCounters wire = e.port("wire").counters();
            assertThat(Wires.pollUntil(() -> wire.rxPackets() == 2 && wire.rxNoBuffer() == 2, e))
                    .as("rx %d, rx no-buffer %d", wire.rxPackets(), wire.rxNoBuffer())
                    .isTrue();
            assertThat(wire.rxBytes()).isEqualTo(MemoryPort.MAX_FRAME + inbound(3).length);
            assertThat(lan).extracting(Wires::seq).contains(3);
        }
    }

    @Test
    void anInterfaceAConfigurationDropsIsDrainedAndKeptForWhenItComesBack() throws Exception {
        int local = Wires.freePort();
        int far = Wires.freePort();
        DataplaneConfig full = Wires.router(Wires.device(local, far));
        DataplaneConfig lanOnly = new DataplaneConfig(
                "r",
                full.interfaces().subList(1, 2),
                full.routes(),
                full.neighbors().subList(0, 2),
                List.of(),
                List.of(),
                List.of(),
                full.encap());
        try (Wires.FarEnd peer = new Wires.FarEnd(far, local);
                Engine e = Wires.engine("r", full)) {
            List<byte[]> lan = Wires.catching(e, "lan");
            UdpPort wire = e.port("wire", UdpPort.class);
            for (int i = 0; i < 5; i++) {
                peer.send(inbound(i));
            }
            // every datagram is in the ring (Netty's thread is quick, but not instant)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!wire.awaitReadable(0) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            Thread.sleep(100);
            e.apply(lanOnly);
            assertThat(wire.counters().rxNoBuffer()).as("dropped while gone").isEqualTo(5);
            assertThat(e.poll()).isZero();
            e.apply(full);
            assertThat(e.port("wire")).isSameAs(wire);
            peer.send(inbound(7));
            assertThat(Wires.pollUntil(() -> lan.size() == 1, e)).isTrue();
            assertThat(Wires.seq(lan.getFirst())).isEqualTo(7);
            assertThat(wire.counters().rxPackets()).isEqualTo(1);
        }
    }

    @Test
    void theRoutersThreadSleepsInPollUntilADatagramComes() throws Exception {
        int local = Wires.freePort();
        int far = Wires.freePort();
        try (Wires.FarEnd peer = new Wires.FarEnd(far, local);
                Engine e = Wires.engine("r", Wires.router(Wires.device(local, far)));
                PortWaiter waiter = new PortWaiter()) {
            List<byte[]> lan = Wires.catching(e, "lan");
            UdpPort wire = e.port("wire", UdpPort.class);
            waiter.watch(List.of(wire));
            for (int round = 0; round < 3; round++) {
                assertThat(e.poll()).as("nothing waits").isZero();
                long before = System.nanoTime();
                waiter.await(TimeUnit.MILLISECONDS.toNanos(50)); // nothing comes: it sleeps its time
                assertThat(System.nanoTime() - before)
                        .as("slept, not woken by a stale signal")
                        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
                int seq = round;
                Thread sender = Thread.ofPlatform().start(() -> {
                    try {
                        Thread.sleep(100);
                        peer.send(inbound(seq));
                    } catch (Exception x) {
                        throw new IllegalStateException(x);
                    }
                });
                waiter.await(
                        TimeUnit.SECONDS.toNanos(30)); // ends because the datagram came (30 s: a failure, not a hang)
                sender.join();
                assertThat(e.poll()).isEqualTo(1);
                assertThat(Wires.seq(lan.get(round))).isEqualTo(round);
            }
        }
    }

    @Test
    void aPeerThatIsGoneCountsTxErrorsAndTheWireWorksOnceItIsBack() throws Exception {
        int local = Wires.freePort();
        int far = Wires.freePort(); // nobody listens there: each datagram draws a port unreachable
        try (Engine e = Wires.engine("r", Wires.router(Wires.device(local, far)))) {
            PortCounters wire = e.port("wire").counters();
            int sent = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (wire.txErrors() == 0 && System.nanoTime() < deadline) {
                e.port("lan", MemoryPort.class).inject(outbound(sent++));
                e.poll();
                Thread.sleep(5);
            }
            assertThat(wire.txErrors())
                    .as("refusals heard after %d frames", sent)
                    .isPositive();
            assertThat(wire.txPackets()).isEqualTo(sent);
            try (Wires.FarEnd peer = new Wires.FarEnd(far, local)) {
                e.port("lan", MemoryPort.class).inject(outbound(1000));
                e.poll();
                List<byte[]> got = peer.take(1);
                assertThat(got).hasSize(1);
                assertThat(Wires.seq(got.getFirst())).isEqualTo(1000);
            }
        }
    }

    @Test
    void itsMtuIsWhatTheUnderlayCarriesLessTheHeadersAndNeverMoreThanABuffer() throws Exception {
        int local = Wires.freePort();
        int far = Wires.freePort();
        try (Engine e = Wires.engine("r", Wires.router(Wires.device(local, far)))) {
            UdpPort wire = e.port("wire", UdpPort.class);
            // loopback carries 64 KiB: the buffer is the limit, 2048 - 128 headroom - 14 Ethernet
            assertThat(wire.mtu()).isEqualTo(1906);
            assertThat(wire.mac()).isNull();
            assertThat(wire.device()).isEqualTo(Wires.device(local, far));
            assertThat(wire.localAddress().getPort()).isEqualTo(local);
            assertThat(wire.buffersHeld()).isZero();
        }
        assertThat(UdpWire.parse("198.51.100.1:4789->198.51.100.2:4789").mtu(1500))
                .isEqualTo(1458);
        assertThat(UdpWire.parse("[2001:db8::1]:4789->[2001:db8::2]:4789").mtu(1500))
                .isEqualTo(1438);
    }
}
