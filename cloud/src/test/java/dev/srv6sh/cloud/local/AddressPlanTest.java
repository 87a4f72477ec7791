package dev.srv6sh.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.Prefix;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressPlanTest {
    static CloudSpec twoVpcs() {
        return new CloudSpec(
                List.of(
                        new CloudSpec.Region("paris", "aws", "eu-west-3"),
                        new CloudSpec.Region("london", "aws", "eu-west-2")),
                List.of(),
                List.of(
                        new CloudSpec.Vpc("pv", "paris", Prefix.parse("10.11.0.0/16"), null, null),
                        new CloudSpec.Vpc("lv", "london", Prefix.parse("10.12.0.0/16"), null, null)),
                List.of(
                        new CloudSpec.Host("pc", "pv", null, "t3.micro", null),
                        new CloudSpec.Host("lc", "lv", null, "t3.micro", null)),
                List.of(
                        new CloudSpec.Router(
                                "pr", "pv", null, "m5.2xlarge", null, List.of(Prefix.parse("10.12.0.0/16"))),
                        new CloudSpec.Router(
                                "lr", "lv", null, "m5.2xlarge", null, List.of(Prefix.parse("10.11.0.0/16")))));
    }

    @Test
    void numbersVpcsSubnetsRoutersAndHostsAsDocumented() throws ProviderException {
        AddressPlan plan = new AddressPlan(twoVpcs());
        assertThat(plan.vpc("pv").ipv6()).hasToString("2001:db8:0:100::/56");
        assertThat(plan.vpc("lv").ipv6()).hasToString("2001:db8:0:200::/56");
        assertThat(plan.vpc("pv").inside()).hasToString("10.11.1.0/24");
        assertThat(plan.vpc("pv").transit()).hasToString("2001:db8:0:101::/64");
        assertThat(Addresses.format(plan.host("pc"))).isEqualTo("10.11.1.10");
        assertThat(Addresses.format(plan.routerInside("pr"))).isEqualTo("10.11.1.4");
        assertThat(Addresses.format(plan.routerTransit("lr"))).isEqualTo("2001:db8:0:201::4");
        assertThat(plan.locator("pr")).hasToString("2001:db8:0:101:1::/80");
    }

    @Test
    void aHostAddressOutsideItsVpcIsRefused() {
        CloudSpec s = twoVpcs();
        CloudSpec bad = new CloudSpec(
                s.regions(),
                s.rtts(),
                s.vpcs(),
                List.of(new CloudSpec.Host("pc", "pv", Addresses.parse("10.99.0.1"), "t3.micro", null)),
                List.of());
        assertThatThrownBy(() -> new AddressPlan(bad))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("outside its VPC");
    }

    @Test
    void publicAddressesComeFromDocumentationSpaceAndAvoidVpcCidrs() throws ProviderException {
        AddressPlan plan = new AddressPlan(twoVpcs());
        assertThat(Addresses.format(plan.publicAddress("pc"))).isEqualTo("198.51.100.1");
        assertThat(Addresses.format(plan.publicAddress("lc"))).isEqualTo("198.51.100.2");
        CloudSpec inTheWay = new CloudSpec(
                List.of(new CloudSpec.Region("a", "local", null)),
                List.of(),
                List.of(new CloudSpec.Vpc("v", "a", Prefix.parse("198.51.100.0/24"), null, null)),
                List.of(new CloudSpec.Host("h", "v", null, "", null)),
                List.of());
        assertThat(Addresses.format(new AddressPlan(inTheWay).publicAddress("h")))
                .isEqualTo("203.0.113.1");
    }
}
