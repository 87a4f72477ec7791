package dev.srv6sh.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
import java.net.Inet4Address;
import org.junit.jupiter.api.Test;

/** The internet gateway's NAT keeps every checksum right: IPv4's, UDP's (pseudo-header), ICMP's. */
class NatTest {
    private static final MacAddress M = MacAddress.local(1);
    private static final Inet4Address PRIVATE = (Inet4Address) Addresses.parse("10.11.1.10");
    private static final Inet4Address PEER = (Inet4Address) Addresses.parse("203.0.113.9");
    private static final Inet4Address PUBLIC = (Inet4Address) Addresses.parse("198.51.100.1");

    @Test
    void udpChecksumsStayValidThroughSourceAndDestinationRewrites() {
        byte[] f = UdpFrames.datagram(M, M, PRIVATE, PEER, 49_152, 5201, 1_400, 12, 3, 123_456_789L);
        Nat.rewriteSource(f, Addresses.toInt(PUBLIC));
        assertThat(Nat.source(f)).isEqualTo(Addresses.toInt(PUBLIC));
        assertThat(Icmp4Frames.headerValid(f)).isTrue();
        assertThat(UdpFrames.valid(f)).isTrue();
        byte[] fresh = UdpFrames.datagram(M, M, PUBLIC, PEER, 49_152, 5201, 1_400, 12, 3, 123_456_789L);
        assertThat(f).isEqualTo(fresh);
        Nat.rewriteDestination(f, Addresses.toInt(PRIVATE));
        assertThat(Icmp4Frames.headerValid(f)).isTrue();
        assertThat(UdpFrames.valid(f)).isTrue();
    }

    @Test
    void icmpEchoKeepsItsChecksumAndGetsANewHeaderChecksum() {
        byte[] f = Icmp4Frames.echo(M, M, PRIVATE, PEER, 64, 8, 0x5300, 1, 56);
        byte[] expected = Icmp4Frames.echo(M, M, PUBLIC, PEER, 64, 8, 0x5300, 1, 56);
        Nat.rewriteSource(f, Addresses.toInt(PUBLIC));
        assertThat(Icmp4Frames.headerValid(f)).isTrue();
        assertThat(f).isEqualTo(expected);
    }
}
