package dev.srv6sh.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.cloud.local.LocalProvider;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.Prefix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state file: what an apply deployed, written as JSON and read back as the next plan's observed side. */
class StateFileTest {
    @TempDir
    Path dir;

    /** Every field set, auto ones left null, so that each survives the round trip. */
    static CloudSpec spec() {
        return new CloudSpec(
                List.of(new CloudSpec.Region("paris", "aws", "eu-west-3"), new CloudSpec.Region("lab", "local", null)),
                List.of(new CloudSpec.Rtt("paris", "lab", Duration.ofNanos(12_345_678))),
                List.of(
                        new CloudSpec.Vpc("pv", "paris", Prefix.parse("10.11.0.0/16"), "eu-west-3a", null),
                        new CloudSpec.Vpc(
                                "xv", "lab", Prefix.parse("10.12.0.0/16"), null, Prefix.parse("2001:db8:0:700::/56"))),
                List.of(
                        new CloudSpec.Host("pc", "pv", null, "t3.micro", null),
                        new CloudSpec.Host("xc", "xv", Addresses.parse("10.12.1.20"), "t3.micro", "ami-1 \"quoted\"")),
                List.of(
                        new CloudSpec.Router(
                                "pr", "pv", null, "m5.2xlarge", null, List.of(Prefix.parse("10.12.0.0/16"))),
                        new CloudSpec.Router(
                                "xr",
                                "xv",
                                Prefix.parse("2001:db8:0:7ff::/64"),
                                "m5.2xlarge",
                                null,
                                List.of(Prefix.parse("10.11.0.0/16"), Prefix.parse("2001:db8:0:100::/56")))));
    }

    @Test
    void anAppliedSpecReadsBackEqualSoThatTheNextPlanIsEmpty() throws Exception {
        Path state = dir.resolve("sub/quickstart.state.json");
        try (LocalProvider p = new LocalProvider(false)) {
            Deployment d = p.apply(p.plan(spec()));
            StateFile.write(state, "local", "quickstart.srv6", d);
        }
        String text = Files.readString(state);
        assertThat(text)
                .contains("\"srv6sh_state\": 1")
                .contains("\"backend\": \"local\"")
                .contains("ended with it")
                .contains("\"transit_address\": \"2001:db8:")
                .doesNotContainIgnoringCase("secret")
                .doesNotContainIgnoringCase("password");
        StateFile.State back = StateFile.read(state);
        assertThat(back.backend()).isEqualTo("local");
        assertThat(back.script()).isEqualTo("quickstart.srv6");
        assertThat(back.spec()).isEqualTo(spec());
        assertThat(Plan.between(back.spec(), spec()).isEmpty()).isTrue();
        assertThat(Plan.between(back.spec(), CloudSpec.empty()).summary())
                .isEqualTo("Plan: 0 to add, 0 to change, 9 to destroy.");
        assertThat(StateFile.delete(state)).isTrue();
        assertThat(StateFile.read(state)).isNull();
        assertThat(StateFile.delete(state)).isFalse();
    }

    @Test
    void aFileSrv6shDidNotWriteIsRefusedWithItsReason() throws Exception {
        Path f = dir.resolve("state.json");
        for (String bad : List.of(
                "",
                "{",
                "[1, 2]",
                "{\"srv6sh_state\": 2}",
                "{\"srv6sh_state\": 1, \"backend\": \"local\", \"applied\": \"yesterday\", \"spec\": {}}",
                "{\"srv6sh_state\": 1, \"backend\": \"local\", \"applied\": \"2026-01-01T00:00:00Z\","
                        + " \"spec\": {\"regions\": [{\"name\": 3}]}}",
                "\u0000\u0001garbage")) {
            Files.writeString(f, bad);
            assertThatThrownBy(() -> StateFile.read(f), bad)
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("is not one srv6sh wrote");
        }
    }

    @Test
    void planBetweenNamesCreatesReplacesAndDeletes() {
        CloudSpec s = spec();
        CloudSpec changed = new CloudSpec(
                s.regions(),
                List.of(),
                s.vpcs(),
                List.of(new CloudSpec.Host("pc", "pv", null, "t3.large", null)),
                s.routers());
        assertThat(Plan.between(s, changed).changes())
                .extracting(Plan.Change::toString)
                .containsExactly(
                        "-/+ host pc  (settings changed)", "- host xc", "- links rtt  (emulated round-trip times)");
        assertThat(Plan.between(CloudSpec.empty(), s).count(Plan.Action.CREATE)).isEqualTo(9);
    }
}
