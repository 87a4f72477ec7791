package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.util.List;
import org.junit.jupiter.api.Test;

class FibViewTest {
    @Test
    void showFibListsEveryPrefixWithWhereItLeads() throws Exception {
        try (Engine e = new Engine("f", Clock.SYSTEM, MemoryPort.FACTORY)) {
            assertThat(e.fib()).isEmpty();
            e.apply(Harness.config(
                    List.of(Harness.sid("a3::c4", "End.DX4", "198.51.100.2")),
                    List.of(Harness.policy("p", DataplaneConfig.PolicyMode.ENCAP, "a4::", "a5::")),
                    List.of(new DataplaneConfig.Steer(0, Prefix.parse("203.0.113.0/24"), "p"))));
            List<String> lines = e.fib().stream()
                    .map(f -> f.table() + " " + f.prefix() + " " + f.result())
                    .toList();
            assertThat(lines)
                    .contains(
                            "0 a3::c4/128 SID s-a3::c4 End.DX4",
                            "0 203.0.113.0/24 SR policy p",
                            "0 ::/0 forward out out to 02:00:00:00:00:99",
                            "0 2001:db8:1::1/128 local (an address of this router)",
                            "0 2001:db8:1::/64 forward out in (connected)");
            // IPv6 first, longest prefixes first
            assertThat(lines.indexOf("0 a3::c4/128 SID s-a3::c4 End.DX4"))
                    .isLessThan(lines.indexOf("0 ::/0 forward out out to 02:00:00:00:00:99"));
        }
    }
}
