package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.port.Loopback;
import dev.srv6sh.dataplane.port.Port;
import dev.srv6sh.dataplane.port.PortCounters;
import dev.srv6sh.dataplane.port.PortException;
import dev.srv6sh.dataplane.port.PortFactory;
import dev.srv6sh.dataplane.port.RxBurst;
import dev.srv6sh.dataplane.port.TxBurst;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine is given its ports: it asks its {@link PortFactory} once per interface name, and a port
 * that cannot be had, or does not fit its interface, is a {@link ConfigException} that changes
 * nothing.
 */
class EnginePortsTest {
    /** A device with a MAC and an MTU of its own that never receives and sends nothing. */
    private record Device(String device, int mtu, MacAddress mac, List<String> closed) implements Port {
        @Override
        public void receive(RxBurst rx) {}

        @Override
        public int transmit(TxBurst tx) {
            return tx.count();
        }

        @Override
        public int buffersHeld() {
            return 0;
        }

        @Override
        public PortCounters counters() {
            return new PortCounters();
        }

        @Override
        public void drain() {}

        @Override
        public void close() {
            closed.add(device);
        }
    }

    private static DataplaneConfig withInterface(DataplaneConfig c, DataplaneConfig.Interface extra) {
        return c.withInterfaces(
                Stream.concat(c.interfaces().stream(), Stream.of(extra)).toList());
    }

    @Test
    void theFactoryIsAskedOncePerInterfaceAcrossConfigurations() throws Exception {
        List<String> asked = new ArrayList<>();
        PortFactory f = (iface, pool) -> {
            asked.add(iface.name());
            return MemoryPort.FACTORY.open(iface, pool);
        };
        try (Engine e = new Engine("t", Clock.SYSTEM, f)) {
            DataplaneConfig c = PortContract.router();
            e.apply(c);
            e.apply(c);
            assertThat(asked).containsExactly("in", "out");
            assertThat(e.port("in").device()).isEqualTo("memory:in");
        }
    }

    @Test
    void aDeviceThatCannotBeOpenedRejectsTheConfigurationAndKeepsTheOneInForce() throws Exception {
        List<String> closed = new ArrayList<>();
        PortFactory f = (iface, pool) -> switch (iface.name()) {
            case "eth9" -> throw new PortException("eth9", "no such device");
            case "eth8" -> new Device("eth8", 1500, null, closed);
            default -> MemoryPort.FACTORY.open(iface, pool);
        };
        DataplaneConfig good = PortContract.router();
        DataplaneConfig.Interface eth8 = Harness.iface("eth8", MacAddress.parse("02:00:00:00:00:08"), "10.8.0.1/24");
        DataplaneConfig.Interface eth9 = Harness.iface("eth9", MacAddress.parse("02:00:00:00:00:09"), "10.9.0.1/24");
        try (Engine e = new Engine("t", Clock.SYSTEM, f)) {
            e.apply(good);
            DataplaneConfig bad = withInterface(withInterface(good, eth8), eth9);
            assertThatThrownBy(() -> e.apply(bad))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("interface eth9: device eth9: no such device")
                    .hasCauseInstanceOf(PortException.class);
            assertThat(closed).as("the port opened for eth8 on the way").containsExactly("eth8");
            assertThat(e.config()).isSameAs(good);
            e.port("in", MemoryPort.class).inject(PortContract.frame(1));
            assertThat(e.poll()).isEqualTo(1);
            Harness.assertBalanced(e);
        }
    }

    @Test
    void aFactoryWithoutAPortForTheInterfaceIsAConfigException() {
        try (Engine e = new Engine("r1", Clock.SYSTEM, (iface, pool) -> null)) {
            assertThatThrownBy(() -> e.apply(PortContract.router()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("interface in: router r1 has no port for it");
        }
    }

    @Test
    void anInterfaceMustFitItsDevicesMtuAndMac() {
        List<String> closed = new ArrayList<>();
        MacAddress own = MacAddress.parse("02:00:00:00:aa:aa");
        PortFactory f = (iface, pool) -> iface.name().equals("in")
                ? new Device("eth1", 1400, null, closed)
                : new Device("eth2", 9000, own, closed);
        try (Engine e = new Engine("t", Clock.SYSTEM, f)) {
            assertThatThrownBy(() -> e.apply(PortContract.router()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("interface in: mtu 1500 is more than device eth1 carries (1400)");
            assertThat(closed).containsExactly("eth1");
        }
        try (Engine e = new Engine("t", Clock.SYSTEM, (iface, pool) -> new Device("eth2", 9000, own, closed))) {
            assertThatThrownBy(() -> e.apply(PortContract.router()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("interface in: mac 02:00:00:00:00:01 is not device eth2's (02:00:00:00:aa:aa),"
                            + " so frames to it would never arrive");
        }
    }

    @Test
    void aLoopbackLinkIsOnlyAsLargeAsItsMtu() {
        Loopback link = new Loopback("l", 1400);
        try (Engine e = new Engine(
                "t",
                Clock.SYSTEM,
                (iface, pool) -> iface.name().equals("out") ? link.a(pool) : MemoryPort.FACTORY.open(iface, pool))) {
            assertThatThrownBy(() -> e.apply(PortContract.router()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("interface out: mtu 1500 is more than device l.a carries (1400)");
        }
    }

    @Test
    void closingTheEngineClosesItsPorts() throws Exception {
        List<String> closed = new ArrayList<>();
        Engine e = new Engine("t", Clock.SYSTEM, (iface, pool) -> new Device(iface.name(), 0, null, closed));
        e.apply(PortContract.router());
        e.close();
        assertThat(closed).containsExactly("in", "out");
    }
}
