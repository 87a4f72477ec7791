package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.port.BufferPool;
import dev.srv6sh.dataplane.port.Loopback;
import dev.srv6sh.dataplane.port.LoopbackPort;
import dev.srv6sh.dataplane.port.Port;
import dev.srv6sh.dataplane.port.PortDriver;
import dev.srv6sh.dataplane.port.PortException;
import dev.srv6sh.dataplane.port.linux.LinuxPorts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A driver from another module ({@link PortDriver}: udp on Netty) joins a router's {@link LinuxPorts}
 * by name: an interface whose driver it is gets its port from it, its errors name the interface, the
 * driver and the device, and an unknown driver's error lists it with the built-in ones.
 */
class PortDriverTest {
    /** "loop": device "a" is one end of a {@link Loopback} link; any other device is an error. */
    static final class LoopDriver implements PortDriver {
        final Loopback link = new Loopback("l", 0);
        String device;

        @Override
        public String name() {
            return "loop";
        }

        @Override
        public Port open(String device, BufferPool pool) throws PortException {
            this.device = device;
            if (!"a".equals(device)) {
                throw PortException.driver("loop", device, "no such end", null);
            }
            return link.a(pool);
        }
    }

    static DataplaneConfig outOn(String driver, String device) {
        DataplaneConfig c = PortContract.router();
        return c.withInterfaces(c.interfaces().stream()
                .map(i -> i.name().equals("out") ? i.on(driver, device) : i)
                .toList());
    }

    @Test
    void anInterfaceOnTheDriversNameGetsItsPortAndTheOthersStayInMemory() throws Exception {
        LoopDriver loop = new LoopDriver();
        try (Engine e = new Engine("r", Clock.SYSTEM, LinuxPorts.fromConfig(loop))) {
            e.apply(outOn("loop", "a"));
            assertThat(loop.device).isEqualTo("a");
            assertThat(e.port("out")).isInstanceOf(LoopbackPort.class);
            assertThat(e.port("in")).isInstanceOf(MemoryPort.class);
        }
    }

    @Test
    void itsErrorsNameTheInterfaceTheDriverAndTheDevice() {
        try (Engine e = new Engine("r", Clock.SYSTEM, LinuxPorts.fromConfig(new LoopDriver()))) {
            assertThatThrownBy(() -> e.apply(outOn("loop", "z")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("interface out: loop on device 'z': no such end");
            assertThatThrownBy(() -> e.apply(outOn("lop", "a")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("interface out: lop on device 'a': unknown port driver 'lop':"
                            + " memory, af_packet, af_packet_v3, af_xdp, tap, loop");
            assertThat(e.config()).isNull();
        }
    }

    @Test
    void aDriverCannotTakeABuiltInOrAnotherDriversName() {
        PortDriver tap = new PortDriver() {
            @Override
            public String name() {
                return "tap";
            }

            @Override
            public Port open(String device, BufferPool pool) {
                throw new AssertionError();
            }
        };
        assertThatThrownBy(() -> new LinuxPorts(Map.of(), List.of(tap)))
                .hasMessage("port driver 'tap' is there already");
        assertThatThrownBy(() -> LinuxPorts.fromConfig(new LoopDriver(), new LoopDriver()))
                .hasMessage("port driver 'loop' is there already");
        assertThat(LinuxPorts.fromConfig(new LoopDriver()).drivers())
                .containsExactly("memory", "af_packet", "af_packet_v3", "af_xdp", "tap", "loop");
    }
}
