package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.port.BufferPool;
import dev.srv6sh.dataplane.port.RxBurst;
import dev.srv6sh.dataplane.port.TxBurst;
import dev.srv6sh.dataplane.port.linux.AfPacketPort;
import dev.srv6sh.dataplane.port.linux.LinuxPort;
import dev.srv6sh.dataplane.port.linux.Netns;
import dev.srv6sh.dataplane.port.linux.PacketSocket;
import dev.srv6sh.dataplane.port.linux.TapPort;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Linux ports on their own, driven as an engine drives a port, on devices in a namespace of the
 * test's own: what they say of their device (MTU, MAC), what they hand over and when ({@link
 * LinuxPort#awaitReadable}, {@link AfPacketPort#framesWaiting}), a VLAN tag the kernel took off put
 * back, frames larger than the device carries refused, and a TAP device's life: created up with the
 * port, gone with it.
 */
class LinuxPortTest {
    static final MacAddress PORT_MAC = MacAddress.parse("02:00:00:00:00:51");

    /** An Ethernet frame to the port's MAC with an IPv4 payload of {@code size} bytes, marked with {@code seq}. */
    static byte[] frame(int size, int seq) {
        byte[] f = new byte[14 + size];
        System.arraycopy(PORT_MAC.bytes(), 0, f, 0, 6);
        System.arraycopy(Harness.SENDER_MAC.bytes(), 0, f, 6, 6);
        f[12] = 0x08;
        f[14] = 0x45;
        f[f.length - 1] = (byte) seq;
        return f;
    }

    /** {@code frame} with an 802.1Q tag (VLAN 100, priority 3) after the MAC addresses. */
    static byte[] tagged(byte[] frame) {
        byte[] t = new byte[frame.length + 4];
        System.arraycopy(frame, 0, t, 0, 12);
        t[12] = (byte) 0x81;
        t[14] = 0x60;
        t[15] = 100;
        System.arraycopy(frame, 12, t, 16, frame.length - 12);
        return t;
    }

    /** A veth pair up in {@code ns}: {@code p0}, with {@link #PORT_MAC}, for the port; {@code f0}, its far end. */
    static void veth(Netns ns, int mtu) {
        ns.ip("link", "add", "p0", "mtu", "" + mtu, "type", "veth", "peer", "name", "f0", "mtu", "" + mtu);
        ns.ip("link", "set", "p0", "address", PORT_MAC.toString(), "up");
        ns.ip("link", "set", "f0", "up");
    }

    /** Receives until {@code count} frames came (or 10 s passed): copies, the buffers freed. */
    static List<byte[]> receive(LinuxPort port, Buffers pool, int count) {
        List<byte[]> got = new ArrayList<>();
        RxBurst rx = pool.rxBurst();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got.size() < count && System.nanoTime() < deadline) {
            port.awaitReadable(TimeUnit.MILLISECONDS.toNanos(100));
            rx.reset(RxBurst.MAX);
            port.receive(rx);
            for (int k = 0; k < rx.count(); k++) {
                got.add(Harness.copy(pool.memory(), (long) rx.buffer(k) * Buffers.SIZE + rx.offset(k), rx.length(k)));
                pool.release(rx.buffer(k));
            }
        }
        return got;
    }

    /** Waits until {@code count} frames reached the witness (or 10 s passed). */
    static void witnessed(PacketSocket witness, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int seen = 0;
        while (seen < count && System.nanoTime() < deadline && witness.await(100)) {
            seen += witness.discard();
        }
        assertThat(seen).as("frames the witness saw").isEqualTo(count);
    }

    /** Transmits {@code frames} in one burst; returns how many buffers the port gave back. */
    static int transmit(LinuxPort port, Buffers pool, byte[]... frames) {
        TxBurst tx = pool.txBurst();
        for (byte[] f : frames) {
            int buf = pool.allocate();
            MemorySegment.copy(f, 0, pool.memory(), ValueLayout.JAVA_BYTE, BufferPool.frameOffset(buf), f.length);
            pool.offset[buf] = Buffers.HEADROOM;
            pool.length[buf] = f.length;
            tx.add(buf);
        }
        int done = port.transmit(tx);
        for (int k = 0; k < tx.count(); k++) {
            pool.release(tx.buffer(k));
        }
        tx.clear();
        return done;
    }

    /** Frames that reached a far end (or what came in 10 s). */
    static List<byte[]> take(PacketSocket far, int count) throws InterruptedException {
        List<byte[]> got = new ArrayList<>(far.take());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
            got.addAll(far.take());
        }
        return got;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(AfPacketPort.Mode.class)
    void anAfPacketPortTellsItsDeviceAndHandsOverFramesOnceTheKernelHasHandedThemOver(AfPacketPort.Mode mode)
            throws Exception {
        Netns.require();
        try (Netns ns = Netns.create("afp", false);
                Buffers pool = new Buffers(512)) {
            veth(ns, 1400);
            AfPacketPort port = ns.call(() -> AfPacketPort.open("p0", pool, mode));
            PacketSocket far = ns.call(() -> PacketSocket.open("f0"));
            try {
                assertThat(port.mode()).isEqualTo(mode);
                assertThat(port.toString()).isEqualTo(mode.driver() + ":p0");
                assertThat(port.device()).isEqualTo("p0");
                assertThat(port.mtu()).isEqualTo(1400);
                assertThat(port.mac()).isEqualTo(PORT_MAC);
                assertThat(port.fd()).isNotNegative();
                assertThat(port.framesWaiting()).isZero();
                assertThat(port.awaitReadable(TimeUnit.MILLISECONDS.toNanos(5)))
                        .as("nothing sent, nothing waits")
                        .isFalse();

                byte[] plain = frame(100, 1);
                byte[] vlan = tagged(frame(200, 2));
                far.send(plain);
                far.send(vlan);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (port.framesWaiting() < 2 && System.nanoTime() < deadline) {
                    port.awaitReadable(TimeUnit.MILLISECONDS.toNanos(100));
                }
                assertThat(port.framesWaiting()).isEqualTo(2);
                assertThat(port.awaitReadable(0)).isTrue();
                assertThat(receive(port, pool, 2))
                        .as("the frames as sent, the VLAN tag the kernel took off put back")
                        .containsExactly(plain, vlan);
                assertThat(port.framesWaiting()).isZero();
                assertThat(port.counters().rxPackets()).isEqualTo(2);

                byte[] fits = frame(1400, 3);
                byte[] tooLarge = frame(1401, 4);
                assertThat(transmit(port, pool, fits, tooLarge, frame(60, 5)))
                        .as("every buffer back")
                        .isEqualTo(3);
                assertThat(port.counters().txPackets()).isEqualTo(2);
                assertThat(port.counters().txErrors()).as("larger than the MTU").isEqualTo(1);
                assertThat(take(far, 2)).containsExactly(fits, frame(60, 5));
                assertThat(pool.free()).isEqualTo(pool.count());
            } finally {
                port.close();
                far.close();
            }
        }
    }

    /**
     * A frame on a quiet link is in the port's ring as soon as the kernel has delivered it: a witness
     * socket on the same device, opened before the port, is woken by the same delivery after the port
     * had it (the kernel hands a frame to a device's packet sockets newest first), so when poll(2) says
     * the witness is readable, the frame must already wait in the port. A TPACKET_V3 ring only showed
     * it once the kernel retired its block (a timer of 1 ms or more), so this looked and found nothing.
     */
    @Test
    void anAfPacketPortHasAFrameOnAQuietLinkAsSoonAsTheKernelDeliveredIt() throws Exception {
        Netns.require();
        try (Netns ns = Netns.create("afq", false);
                Buffers pool = new Buffers(512)) {
            veth(ns, 9000);
            PacketSocket witness = ns.call(() -> PacketSocket.open("p0"));
            AfPacketPort port = ns.call(() -> AfPacketPort.open("p0", pool));
            PacketSocket far = ns.call(() -> PacketSocket.open("f0"));
            try {
                witness.discard(); // whatever the link said of itself before
                port.drain();
                for (int seq = 1; seq <= 5; seq++) {
                    byte[] f = frame(100, seq);
                    far.send(f);
                    assertThat(witness.await(10_000)).as("the witness woken").isTrue();
                    assertThat(witness.take()).contains(f);
                    assertThat(port.framesWaiting())
                            .as("frame %d waits in the port when the witness is woken", seq)
                            .isEqualTo(1);
                    assertThat(port.awaitReadable(0)).isTrue();
                    RxBurst rx = pool.rxBurst();
                    rx.reset(RxBurst.MAX);
                    port.receive(rx);
                    assertThat(rx.count()).isEqualTo(1);
                    assertThat(Harness.copy(
                                    pool.memory(), (long) rx.buffer(0) * Buffers.SIZE + rx.offset(0), rx.length(0)))
                            .isEqualTo(f);
                    pool.release(rx.buffer(0));
                }

                // a frame too large for a ring slot comes whole through the socket's queue: taken (and
                // refused, as larger than a buffer) or drained, the queue stays in step with the ring
                byte[] jumbo = frame(5000, 6);
                far.send(jumbo);
                far.send(frame(100, 7));
                witnessed(witness, 2);
                assertThat(receive(port, pool, 1)).containsExactly(frame(100, 7));
                far.send(jumbo);
                witnessed(witness, 1);
                port.drain();
                far.send(frame(100, 8));
                assertThat(receive(port, pool, 1)).containsExactly(frame(100, 8));
                assertThat(port.counters().rxNoBuffer()).as("the jumbo frames").isEqualTo(2);
            } finally {
                port.close();
                far.close();
                witness.close();
            }
        }
    }

    /**
     * A TPACKET_V3 port hands over a frame on a quiet link once the kernel retires its block on the
     * timer, with nothing more sent to fill it (a bounded wait, no timing asserted); and it gives
     * every block back once it has taken all of its frames: rounds of more frames than a block holds,
     * over several times the whole ring (64 blocks of 128 KiB), all arrive in order and the kernel
     * drops none. A frame larger than a buffer fits a block whole, and is refused as larger than a
     * buffer without holding up the next.
     */
    @Test
    void aV3PortHandsOverAFrameOnAQuietLinkAndGivesEveryBlockBackOnceTaken() throws Exception {
        Netns.require();
        try (Netns ns = Netns.create("afv3", false);
                Buffers pool = new Buffers(512)) {
            veth(ns, 9000);
            AfPacketPort port = ns.call(() -> AfPacketPort.open("p0", pool, AfPacketPort.Mode.V3));
            PacketSocket far = ns.call(() -> PacketSocket.open("f0"));
            try {
                for (int seq = 1; seq <= 3; seq++) {
                    byte[] f = frame(100, seq);
                    far.send(f);
                    assertThat(port.awaitReadable(TimeUnit.SECONDS.toNanos(10)))
                            .as("frame %d handed over on the retire timer alone", seq)
                            .isTrue();
                    assertThat(port.framesWaiting()).isEqualTo(1);
                    assertThat(receive(port, pool, 1)).containsExactly(f);
                }

                int perRound = 200; // 1414-byte frames: about 90 to a block, so 2 to 3 blocks a round
                int rounds = 100; // some 250 blocks: the ring four times over
                for (int r = 0; r < rounds; r++) {
                    List<byte[]> sent = new ArrayList<>();
                    for (int k = 0; k < perRound; k++) {
                        byte[] f = frame(1400, k);
                        f[14 + 4] = (byte) r;
                        sent.add(f);
                        far.send(f);
                    }
                    assertThat(receive(port, pool, perRound)).as("round %d", r).containsExactlyElementsOf(sent);
                }
                assertThat(port.counters().rxNoBuffer())
                        .as("frames the kernel dropped")
                        .isZero();
                assertThat(port.counters().rxPackets()).isEqualTo(3 + (long) perRound * rounds);

                far.send(frame(5000, 1));
                far.send(frame(100, 2));
                assertThat(receive(port, pool, 1)).containsExactly(frame(100, 2));
                assertThat(port.counters().rxNoBuffer())
                        .as("the frame larger than a buffer")
                        .isEqualTo(1);
                assertThat(port.framesWaiting()).isZero();
                assertThat(pool.free()).isEqualTo(pool.count());
            } finally {
                port.close();
                far.close();
            }
        }
    }

    @Test
    void aTapPortCreatesItsDeviceUpAndTheDeviceGoesAwayWithIt() throws Exception {
        Netns.require();
        try (Netns ns = Netns.create("tap", false);
                Buffers pool = new Buffers(512)) {
            TapPort port = ns.call(() -> TapPort.open("t0", pool));
            PacketSocket far = ns.call(() -> PacketSocket.open("t0"));
            try {
                assertThat(port.device()).isEqualTo("t0");
                assertThat(port.mtu()).isEqualTo(1500);
                assertThat(port.mac())
                        .as("the router is the device's far end: its MAC is its own")
                        .isNull();
                assertThat(ns.ip("link", "show", "t0")).containsPattern("<[^>]*\\bUP\\b");
                assertThat(port.awaitReadable(TimeUnit.MILLISECONDS.toNanos(5))).isFalse();

                byte[] in = frame(300, 1);
                far.send(in);
                assertThat(port.awaitReadable(TimeUnit.SECONDS.toNanos(10))).isTrue();
                assertThat(receive(port, pool, 1)).containsExactly(in);
                assertThat(port.buffersHeld())
                        .as("the spare a read that found nothing keeps")
                        .isEqualTo(1);

                byte[] out = frame(500, 2);
                assertThat(transmit(port, pool, out)).isEqualTo(1);
                assertThat(take(far, 1)).containsExactly(out);
            } finally {
                port.close();
                far.close();
            }
            assertThat(pool.free()).isEqualTo(pool.count());
            assertThatThrownBy(() -> ns.ip("link", "show", "t0")).hasMessageContaining("does not exist");
        }
    }
}
