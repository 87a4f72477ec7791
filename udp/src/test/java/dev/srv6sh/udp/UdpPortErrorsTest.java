package dev.srv6sh.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.Clock;
import dev.srv6sh.dataplane.ConfigException;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A udp interface that cannot be opened is a configuration error naming the interface, the driver,
 * the device and the cause, in words, and the router keeps the configuration it had.
 */
class UdpPortErrorsTest {
    /** The configuration with its wire on {@code driver} and {@code device}, and its MTU. */
    static DataplaneConfig on(String driver, String device, int mtu) {
        DataplaneConfig c = Wires.router("127.0.0.1:1->127.0.0.1:2");
        DataplaneConfig.Interface w = c.interfaces().getFirst();
        DataplaneConfig.Interface wire =
                new DataplaneConfig.Interface(w.name(), w.mac(), w.addresses(), mtu, driver, device);
        return new DataplaneConfig(
                c.router(),
                List.of(wire, c.interfaces().get(1)),
                c.routes(),
                c.neighbors(),
                c.sids(),
                c.policies(),
                c.steering(),
                c.encap());
    }

    static String error(DataplaneConfig config) {
        try (Engine e = new Engine("r", Clock.SYSTEM, Wires.ports())) {
            try {
                e.apply(config);
            } catch (ConfigException x) {
                assertThat(e.config()).as("nothing applied").isNull();
                return x.getMessage();
            }
            throw new AssertionError("applied: " + config.interfaces().getFirst());
        }
    }

    @Test
    void aMalformedOrMissingDeviceIsAClearError() {
        assertThat(error(on("udp", "198.51.100.1:4789", 1500)))
                .isEqualTo("interface wire: udp on device '198.51.100.1:4789': '198.51.100.1:4789' is not"
                        + " LOCAL:PORT->PEER:PORT, such as \"198.51.100.1:4789->198.51.100.2:4789\"");
        assertThat(error(on("udp", null, 1500)))
                .startsWith("interface wire: udp on device 'null': needs a device: \"LOCAL:PORT->PEER:PORT\"");
        assertThat(error(on("udp", "127.0.0.1:4789->[::1]:4789", 1500)))
                .contains("the local and the peer address are of different families");
    }

    @Test
    void anAddressThisHostDoesNotHaveIsAClearError() throws Exception {
        String device = "192.0.2.1:4789->127.0.0.1:" + Wires.freePort();
        assertThat(error(on("udp", device, 1500)))
                .isEqualTo("interface wire: udp on device '" + device
                        + "': the local address 192.0.2.1 is not an address of this host (no interface has it)");
    }

    @Test
    void aPortAnotherSocketHoldsIsAClearErrorAndTheRouterCanTryAgain() throws Exception {
        int local = Wires.freePort();
        int far = Wires.freePort();
        String device = Wires.device(local, far);
        try (DatagramChannel taken = DatagramChannel.open(StandardProtocolFamily.INET)) {
            taken.bind(new InetSocketAddress(Wires.LOOPBACK, local));
            assertThat(error(on("udp", device, 1500)))
                    .isEqualTo("interface wire: udp on device '" + device + "': cannot bind 127.0.0.1:" + local
                            + ": Address already in use (EADDRINUSE): another socket has that address and port");
        }
        try (Engine e = new Engine("r", Clock.SYSTEM, Wires.ports())) {
            e.apply(on("udp", device, 1500));
            assertThat(e.port("wire")).isInstanceOf(UdpPort.class);
        }
    }

    @Test
    void anMtuMoreThanTheWireCarriesIsRefused() throws Exception {
        String device = Wires.device(Wires.freePort(), Wires.freePort());
        assertThat(error(on("udp", device, 2000)))
                .isEqualTo("interface wire: mtu 2000 is more than device " + device + " carries (1906)");
    }

    @Test
    void anUnknownDriverListsTheOnesThereAre() {
        assertThat(error(on("upd", "127.0.0.1:1->127.0.0.1:2", 1500)))
                .isEqualTo("interface wire: upd on device '127.0.0.1:1->127.0.0.1:2': unknown port driver 'upd':"
                        + " memory, af_packet, af_packet_v3, af_xdp, tap, udp");
    }
}
