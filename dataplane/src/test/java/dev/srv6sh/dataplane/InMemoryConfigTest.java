package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A router bound to Linux devices replays its frames (a trace's replay, srv6sh replay) on a scratch
 * engine in memory: {@link DataplaneConfig#inMemory} keeps the program and drops the bindings, and an
 * engine whose ports are all in memory takes it.
 */
class InMemoryConfigTest {
    @Test
    void theProgramStaysAndEveryInterfaceMovesToMemory() throws Exception {
        DataplaneConfig c = AfPacketForwardingTest.router();
        DataplaneConfig bound = c.withInterfaces(c.interfaces().stream()
                        .map(i -> new DataplaneConfig.Interface(
                                i.name(), i.mac(), i.addresses(), 1500, "af_packet", "veth-" + i.name()))
                        .toList())
                .withSrDomain(new DataplaneConfig.SrDomain(List.of("a"), List.of(Prefix.parse("2001:db8::/32"))));
        DataplaneConfig memory = bound.inMemory();
        assertThat(memory.interfaces()).allSatisfy(i -> {
            assertThat(i.driver()).isEqualTo(DataplaneConfig.Interface.MEMORY);
            assertThat(i.device()).isNull();
            assertThat(i.mtu()).isEqualTo(1500);
        });
        assertThat(memory.interfaces().stream()
                        .map(DataplaneConfig.Interface::mac)
                        .toList())
                .containsExactly(AfPacketForwardingTest.A_MAC, AfPacketForwardingTest.B_MAC);
        assertThat(memory.srDomain()).isEqualTo(bound.srDomain());
        assertThat(memory.encap()).isEqualTo(bound.encap());
        try (Engine e = new Engine("r", Clock.SYSTEM, MemoryPort.FACTORY)) {
            e.apply(memory); // the bound one is refused here: "driver af_packet is not available"
            assertThat(e.port("a", MemoryPort.class)).isNotNull();
        }
    }
}
