package dev.srv6sh.dataplane;

import static dev.srv6sh.dataplane.Packets.range;
import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.dataplane.proto.Checksum;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 4443 §3 Packet Too Big and RFC 792 / RFC 1191 Fragmentation Needed when H.Encaps would exceed
 * the MTU towards the first SID (1500 on {@code out}): the MTU reported is the egress MTU less what
 * the encapsulation adds, so that the source's next packets fit; IPv4 without DF is dropped, since
 * this data plane never fragments.
 */
class PacketTooBigTest {
    /** 40 + 8 + 3 × 16: what H.Encaps adds with three SIDs. */
    static final int ADDED = 96;

    /** Steers a7::/64 and 203.0.113.0/24 into p; the IPv4 sender 192.0.2.10 is a neighbor on 'in'. */
    static DataplaneConfig router() {
        DataplaneConfig c = Harness.config(
                List.of(),
                List.of(Harness.policy("p", PolicyMode.ENCAP, "a4::", "a5::", "a6::c7")),
                List.of(
                        new DataplaneConfig.Steer(0, Prefix.parse("a7::/64"), "p"),
                        new DataplaneConfig.Steer(0, Prefix.parse("203.0.113.0/24"), "p")));
        List<DataplaneConfig.Neighbor> neighbors = new java.util.ArrayList<>(c.neighbors());
        neighbors.add(new DataplaneConfig.Neighbor(
                dev.srv6sh.dataplane.config.Addresses.parse("192.0.2.10"), Harness.SENDER_MAC, "in"));
        return new DataplaneConfig(
                c.router(), c.interfaces(), c.routes(), neighbors, c.sids(), c.policies(), c.steering(), c.encap());
    }

    /** An IPv4 packet of {@code total} bytes from a host behind 'in' into the steered prefix. */
    static byte[] ip4(int total, boolean df) {
        return Packets.udp4("192.0.2.10", "203.0.113.7", 64, df, total - 28);
    }

    @Test
    void ipv6TooBigForTheTunnelIsAnsweredWithTheMtuLessTheEncapsulation() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] big = Packets.udp6("2001:db8:9::1", "a7::1", 64, 1500 - ADDED + 1 - 48);
            h.send(big);
            IcmpErrorTest.assertError(h.onlyOut(), 2, 0, 1500 - ADDED, big);
            assertThat(h.engine
                            .counters()
                            .get(
                                    "sr-policy-rewrite-encaps",
                                    "packet with the encapsulation larger than the MTU towards the first SID"))
                    .isEqualTo(1);
            h.out.clear();
            h.send(Packets.udp6("2001:db8:9::1", "a7::1", 64, 1500 - ADDED - 48)); // the reported size fits
            assertThat(h.onlyOut()).hasSize(1500);
            h.assertBalanced();
        }
    }

    @Test
    void packetTooBigIsTheOneErrorSentAboutAPacketToAMulticastGroup() throws Exception {
        DataplaneConfig c = Harness.config(
                List.of(),
                List.of(Harness.policy("p", PolicyMode.ENCAP, "a4::", "a5::", "a6::c7")),
                List.of(new DataplaneConfig.Steer(0, Prefix.parse("ff0e::/16"), "p")));
        try (Harness h = new Harness(c)) {
            byte[] big = Packets.udp6("2001:db8:9::1", "ff0e::1", 64, 1500 - ADDED + 1 - 48);
            h.send(big);
            IcmpErrorTest.assertError(h.onlyOut(), 2, 0, 1500 - ADDED, big); // RFC 4443 §2.4 (e.3)
            h.assertBalanced();
        }
    }

    @Test
    void ipv4WithDfIsAnsweredWithFragmentationNeededAndTheNextHopMtu() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] big = ip4(1500 - ADDED + 1, true);
            h.send(big);
            byte[] ip = BehaviorTest.onlyIn(h); // back to the sender
            ByteBuffer p = ByteBuffer.wrap(ip);
            MemorySegment m = MemorySegment.ofArray(ip);
            assertThat(ip[0]).as("IPv4, no options").isEqualTo((byte) 0x45);
            assertThat(ip[1] & 0xff).as("precedence 6").isEqualTo(0xc0);
            assertThat(ip[9]).as("ICMP").isEqualTo((byte) 1);
            assertThat(Checksum.sum(m, 0, 20)).as("header checksum").isEqualTo(0xffff);
            assertThat(range(ip, 12, 16)).as("from the receiving interface").isEqualTo(Packets.addr("192.0.2.1"));
            assertThat(range(ip, 16, 20)).as("to the source").isEqualTo(Packets.addr("192.0.2.10"));
            assertThat(p.getShort(2) & 0xffff).isEqualTo(ip.length);
            assertThat(ip[20]).as("Destination Unreachable").isEqualTo((byte) 3);
            assertThat(ip[21]).as("Fragmentation Needed").isEqualTo((byte) 4);
            assertThat(p.getShort(24)).as("unused").isZero();
            assertThat(p.getShort(26) & 0xffff).as("next-hop MTU").isEqualTo(1500 - ADDED);
            assertThat(Checksum.sum(m, 20, ip.length - 20)).as("ICMP checksum").isEqualTo(0xffff);
            assertThat(range(ip, 28, ip.length))
                    .as("as much of the packet as fits in 576 bytes")
                    .isEqualTo(range(big, 0, 576 - 28));
            h.assertBalanced();
        }
    }

    @Test
    void ipv4WithoutDfIsDroppedForFragmentationIsNotDone() throws Exception {
        try (Harness h = new Harness(router())) {
            h.send(ip4(1500 - ADDED + 1, false));
            assertThat(h.out).isEmpty();
            assertThat(h.engine
                            .counters()
                            .get(
                                    "sr-policy-rewrite-encaps",
                                    "IPv4 packet too big for the tunnel without DF (this data plane never fragments)"))
                    .isEqualTo(1);
            h.send(ip4(1500 - ADDED, false));
            assertThat(h.onlyOut()).hasSize(1500);
            h.assertBalanced();
        }
    }

    @Test
    void noIcmpv4ErrorAboutAnIcmpErrorOrALaterFragmentOrFromANonHostSource() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] error = ip4(1500 - ADDED + 1, true);
            error[9] = 1; // ICMP
            error[28] = 3; // a Destination Unreachable
            fixChecksum(error);
            h.send(error);
            byte[] fragment = ip4(1500 - ADDED + 1, true);
            fragment[7] = 1; // offset 8
            fixChecksum(fragment);
            h.send(fragment);
            byte[] zeroSource = ip4(1500 - ADDED + 1, true);
            System.arraycopy(new byte[4], 0, zeroSource, 12, 4);
            fixChecksum(zeroSource);
            h.send(zeroSource);
            assertThat(h.out).isEmpty();
            Counters c = h.engine.counters();
            assertThat(c.icmpErrors())
                    .containsExactly(
                            java.util.Map.entry(Counters.ICMP4 + "not sent about this packet (RFC 1812 §4.3.2.7)", 3L));
            assertThat(c.get(
                            "sr-policy-rewrite-encaps",
                            "packet with the encapsulation larger than the MTU towards the first SID"))
                    .isEqualTo(3);
            h.assertBalanced();
        }
    }

    @Test
    void icmpv4ErrorsAreRateLimitedLikeIcmpv6Ones() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] frame = Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, ip4(1500 - ADDED + 1, true));
            for (int i = 0; i < 500; i++) {
                h.engine.port("in", MemoryPort.class).inject(frame);
            }
            h.engine.poll();
            Counters c = h.engine.counters();
            assertThat(c.icmpSent()).isBetween(Ip6IcmpError.BURST, Ip6IcmpError.BURST + 150);
            assertThat(c.icmpErrors().get(Counters.ICMP4 + "rate-limited")).isEqualTo(500 - c.icmpSent());
            h.assertBalanced();
        }
    }

    private static void fixChecksum(byte[] ip4) {
        ip4[10] = 0;
        ip4[11] = 0;
        int c = Checksum.internet(MemorySegment.ofArray(ip4), 0, 20);
        ip4[10] = (byte) (c >>> 8);
        ip4[11] = (byte) c;
    }
}
