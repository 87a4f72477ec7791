package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.DataplaneConfig.Flavor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 8986 §4.16 flavors on End: PSP (V2, V2b), USP and USD. */
class FlavorTest {
    static DataplaneConfig end(String addr, String behavior, Set<Flavor> flavors) {
        return Harness.config(
                List.of(new DataplaneConfig.Sid("s", Addresses.parse6(addr), behavior, Map.of()).withFlavors(flavors)),
                List.of(),
                List.of());
    }

    @Test
    void v2PspPopsTheSrhAtThePenultimateSegment() throws Exception {
        try (Harness h = new Harness(end("a3::", "End", Set.of(Flavor.PSP)))) {
            h.send(Vectors.get("V2_EndPSP_in"));
            assertThat(VectorTest.hex(h.onlyOut())).isEqualTo(VectorTest.hex(Vectors.get("V2_EndPSP_out")));
            h.assertBalanced();
        }
    }

    @Test
    void v2bPspKeepsTheSrhWhileSegmentsRemain() throws Exception {
        try (Harness h = new Harness(end("a3::", "End", Set.of(Flavor.PSP)))) {
            h.send(Vectors.get("V1_End_in"));
            assertThat(VectorTest.hex(h.onlyOut())).isEqualTo(VectorTest.hex(Vectors.get("V1_End_out")));
            h.assertBalanced();
        }
    }

    @Test
    void usdDecapsulatesAtTheLastSegmentAndLooksTheInnerPacketUp() throws Exception {
        try (Harness h = new Harness(end("a3::c4", "End", Set.of(Flavor.USD)))) {
            h.send(Vectors.get("V3_EndDX6_in"));
            assertThat(VectorTest.hex(h.onlyOut())).isEqualTo(VectorTest.hex(Vectors.get("V3_EndDX6_out")));
            h.assertBalanced();
        }
    }

    @Test
    void uspAloneRemovesTheSrhThenRefusesTheUpperLayer() throws Exception {
        try (Harness h = new Harness(end("a3::c4", "End", Set.of(Flavor.USP)))) {
            byte[] in = Vectors.get("V3_EndDX6_in");
            h.send(in);
            byte[] withoutSrh = Vectors.get("V3b_EndDX6_noSRH_in"); // the same packet with its SRH popped
            byte[] error = h.onlyOut();
            assertThat(error[40]).as("Parameter Problem").isEqualTo((byte) 4);
            assertThat(error[41]).as("code 4").isEqualTo((byte) 4);
            assertThat(error[47]).as("pointer at the upper-layer header").isEqualTo((byte) 40);
            assertThat(Arrays.copyOfRange(error, 48, error.length)).isEqualTo(withoutSrh);
            h.assertBalanced();
        }
    }

    @Test
    void flavorsOnlyWhereTheRfcPutsThem() {
        try (Engine e = new Engine("t", Clock.SYSTEM, MemoryPort.FACTORY)) {
            assertThatThrownBy(() -> e.apply(end("a3::c4", "End.DT6", Set.of(Flavor.PSP))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("flavors apply to End, End.X and End.T");
            assertThatThrownBy(() -> e.apply(end("a3::", "End.T", Set.of(Flavor.NEXT_CSID))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("NEXT-CSID applies to End and End.X (RFC 9800 §4.1-4.2)");
        }
    }
}
