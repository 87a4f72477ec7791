package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8986 §4.13 End.B6.Encaps and §4.14 End.B6.Encaps.Red: End, then a new IPv6 header and SRH. */
class BindingSidTest {
    static DataplaneConfig bound(String behavior, String policy) {
        return Harness.config(
                List.of(new DataplaneConfig.Sid(
                        "b6", Addresses.parse6("a3::"), behavior, Harness.args(null, 0, policy))),
                List.of(Harness.policy("b", PolicyMode.ENCAP, "a8::", "a9::")),
                List.of());
    }

    private static String hex(String h) {
        return h.replace(" ", "");
    }

    @Test
    void endB6EncapsRunsEndThenPushesThePolicyWithAFullSrh() throws Exception {
        try (Harness h = new Harness(bound("End.B6.Encaps", "b"))) {
            h.send(Vectors.get("V1_End_in"));
            byte[] out = VectorTest.maskFlowLabel(h.onlyOut());
            String outer = hex("60000000 00c0 2b 40" + "00a30000000000000000000000000000" // a3:: → a8::
                    + "00a80000000000000000000000000000"
                    + "29 04 04 01 01 00 0000" // NH 41, 2 SIDs, SL 1, LE 1
                    + "00a90000000000000000000000000000" + "00a80000000000000000000000000000");
            assertThat(VectorTest.hex(Arrays.copyOfRange(out, 0, 80))).isEqualTo(outer);
            // the inner packet is exactly what End makes of V1: SL 1, DA a4::, hop limit 63
            assertThat(VectorTest.hex(Arrays.copyOfRange(out, 80, out.length)))
                    .isEqualTo(VectorTest.hex(Vectors.get("V1_End_out")));
            assertThat(h.engine.counters().sids().getFirst().packets()).isEqualTo(1);
            h.assertBalanced();
        }
    }

    @Test
    void endB6EncapsRedLeavesTheFirstSidOutOfTheNewSrh() throws Exception {
        try (Harness h = new Harness(bound("End.B6.Encaps.Red", "b"))) {
            h.send(Vectors.get("V1_End_in"));
            byte[] out = h.onlyOut();
            assertThat(HexFormat.of().formatHex(out, 40, 64))
                    .isEqualTo(hex("29 02 04 01 00 00 0000" + "00a90000000000000000000000000000"));
            assertThat(VectorTest.hex(Arrays.copyOfRange(out, 64, out.length)))
                    .isEqualTo(VectorTest.hex(Vectors.get("V1_End_out")));
            h.assertBalanced();
        }
    }

    @Test
    void aBindingSidNeedsAPolicyOfItsRouter() {
        try (Engine e = new Engine("t", Clock.SYSTEM, MemoryPort.FACTORY)) {
            assertThatThrownBy(() -> e.apply(bound("End.B6.Encaps", "nope")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("there is no policy 'nope'");
        }
    }
}
