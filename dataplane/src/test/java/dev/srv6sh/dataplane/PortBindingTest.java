package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An interface's driver and device: opened once, by a factory that has them, never moved while running. */
class PortBindingTest {

    private static DataplaneConfig on(String driver, String device) {
        DataplaneConfig c = Harness.config(List.of(), List.of(), List.of());
        return c.withInterfaces(c.interfaces().stream()
                .map(i -> i.name().equals("out") ? i.on(driver, device) : i)
                .toList());
    }

    @Test
    void inMemoryPortsRefuseALinuxDriverClearly() {
        try (Engine e = new Engine("r", Clock.SYSTEM, MemoryPort.FACTORY)) {
            assertThatThrownBy(() -> e.apply(on("af_packet", "veth9")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("interface out: device veth9: driver af_packet is not available here");
        }
    }

    @Test
    void aRunningInterfaceCannotMoveToAnotherDriverOrDevice() throws Exception {
        try (Engine e = new Engine("r", Clock.SYSTEM, MemoryPort.FACTORY)) {
            e.apply(on(null, null));
            assertThatThrownBy(() -> e.apply(on("tap", "tap9")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("interface out is on memory; it cannot move to tap device 'tap9'");
            e.apply(on("memory", null)); // the same binding said explicitly is no move
        }
    }

    @Test
    void aMemoryInterfaceHasNoDevice() {
        assertThatThrownBy(() -> Harness.iface("x", Harness.PEER_MAC).on("memory", "eth0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a memory port has no device");
    }
}
