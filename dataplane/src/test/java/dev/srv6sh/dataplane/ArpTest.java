package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * arp-input: requests for the router's IPv4 addresses answered byte for byte as RFC 826 lays a reply
 * out, the sender learned by RFC 826's merge, RFC 5227 probes answered without learning, and every
 * sanity check dropped under its own counter.
 */
class ArpTest {
    static final String ME = "192.0.2.1"; // 'in''s address
    static final String HOST = "192.0.2.99";
    static final MacAddress HOST_MAC = Harness.SENDER_MAC;

    static void send(Harness h, MacAddress dst, byte[] arp) {
        h.engine.port("in", MemoryPort.class).inject(Packets.ethernet(dst.bytes(), HOST_MAC.bytes(), 0x0806, arp));
        h.engine.poll();
    }

    @Test
    void aRequestForTheRoutersAddressIsAnsweredAndItsSenderLearned() throws Exception {
        try (Harness h = new Harness(NdTest.router())) {
            send(h, MacAddress.BROADCAST, NdFrames.arp(1, HOST_MAC, HOST, NdFrames.ZERO, ME));
            byte[] reply = Packets.ethernet(
                    HOST_MAC.bytes(),
                    Harness.IN_MAC.bytes(),
                    0x0806,
                    NdFrames.arp(2, Harness.IN_MAC, ME, HOST_MAC, HOST));
            assertThat(h.in).containsExactly(reply);
            assertThat(Arrays.copyOfRange(reply, 14, 22))
                    .as("Ethernet, IPv4, 6, 4, reply")
                    .containsExactly(0, 1, 8, 0, 6, 4, 0, 2);
            NeighborEntry e = NdTest.learned(h).getFirst();
            assertThat(e.address()).isEqualTo(Addresses.parse(HOST));
            assertThat(e.mac()).isEqualTo(HOST_MAC);
            assertThat(e.state()).isEqualTo(NeighborEntry.State.STALE);
            assertThat(h.engine.counters().neighbors()).isEqualTo(new Counters.NeighborStats(0, 1, 1, 0));
        }
    }

    @Test
    void aProbeFromZeroIsAnsweredButTeachesNothing() throws Exception {
        try (Harness h = new Harness(NdTest.router())) {
            send(h, MacAddress.BROADCAST, NdFrames.arp(1, HOST_MAC, "0.0.0.0", NdFrames.ZERO, ME));
            assertThat(h.in)
                    .containsExactly(Packets.ethernet(
                            HOST_MAC.bytes(),
                            Harness.IN_MAC.bytes(),
                            0x0806,
                            NdFrames.arp(2, Harness.IN_MAC, ME, HOST_MAC, "0.0.0.0")));
            assertThat(NdTest.learned(h)).isEmpty();
        }
    }

    @Test
    void aRequestForAnotherHostUpdatesAKnownSenderOnly() throws Exception {
        MacAddress moved = MacAddress.parse("02:00:00:00:00:78");
        try (Harness h = new Harness(NdTest.router())) {
            send(h, MacAddress.BROADCAST, NdFrames.arp(1, HOST_MAC, "192.0.2.50", NdFrames.ZERO, "192.0.2.60"));
            assertThat(h.engine.counters().get("arp-input", "ARP for another host, from a sender not in the table"))
                    .isEqualTo(1);
            assertThat(NdTest.learned(h)).isEmpty();
            send(h, MacAddress.BROADCAST, NdFrames.arp(1, HOST_MAC, HOST, NdFrames.ZERO, ME)); // learned
            send(h, MacAddress.BROADCAST, NdFrames.arp(1, moved, HOST, NdFrames.ZERO, "192.0.2.60"));
            assertThat(NdTest.learned(h).getFirst().mac()).as("RFC 826 merge").isEqualTo(moved);
            assertThat(h.in).hasSize(1); // only the request for the router was answered
        }
    }

    static void rejected(String reason, byte[] arp) throws Exception {
        try (Harness h = new Harness(NdTest.router())) {
            send(h, MacAddress.BROADCAST, arp);
            assertThat(h.in).as(reason).isEmpty();
            assertThat(h.engine.counters().get("arp-input", reason)).as(reason).isEqualTo(1);
            assertThat(NdTest.learned(h)).as(reason).isEmpty();
        }
    }

    static byte[] with(int at, int value) {
        byte[] a = NdFrames.arp(1, HOST_MAC, HOST, NdFrames.ZERO, ME);
        a[at] = (byte) value;
        return a;
    }

    @Test
    void everySanityCheckIsCountedByItsReason() throws Exception {
        rejected("ARP shorter than 28 bytes", Arrays.copyOf(NdFrames.arp(1, HOST_MAC, HOST, NdFrames.ZERO, ME), 27));
        rejected("ARP hardware type is not Ethernet", with(1, 6));
        rejected("ARP protocol type is not IPv4", with(2, 0x86));
        rejected("ARP address lengths are not 6 and 4", with(4, 8));
        rejected("ARP address lengths are not 6 and 4", with(5, 16));
        rejected("ARP opcode is neither request nor reply", with(7, 3));
        rejected(
                "ARP sender MAC is broadcast, multicast or zero",
                NdFrames.arp(1, MacAddress.parse("01:00:5e:00:00:01"), HOST, NdFrames.ZERO, ME));
        rejected(
                "ARP sender MAC is broadcast, multicast or zero",
                NdFrames.arp(1, NdFrames.ZERO, HOST, NdFrames.ZERO, ME));
        rejected(
                "ARP sender IP address is multicast, broadcast or loopback",
                NdFrames.arp(1, HOST_MAC, "255.255.255.255", NdFrames.ZERO, ME));
        rejected(
                "ARP sender IP address is multicast, broadcast or loopback",
                NdFrames.arp(2, HOST_MAC, "0.0.0.0", NdFrames.ZERO, ME));
        rejected(
                "ARP target IP address is multicast, broadcast or loopback",
                NdFrames.arp(1, HOST_MAC, HOST, NdFrames.ZERO, "127.0.0.1"));
        rejected("ARP sender claims an address of this interface", NdFrames.arp(1, HOST_MAC, ME, NdFrames.ZERO, ME));
    }
}
