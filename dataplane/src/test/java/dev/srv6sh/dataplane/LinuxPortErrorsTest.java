package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.port.PortException;
import dev.srv6sh.dataplane.port.linux.Capabilities;
import dev.srv6sh.dataplane.port.linux.Errno;
import dev.srv6sh.dataplane.port.linux.ErrnoException;
import dev.srv6sh.dataplane.port.linux.LinuxPorts;
import dev.srv6sh.dataplane.port.linux.LinuxPorts.Binding;
import dev.srv6sh.dataplane.port.linux.LinuxPorts.Driver;
import dev.srv6sh.dataplane.port.linux.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A device that is missing, that the router may not open, or that cannot be a port is an error at
 * start, when the configuration naming it is applied, and the error names the interface, the driver,
 * the device and the system's error (with what it usually means); the engine keeps the configuration
 * it had. Permission problems are met for real: the configuration is applied on a thread without
 * the network capabilities (Linux keeps them per thread), which is also how it runs unprivileged.
 */
class LinuxPortErrorsTest {
    static DataplaneConfig oneInterface(String name) {
        return new DataplaneConfig(
                "r1",
                List.of(Harness.iface(name, MacAddress.parse("02:00:00:00:00:31"), "192.0.2.1/24")),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                new DataplaneConfig.Encap(Addresses.parse6("2001:db8:ff::1"), 64));
    }

    static String unused(String kind) {
        byte[] r = new byte[3];
        ThreadLocalRandom.current().nextBytes(r);
        return "s6t-" + kind + HexFormat.of().formatHex(r);
    }

    /** The message of the ConfigException applying {@code config} with {@code ports} gives, on this thread. */
    static String applyError(LinuxPorts ports, DataplaneConfig config) {
        try (Engine e = new Engine("r1", Clock.SYSTEM, ports)) {
            e.apply(config);
            return "applied";
        } catch (ConfigException x) {
            assertThat(x).hasCauseInstanceOf(PortException.class);
            return x.getMessage();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Driver.class,
            names = {"AF_PACKET", "AF_PACKET_V3"})
    void aMissingDeviceIsAnErrorNamingTheInterfaceTheDriverTheDeviceAndTheError(Driver driver) {
        String device = unused("nx");
        LinuxPorts ports = new LinuxPorts(Map.of("transit", new Binding(driver, device)));
        assertThat(applyError(ports, oneInterface("transit")))
                .isEqualTo(
                        "interface transit: " + driver.text() + " on device '" + device + "': No such device (ENODEV)");
    }

    @Test
    void withoutCapNetRawAnAfPacketPortIsAnErrorSayingWhatIsNeeded() throws Exception {
        LinuxPorts ports = new LinuxPorts(Map.of("transit", new Binding(Driver.AF_PACKET, "lo")));
        String error = Capabilities.withoutNetworkCapabilities(() -> applyError(ports, oneInterface("transit")));
        assertThat(error)
                .isEqualTo("interface transit: af_packet on device 'lo': cannot open a packet socket:"
                        + " Operation not permitted (EPERM): needs CAP_NET_RAW");
    }

    @Test
    void withoutCapNetAdminATapPortIsAnErrorSayingWhatIsNeeded() throws Exception {
        String device = unused("tp");
        LinuxPorts ports = new LinuxPorts(Map.of("lan", new Binding(Driver.TAP, device)));
        String error = Capabilities.withoutNetworkCapabilities(() -> applyError(ports, oneInterface("lan")));
        Path tun = Path.of("/dev/net/tun");
        String expected = !Files.exists(tun)
                ? "cannot open /dev/net/tun: No such file or directory (ENOENT): the kernel has no tun driver"
                        + " (modprobe tun)"
                : !Files.isReadable(tun) || !Files.isWritable(tun)
                        ? "cannot open /dev/net/tun"
                        : "cannot create the TAP device (TUNSETIFF): Operation not permitted (EPERM): needs"
                                + " CAP_NET_ADMIN";
        assertThat(error).startsWith("interface lan: tap on device '" + device + "': " + expected);
    }

    @Test
    void aDeviceThatIsNotEthernetOrNotATapDeviceIsAnError() throws Exception {
        Netns.require();
        try (Netns ns = Netns.create("err", false)) {
            ns.ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
            LinuxPorts ports = new LinuxPorts(
                    Map.of("transit", new Binding(Driver.AF_PACKET, "lo"), "lan", new Binding(Driver.TAP, "v0")));
            assertThat(ns.call(() -> applyError(ports, oneInterface("transit"))))
                    .isEqualTo("interface transit: af_packet on device 'lo': not an Ethernet device (link type 772):"
                            + " the data plane sends and receives Ethernet frames");
            assertThat(ns.call(() -> applyError(ports, oneInterface("lan"))))
                    .isEqualTo("interface lan: tap on device 'v0': cannot create the TAP device (TUNSETIFF):"
                            + " Invalid argument (EINVAL): a device of that name exists and is not a TAP device");
        }
    }

    @Test
    void errorsAreWordedTheSameWayWhateverTheirOrigin() {
        assertThat(new Errno(Errno.ENODEV)).hasToString("No such device (ENODEV)");
        assertThat(new Errno(4242).symbol()).isEqualTo("errno 4242");
        assertThat(ErrnoException.message("cannot open a packet socket", new Errno(Errno.EPERM), "needs CAP_NET_RAW"))
                .isEqualTo("cannot open a packet socket: Operation not permitted (EPERM): needs CAP_NET_RAW");
        assertThat(PortException.driver(
                                "af_packet",
                                "veth9",
                                ErrnoException.message(
                                        "cannot open a packet socket", new Errno(1), "needs CAP_NET_RAW"),
                                null)
                        .getMessage())
                .isEqualTo("af_packet on device 'veth9': cannot open a packet socket: Operation not permitted"
                        + " (EPERM): needs CAP_NET_RAW");
    }

    @Test
    void aBindingIsCheckedWhenItIsMade() {
        assertThat(Binding.parse("af_packet:veth9")).isEqualTo(new Binding(Driver.AF_PACKET, "veth9"));
        assertThat(Binding.parse("af_packet_v3:veth9")).isEqualTo(new Binding(Driver.AF_PACKET_V3, "veth9"));
        assertThat(Binding.parse("tap:tap-lan")).hasToString("tap:tap-lan");
        assertThat(Binding.parse("memory")).isEqualTo(new Binding(Driver.MEMORY, null));
        assertThatThrownBy(() -> Binding.parse("xdp:eth0"))
                .hasMessage("unknown port driver 'xdp': memory, af_packet, af_packet_v3, af_xdp, tap");
        assertThatThrownBy(() -> Binding.parse("tap")).hasMessage("tap needs a device: tap:NAME");
        assertThatThrownBy(() -> Binding.parse("af_packet:eth/0"))
                .hasMessage("af_packet: 'eth/0' is not a device name: it may not hold '/', ':' or white space");
        assertThatThrownBy(() -> new Binding(Driver.AF_PACKET, "a-name-too-long-for-linux"))
                .hasMessage("af_packet: 'a-name-too-long-for-linux' is longer than the 15 bytes a device name may"
                        + " have");
        assertThatThrownBy(() -> new Binding(Driver.MEMORY, "eth0")).hasMessage("a memory port has no device ('eth0')");
        assertThat(new LinuxPorts(Map.of()).binding("other")).isEqualTo(new Binding(Driver.MEMORY, null));
    }

    @Test
    void anInterfaceWithNoBindingIsInMemory() throws Exception {
        try (Engine e = new Engine("r1", Clock.SYSTEM, new LinuxPorts(Map.of()))) {
            e.apply(oneInterface("inside"));
            assertThat(e.port("inside")).isInstanceOf(MemoryPort.class);
        }
    }
}
