package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.port.RxBurst;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What one worker of several does with the ARP and NS/NA frames every worker is given (af_packet's
 * resolution sockets: {@code RxBurst.EVERY_WORKER} on the worker that answers, {@code
 * RxBurst.LEARN_ONLY} on the others): the answering copy answers, and an NA for a neighbor another
 * worker solicited is no error there; a learn-only copy learns, sends nothing, and is never counted
 * as a drop (the answering copy counts it); on an interface steered at layer 2 it is consumed, the
 * answering worker encapsulating the customer's frame once; a capture does not show it.
 */
class WorkerCopiesTest {
    static final MacAddress HOST = NeighborTest.NEW_MAC;

    static Engine engine(DataplaneConfig config, List<byte[]> out) throws Exception {
        Engine e = new Engine("w", new FakeClock(), MemoryPort.FACTORY);
        e.apply(config);
        for (DataplaneConfig.Interface i : config.interfaces()) {
            e.port(i.name(), MemoryPort.class).onTransmit((iface, s, o, l) -> out.add(Harness.copy(s, o, l)));
        }
        return e;
    }

    static byte[] naForAnotherWorker() {
        return Harness.frame(
                Harness.OUT_MAC, HOST, NdFrames.na(NeighborTest.NH6, "2001:db8:2::1", NeighborTest.NH6, 0x60, HOST));
    }

    static byte[] nsForUs() {
        return Harness.frame(
                NdFrames.group("ff02::1:ff00:1"),
                HOST,
                NdFrames.ns(NeighborTest.NH6, "ff02::1:ff00:1", "2001:db8:2::1", HOST));
    }

    static byte[] nsForSomeoneElse() {
        return Harness.frame(
                NdFrames.group("ff02::1:ff00:77"),
                HOST,
                NdFrames.ns(NeighborTest.NH6, "ff02::1:ff00:77", "2001:db8:2::77", HOST));
    }

    @Test
    void theFlagsAreTheGraphsOwn() {
        assertThat(RxBurst.LEARN_ONLY).isEqualTo(Buffers.LEARN_ONLY);
        assertThat(RxBurst.EVERY_WORKER).isEqualTo(Buffers.EVERY_WORKER);
        assertThat(Buffers.EVERY_WORKER
                        & (Buffers.ORIGINATED
                                | Buffers.BOUND
                                | Buffers.BOUND_REDUCED
                                | Buffers.DECREMENTED
                                | Buffers.LEARN_ONLY))
                .isZero();
    }

    @Test
    void anAdvertisementAnotherWorkerAskedForIsNoErrorOnTheAnsweringWorker() throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (Engine e = engine(NeighborTest.router(), out)) {
            MemoryPort p = e.port("out", MemoryPort.class);
            byte[] na = naForAnotherWorker();
            p.inject(na, 0, na.length, 0, Buffers.EVERY_WORKER);
            e.poll();
            Counters c = e.counters();
            assertThat(c.dropped()).isZero();
            assertThat(c.neighbors().consumed()).isEqualTo(1);
            assertThat(c.balanced()).isTrue();
            // the same NA on a router of one worker: an NA nobody asked for, counted
            p.inject(na);
            e.poll();
            assertThat(e.counters().get("ip6-nd", "NA for a neighbor not in the table (ignored, RFC 4861 §7.2.5)"))
                    .isEqualTo(1);
        }
    }

    @Test
    void aLearnOnlyCopyLearnsAnswersNothingAndIsNeverADrop() throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (Engine e = engine(NeighborTest.router(), out)) {
            MemoryPort p = e.port("out", MemoryPort.class);
            List<byte[]> captured = new ArrayList<>();
            e.capture(null, EnumSet.allOf(Capture.Direction.class), f -> captured.add(new byte[f.length()]));
            for (byte[] f : List.of(nsForUs(), nsForSomeoneElse(), naForAnotherWorker())) {
                p.inject(f, 0, f.length, 0, Buffers.LEARN_ONLY);
            }
            e.poll();
            assertThat(out).as("nothing answered").isEmpty();
            assertThat(captured)
                    .as("a capture shows the answering worker's copy only")
                    .isEmpty();
            Counters c = e.counters();
            assertThat(c.dropped())
                    .as("the answering worker counts what is wrong with them")
                    .isZero();
            assertThat(c.neighbors().consumed()).isEqualTo(3);
            assertThat(c.balanced()).isTrue();
            assertThat(e.neighbors()).as("the NS's sender learned").anySatisfy(n -> assertThat(n.mac())
                    .isEqualTo(HOST));
            // the answering worker's copy of the NS for someone else: counted once, there
            byte[] other = nsForSomeoneElse();
            p.inject(other, 0, other.length, 0, Buffers.EVERY_WORKER);
            e.poll();
            assertThat(e.counters().dropped()).isEqualTo(1);
        }
    }

    @Test
    void onAnL2SteeredInterfaceTheAnsweringWorkerEncapsulatesTheCustomersArpOnce() throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (Engine e = engine(Layer2Test.l2Headend(DataplaneConfig.PolicyMode.ENCAP_L2), out)) {
            MemoryPort in = e.port("in", MemoryPort.class);
            byte[] arp = Packets.ethernet(
                    MacAddress.BROADCAST.bytes(),
                    HOST.bytes(),
                    0x0806,
                    NdFrames.arp(1, HOST, "192.0.2.10", NdFrames.ZERO, "192.0.2.20"));
            in.inject(arp, 0, arp.length, 0, Buffers.LEARN_ONLY);
            e.poll();
            assertThat(out).as("another worker's copy: consumed").isEmpty();
            in.inject(arp, 0, arp.length, 0, Buffers.EVERY_WORKER);
            e.poll();
            assertThat(out).as("the answering worker's copy: encapsulated").hasSize(1);
            assertThat(e.counters().balanced()).isTrue();
            assertThat(e.counters().dropped()).isZero();
        }
    }
}
