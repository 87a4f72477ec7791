package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.port.BufferPool;
import dev.srv6sh.dataplane.port.Loopback;
import dev.srv6sh.dataplane.port.LoopbackPort;
import dev.srv6sh.dataplane.port.PortFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Two engines joined by a {@link Loopback} link: A's {@code out} to B's {@code in}. A frame A sends
 * stays in A's buffer until B copies it into one of its own, and A frees it at its next call, as an
 * AF_XDP port frees what its completion ring reports.
 */
class LoopbackPortTest {
    /** B: the Harness router, with its {@code in} answering to the MAC A sends to. */
    static DataplaneConfig routerB() {
        DataplaneConfig a = PortContract.router();
        List<DataplaneConfig.Interface> ifs = new ArrayList<>(a.interfaces());
        ifs.set(0, Harness.iface("in", Harness.PEER_MAC, "2001:db8:1::1/64", "192.0.2.1/24"));
        return new DataplaneConfig(
                "b", ifs, a.routes(), a.neighbors(), a.sids(), a.policies(), a.steering(), a.encap());
    }

    /** In memory but for {@code iface}, which is {@code end} of the link. */
    static PortFactory linked(String iface, Function<BufferPool, LoopbackPort> end) {
        return (i, pool) -> i.name().equals(iface) ? end.apply(pool) : MemoryPort.FACTORY.open(i, pool);
    }

    @Test
    void twoEnginesForwardOverALinkAndEachFreesItsOwnBuffers() throws Exception {
        Loopback link = new Loopback("ab", 0);
        try (Engine a = new Engine("a", Clock.SYSTEM, linked("out", link::a));
                Engine b = new Engine("b", Clock.SYSTEM, linked("in", link::b))) {
            a.apply(PortContract.router());
            b.apply(routerB());
            List<byte[]> leftB = new ArrayList<>();
            b.port("out", MemoryPort.class).onTransmit((i, s, o, l) -> leftB.add(Harness.copy(s, o, l)));
            for (int i = 0; i < 300; i++) {
                a.port("in", MemoryPort.class).inject(PortContract.frame(i));
            }
            assertThat(a.poll()).isEqualTo(300);
            LoopbackPort aOut = a.port("out", LoopbackPort.class);
            assertThat(aOut.sending()).as("on the link, in A's buffers").isEqualTo(300);
            assertThat(a.buffersInUse()).isEqualTo(300);
            assertThat(b.poll()).isEqualTo(300);
            assertThat(a.buffersInUse()).as("copied out, not yet freed").isEqualTo(300);
            a.poll(); // A's port frees what B is done with
            assertThat(aOut.sending()).isZero();
            assertThat(leftB).hasSize(300);
            assertThat(leftB).extracting(PortContract::seq).startsWith(0, 1, 2).endsWith(298, 299);
            assertThat(leftB.getFirst()[14 + 8]).as("TTL after two routers").isEqualTo((byte) 62);
            assertThat(a.counters().port("out").txPackets()).isEqualTo(300);
            assertThat(b.counters().port("in").rxPackets()).isEqualTo(300);
            Harness.assertBalanced(a);
            Harness.assertBalanced(b);
        }
    }

    @Test
    void aFullLinkRefusesFramesAsTxErrorsAndTheCountersStillBalance() throws Exception {
        Loopback link = new Loopback("l", 0);
        try (FarEnd far = new FarEnd(link);
                Engine a = new Engine("a", Clock.SYSTEM, linked("out", link::a))) {
            a.apply(PortContract.router());
            int frames = Loopback.CAPACITY + 76;
            for (int i = 0; i < frames; i++) {
                a.port("in", MemoryPort.class).inject(PortContract.frame(i));
            }
            assertThat(a.poll()).isEqualTo(frames);
            assertThat(a.counters().port("out").txPackets()).isEqualTo(Loopback.CAPACITY);
            assertThat(a.counters().port("out").txErrors()).isEqualTo(76);
            assertThat(a.buffersInUse()).as("the frames on the link").isEqualTo(Loopback.CAPACITY);
            assertThat(far.take()).hasSize(Loopback.CAPACITY);
            a.poll();
            Harness.assertBalanced(a);
        }
    }
}
