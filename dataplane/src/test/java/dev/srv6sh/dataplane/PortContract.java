package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.port.Port;
import dev.srv6sh.dataplane.port.PortCounters;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Port} implementation must do, run through a real engine (the Harness router:
 * UDP to 203.0.113.0/24 arrives on {@code in} and leaves on {@code out}): bursts received into the
 * engine's buffers and transmitted in vectors, in order; buffers freed by whoever the port says, none
 * leaked; the device counters; an interface a configuration drops drained and kept. A kind of port
 * runs it by extending this class with its {@link PortRig}.
 */
abstract class PortContract {
    /** An engine with {@code config} whose interfaces are all ports of the kind under test. */
    abstract PortRig rig(DataplaneConfig config) throws Exception;

    static DataplaneConfig router() {
        return Harness.config(List.of(), List.of(), List.of());
    }

    /** A UDP frame to the router carrying {@code seq} in its last four bytes. */
    static byte[] frame(int seq) {
        byte[] f = Harness.frame(
                Harness.IN_MAC, Harness.SENDER_MAC, Packets.udp4("192.0.2.77", "203.0.113.9", 64, false, 32));
        for (int i = 0; i < 4; i++) {
            f[f.length - 1 - i] = (byte) (seq >>> (8 * i));
        }
        return f;
    }

    static int seq(byte[] f) {
        int s = 0;
        for (int i = 4; i > 0; i--) {
            s = (s << 8) | (f[f.length - i] & 0xff);
        }
        return s;
    }

    /** The far ends take what left, then a poll lets ports free what their far end is done with. */
    static List<byte[]> settle(PortRig r, String iface) {
        List<byte[]> out = r.departed(iface);
        r.engine().poll();
        return out;
    }

    /** Nothing leaked: every buffer is in the pool or held by a port on its receive side. */
    static void assertAllBuffersBack(Engine e, PortRig r) {
        Harness.assertBalanced(e);
        int held = r.port("in").buffersHeld() + r.port("out").buffersHeld();
        assertThat(e.buffers().free() + held)
                .as("buffers in the pool")
                .isEqualTo(e.buffers().count());
    }

    @Test
    void burstsOfFramesArriveInTheEnginesBuffersAndLeaveInOrder() throws Exception {
        int frames = 600; // more than two vectors: several bursts in, several out
        try (PortRig r = rig(router())) {
            for (int i = 0; i < frames; i++) {
                r.arrive("in", frame(i));
            }
            r.arrived();
            assertThat(r.engine().poll()).isEqualTo(frames);
            List<byte[]> out = settle(r, "out");
            assertThat(out).hasSize(frames);
            byte[] expected = frame(0);
            for (int i = 0; i < frames; i++) {
                byte[] f = out.get(i);
                assertThat(seq(f)).as("frame %d in order", i).isEqualTo(i);
                assertThat(Arrays.copyOfRange(f, 0, 6)).isEqualTo(Harness.PEER_MAC.bytes());
                assertThat(Arrays.copyOfRange(f, 6, 12)).isEqualTo(Harness.OUT_MAC.bytes());
                assertThat(f[14 + 8]).as("TTL").isEqualTo((byte) 63);
                assertThat(f).hasSameSizeAs(expected);
            }
            PortCounters in = r.port("in").counters();
            PortCounters sent = r.port("out").counters();
            assertThat(in.rxPackets()).isEqualTo(frames);
            assertThat(in.rxBytes()).isEqualTo((long) frames * expected.length);
            assertThat(sent.txPackets()).isEqualTo(frames);
            assertThat(sent.txBytes()).isEqualTo((long) frames * expected.length);
            assertThat(in.rxNoBuffer() + sent.txErrors()).isZero();
            assertThat(r.engine().counters().port("out").txPackets()).isEqualTo(frames);
            assertThat(r.departed("in")).isEmpty();
            assertAllBuffersBack(r.engine(), r);
        }
    }

    @Test
    void whatThePortKeepsIsInUseUntilItFreesIt() throws Exception {
        try (PortRig r = rig(router())) {
            for (int i = 0; i < 10; i++) {
                r.arrive("in", frame(i));
            }
            r.arrived();
            r.engine().poll();
            int inUse = r.engine().buffersInUse();
            assertThat(inUse)
                    .as("frames the port keeps until its far end is done")
                    .isBetween(0, 10);
            assertThat(settle(r, "out")).hasSize(10);
            assertThat(r.engine().buffersInUse()).isZero();
            assertAllBuffersBack(r.engine(), r);
        }
    }

    @Test
    void aFrameLargerThanABufferIsCountedAsRxNoBufferAndNotTaken() throws Exception {
        try (PortRig r = rig(router())) {
            r.arrive("in", Arrays.copyOf(frame(1), MemoryPort.MAX_FRAME + 1));
            r.arrive("in", frame(2));
            r.arrived();
            assertThat(r.engine().poll()).isEqualTo(1);
            assertThat(settle(r, "out")).extracting(PortContract::seq).containsExactly(2);
            assertThat(r.port("in").counters().rxNoBuffer()).isEqualTo(1);
            assertThat(r.engine().counters().port("in").rxNoBuffer()).isEqualTo(1);
            assertAllBuffersBack(r.engine(), r);
        }
    }

    @Test
    void anInterfaceAConfigurationDropsIsDrainedAndKeptForWhenItComesBack() throws Exception {
        DataplaneConfig full = router();
        DataplaneConfig outOnly = new DataplaneConfig(
                full.router(),
                full.interfaces().stream().filter(i -> i.name().equals("out")).toList(),
                full.routes(),
                full.neighbors(),
                full.sids(),
                full.policies(),
                full.steering(),
                full.encap());
        try (PortRig r = rig(full)) {
            Port in = r.port("in");
            for (int i = 0; i < 5; i++) {
                r.arrive("in", frame(i));
            }
            r.arrived();
            r.engine().apply(outOnly);
            assertThat(in.counters().rxNoBuffer())
                    .as("dropped while the interface was gone")
                    .isEqualTo(5);
            assertThat(in.buffersHeld()).isZero();
            assertThat(r.engine().poll()).isZero();
            r.engine().apply(full);
            assertThat(r.port("in")).isSameAs(in);
            r.arrive("in", frame(7));
            r.arrived();
            assertThat(r.engine().poll()).isEqualTo(1);
            assertThat(settle(r, "out")).extracting(PortContract::seq).containsExactly(7);
            assertThat(in.counters().rxPackets()).isEqualTo(1);
            assertAllBuffersBack(r.engine(), r);
        }
    }
}
