package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Checksum;
import dev.srv6sh.dataplane.proto.Icmp4;
import dev.srv6sh.dataplane.proto.Icmp6;
import dev.srv6sh.dataplane.proto.Ip4;
import dev.srv6sh.dataplane.proto.Ip6;
import dev.srv6sh.dataplane.proto.Udp;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Packets for the router itself: ICMPv6 echo to an interface address and to an End SID (ping to a
 * SID, RFC 8986 §4.1.1 with ICMPv6 allowed), ICMP echo to an IPv4 address; anything else is counted.
 * The senders are off-link, so replies leave by the default routes out of {@code out}.
 */
class LocalDeliveryTest {
    static final String SENDER6 = "2001:db8:99::77";

    /** IPv6 / ICMPv6 echo request, id 0x1234, seq 7, 8 bytes of data, checksum correct. */
    static byte[] echo6(String src, String dst) {
        byte[] p = new byte[40 + 16];
        MemorySegment m = MemorySegment.ofArray(p);
        Ip6.versionClassFlow(m, 0, 0, 0);
        Ip6.payloadLength(m, 0, 16);
        Ip6.nextHeader(m, 0, Ip6.NH_ICMP6);
        Ip6.hopLimit(m, 0, 64);
        System.arraycopy(Addresses.parse(src).getAddress(), 0, p, 8, 16);
        System.arraycopy(Addresses.parse(dst).getAddress(), 0, p, 24, 16);
        Icmp6.type(m, 40, Icmp6.ECHO_REQUEST);
        Bytes.u16(m, 44, 0x1234);
        Bytes.u16(m, 46, 7);
        for (int i = 0; i < 8; i++) {
            p[48 + i] = (byte) (0x41 + i);
        }
        Icmp6.checksum(m, 40, Icmp6.compute(m, 0, 40, 16));
        return p;
    }

    /** The reply expected to {@code request}: addresses swapped, hop limit 64, type 129, same id/seq/data. */
    static void assertEchoReply6(byte[] reply, String from, String to) {
        MemorySegment m = MemorySegment.ofArray(reply);
        assertThat(reply).hasSize(56);
        assertThat(Arrays.copyOfRange(reply, 8, 24))
                .isEqualTo(Addresses.parse(from).getAddress());
        assertThat(Arrays.copyOfRange(reply, 24, 40))
                .isEqualTo(Addresses.parse(to).getAddress());
        assertThat(Ip6.nextHeader(m, 0)).isEqualTo(Ip6.NH_ICMP6);
        assertThat(Ip6.hopLimit(m, 0)).isEqualTo(64);
        assertThat(Icmp6.type(m, 40)).isEqualTo(Icmp6.ECHO_REPLY);
        assertThat(Icmp6.identifier(m, 40)).isEqualTo(0x1234);
        assertThat(Icmp6.sequence(m, 40)).isEqualTo(7);
        assertThat(Icmp6.checksumValid(m, 0, 40, 16)).isTrue();
    }

    @Test
    void anEchoToAnInterfaceAddressIsAnswered() throws Exception {
        try (Harness h = new Harness(Harness.config(List.of(), List.of(), List.of()))) {
            h.send(echo6(SENDER6, "2001:db8:1::1"));
            assertEchoReply6(h.onlyOut(), "2001:db8:1::1", SENDER6);
            h.assertBalanced();
        }
    }

    @Test
    void anEchoToAnEndSidIsAnsweredFromTheSidWithoutTheSrh() throws Exception {
        // V1's SRH with SL 0, DA = the End SID a5::, upper layer an ICMPv6 echo
        byte[] srh = Arrays.copyOfRange(Vectors.get("V1_End_in"), 40, 96);
        srh[0] = 58;
        srh[3] = 0;
        byte[] echo = echo6(SENDER6, "a5::");
        byte[] p = new byte[echo.length + srh.length];
        System.arraycopy(echo, 0, p, 0, 40);
        System.arraycopy(srh, 0, p, 40, srh.length);
        System.arraycopy(echo, 40, p, 96, 16);
        p[5] = (byte) (16 + srh.length);
        p[6] = 43;
        DataplaneConfig c = Harness.config(List.of(Harness.sid("a5::", "End", null)), List.of(), List.of());
        try (Harness h = new Harness(c)) {
            h.send(p);
            assertEchoReply6(h.onlyOut(), "a5::", SENDER6);
            assertThat(h.engine.counters().sids().getFirst().packets()).isEqualTo(1);
            h.assertBalanced();
        }
    }

    @Test
    void anIcmpEchoToAnIpv4AddressIsAnswered() throws Exception {
        byte[] p = EngineTest.udp4("192.0.2.1", 64);
        MemorySegment m = MemorySegment.ofArray(p);
        Bytes.u8(m, 9, Ip4.PROTO_ICMP);
        Ip4.updateChecksum(m, 0, 20);
        Arrays.fill(p, 20, 28, (byte) 0);
        Icmp4.type(m, 20, Icmp4.ECHO_REQUEST);
        Bytes.u16(m, 24, 0x4242);
        Icmp4.checksum(m, 20, Icmp4.compute(m, 20, 16));
        try (Harness h = new Harness(Harness.config(List.of(), List.of(), List.of()))) {
            h.send(p);
            byte[] r = h.onlyOut();
            MemorySegment rm = MemorySegment.ofArray(r);
            assertThat(Ip4.src(rm, 0)).isEqualTo(Ip4.dst(m, 0));
            assertThat(Ip4.dst(rm, 0)).isEqualTo(Ip4.src(m, 0));
            assertThat(Ip4.ttl(rm, 0)).isEqualTo(64);
            assertThat(Ip4.checksumValid(rm, 0, 20)).isTrue();
            assertThat(Icmp4.type(rm, 20)).isEqualTo(Icmp4.ECHO_REPLY);
            assertThat(Icmp4.identifier(rm, 20)).isEqualTo(0x4242);
            assertThat(Icmp4.checksumValid(rm, 20, 16)).isTrue();
            assertThat(Arrays.copyOfRange(r, 28, 36)).isEqualTo(Arrays.copyOfRange(p, 28, 36));
            h.assertBalanced();
        }
    }

    @Test
    void anythingElseForTheRouterIsCountedNotAnswered() throws Exception {
        try (Harness h = new Harness(Harness.config(List.of(), List.of(), List.of()))) {
            h.send(EngineTest.udp4("198.51.100.1", 64)); // UDP to an own IPv4 address
            byte[] badSum = echo6(SENDER6, "2001:db8:2::1");
            badSum[50] ^= 1;
            h.send(badSum);
            byte[] reply = echo6(SENDER6, "2001:db8:2::1");
            reply[40] = (byte) Icmp6.ECHO_REPLY;
            h.send(reply);
            assertThat(h.out).isEmpty();
            Counters c = h.engine.counters();
            assertThat(c.get("ip4-local", "local delivery not supported (only ICMP echo is answered)"))
                    .isEqualTo(1);
            assertThat(c.get("ip6-local", "ICMPv6 checksum is wrong")).isEqualTo(1);
            assertThat(c.get("ip6-local", "local delivery not supported (only ICMPv6 echo is answered)"))
                    .isEqualTo(1);
            h.assertBalanced();
        }
    }

    @Test
    void udpAndPseudoHeaderChecksumsMatchTheVectors() {
        // V5's inner packet is IPv6/UDP with checksum 0x7ff8; V4's inner is IPv4/UDP with 0x238a
        MemorySegment v5 = MemorySegment.ofArray(Vectors.get("V5_HEncaps_in"));
        assertThat(Udp.checksum(v5, 40)).isEqualTo(0x7ff8);
        assertThat(Udp.compute6(v5, 0, 40)).isEqualTo(0x7ff8);
        assertThat(Udp.length(v5, 40)).isEqualTo(16);
        MemorySegment v4 = MemorySegment.ofArray(Vectors.get("V4_EndDX4_out"));
        assertThat(Udp.compute4(v4, 0, 20)).isEqualTo(0x238a);
        assertThat(Udp.srcPort(v4, 20)).isEqualTo(1234);
        assertThat(Checksum.withPseudo(Checksum.ip6Pseudo(v5, 0, 16, Ip6.NH_UDP), v5, 40, 16))
                .as("a correct checksum sums to zero")
                .isZero();
    }
}
