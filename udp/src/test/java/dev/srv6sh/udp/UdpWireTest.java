package dev.srv6sh.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The udp device syntax: LOCAL:PORT->PEER:PORT, and a clear word on each way to get it wrong. */
class UdpWireTest {
    @Test
    void anIpv4AndAnIpv6WireParseAndPrintCanonically() {
        UdpWire v4 = UdpWire.parse("198.51.100.1:4789->198.51.100.2:4790");
        assertThat(v4.local().getPort()).isEqualTo(4789);
        assertThat(v4.peer().getAddress().getHostAddress()).isEqualTo("198.51.100.2");
        assertThat(v4.overhead()).isEqualTo(28);
        assertThat(v4).hasToString("198.51.100.1:4789->198.51.100.2:4790");

        UdpWire v6 = UdpWire.parse(" [2001:DB8:0::1]:4789 -> [2001:db8::2]:4789 ");
        assertThat(v6.overhead()).isEqualTo(48);
        assertThat(v6).hasToString("[2001:db8::1]:4789->[2001:db8::2]:4789");
        assertThat(UdpWire.parse(v6.toString())).isEqualTo(v6);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''| needs a device: \"LOCAL:PORT->PEER:PORT\"",
                "198.51.100.1:4789| is not LOCAL:PORT->PEER:PORT",
                "198.51.100.1:4789->198.51.100.2:4789->198.51.100.3:1| is not LOCAL:PORT->PEER:PORT",
                "198.51.100.1->198.51.100.2:4789| the local end '198.51.100.1' is not ADDRESS:PORT",
                "198.51.100.1:0->198.51.100.2:4789| the local end '198.51.100.1:0' has no port of 1 to 65535 ('0')",
                "198.51.100.1:65536->198.51.100.2:4789| has no port of 1 to 65535 ('65536')",
                "198.51.100.1:x->198.51.100.2:4789| has no port of 1 to 65535 ('x')",
                "router1:4789->198.51.100.2:4789| the local end 'router1:4789': not an IP address: 'router1'",
                "198.51.100.1:4789->2001:db8::2:4789| the peer end '2001:db8::2:4789' is not ADDRESS:PORT (an IPv6"
                        + " address goes in brackets",
                "[198.51.100.1]:4789->198.51.100.2:4789| an IPv6 address goes in brackets, an IPv4 address does not",
                "[2001:db8::1:4789->[2001:db8::2]:4789| the local end '[2001:db8::1:4789' is not [IPv6]:PORT",
                "198.51.100.1:4789->[2001:db8::2]:4789| the local and the peer address are of different families",
                "0.0.0.0:4789->198.51.100.2:4789| the local address 0.0.0.0 is not one address of this host",
                "198.51.100.1:4789->224.0.0.1:4789| the peer address 224.0.0.1 is not one router's",
                "198.51.100.1:4789->198.51.100.1:4789| the local and the peer end are the same (198.51.100.1:4789)",
            })
    void aMalformedDeviceSaysWhatIsWrong(String device, String message) {
        assertThatThrownBy(() -> UdpWire.parse(device))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message.strip());
    }
}
