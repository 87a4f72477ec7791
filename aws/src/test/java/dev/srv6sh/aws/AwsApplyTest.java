package dev.srv6sh.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.interpreter.ExitCode;
import dev.srv6sh.interpreter.Lifecycle;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;

/** {@code srv6sh apply scripts/quickstart.srv6 --backend aws} against moto_server, checked with the SDK. */
@ExtendWith(MotoServer.class)
class AwsApplyTest {
    @TempDir
    Path dir;

    private static Filter stack() {
        return Filter.builder().name("tag:srv6sh:stack").values("quickstart").build();
    }

    @Test
    void applyMakesTheQuickstartInBothRegions() throws Exception {
        Stack s = new Stack(dir);
        Stack.Run r = s.run(Lifecycle.Action.APPLY);
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.OK);
        String id = dev.srv6sh.cloud.StateFile.read(s.state).stackId();
        assertThat(id).matches("[0-9a-f]{8}");
        for (String region : List.of("eu-west-3", "eu-west-2")) {
            try (Ec2Client ec2 = Stack.ec2(region)) {
                List<Vpc> vpcs = ec2.describeVpcs(q -> q.filters(stack())).vpcs();
                assertThat(vpcs).as(region).hasSize(1);
                Vpc vpc = vpcs.getFirst();
                assertThat(vpc.cidrBlock()).isEqualTo(region.equals("eu-west-3") ? "10.11.0.0/16" : "10.12.0.0/16");
                Prefix block = Prefix.parse(
                        vpc.ipv6CidrBlockAssociationSet().getFirst().ipv6CidrBlock());
                assertThat(block.length()).isEqualTo(56);

                List<Subnet> subnets =
                        ec2.describeSubnets(q -> q.filters(stack())).subnets();
                assertThat(subnets).hasSize(3);
                Subnet transit = subnets.stream()
                        .filter(x -> !x.ipv6CidrBlockAssociationSet().isEmpty())
                        .findFirst()
                        .orElseThrow();
                Prefix t6 = Prefix.parse(
                        transit.ipv6CidrBlockAssociationSet().getFirst().ipv6CidrBlock());
                assertThat(t6).isEqualTo(block.subnet(8, 1));
                assertThat(transit.cidrBlock()).endsWith(".2.0/24");

                var igws = ec2.describeInternetGateways(q -> q.filters(stack())).internetGateways();
                assertThat(igws).hasSize(1);
                assertThat(igws.getFirst().attachments()).singleElement().satisfies(a -> assertThat(a.vpcId())
                        .isEqualTo(vpc.vpcId()));

                List<NetworkInterface> enis =
                        ec2.describeNetworkInterfaces(q -> q.filters(stack())).networkInterfaces();
                List<NetworkInterface> routerEnis = enis.stream()
                        .filter(e -> e.description() != null && e.description().contains(" router "))
                        .toList();
                assertThat(routerEnis).hasSize(3);
                assertThat(routerEnis)
                        .allSatisfy(e -> assertThat(e.sourceDestCheck()).isFalse());
                NetworkInterface transitEni = routerEnis.stream()
                        .filter(e -> e.subnetId().equals(transit.subnetId()))
                        .findFirst()
                        .orElseThrow();
                assertThat(transitEni.ipv6Addresses()).isNotEmpty();
                assertThat(transitEni.ipv6Addresses())
                        .allSatisfy(a -> assertThat(t6.contains(InetAddress.getByName(a.ipv6Address())))
                                .isTrue());
                NetworkInterface inside = routerEnis.stream()
                        .filter(e -> e.privateIpAddress().contains(".1.4"))
                        .findFirst()
                        .orElseThrow();

                var rtbs = ec2.describeRouteTables(q -> q.filters(stack())).routeTables();
                assertThat(rtbs).hasSize(1);
                String remote = region.equals("eu-west-3") ? "10.12.0.0/16" : "10.11.0.0/16";
                assertThat(rtbs.getFirst().routes())
                        .anySatisfy(rt -> {
                            assertThat(rt.destinationCidrBlock()).isEqualTo(remote);
                            assertThat(rt.networkInterfaceId()).isEqualTo(inside.networkInterfaceId());
                        })
                        .anySatisfy(rt -> assertThat(rt.destinationCidrBlock()).isEqualTo("0.0.0.0/0"))
                        .anySatisfy(
                                rt -> assertThat(rt.destinationIpv6CidrBlock()).isEqualTo("::/0"));
                assertThat(rtbs.getFirst().associations()).hasSize(3);

                List<Instance> instances = ec2.describeInstances(q -> q.filters(stack())).reservations().stream()
                        .flatMap(x -> x.instances().stream())
                        .toList();
                assertThat(instances).hasSize(2);
                Instance router = instances.stream()
                        .filter(i -> i.instanceTypeAsString().equals("m5.2xlarge"))
                        .findFirst()
                        .orElseThrow();
                assertThat(router.networkInterfaces()).hasSize(3);
                String userData = ec2.describeInstanceAttribute(
                                q -> q.instanceId(router.instanceId()).attribute("userData"))
                        .userData()
                        .value();
                assertThat(new String(Base64.getDecoder().decode(userData), StandardCharsets.UTF_8))
                        .startsWith(TestBootstrap.ROUTER_PREFIX)
                        .contains("srv6sh-router");
                assertThat(router.keyName()).isEqualTo("srv6sh-quickstart-" + id);
                assertThat(router.tags())
                        .anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("srv6sh:stack-id=" + id));
                assertThat(ec2.describeKeyPairs(q -> q.keyNames("srv6sh-quickstart-" + id))
                                .keyPairs())
                        .hasSize(1);

                List<SecurityGroup> groups =
                        ec2.describeSecurityGroups(q -> q.filters(stack())).securityGroups();
                assertThat(groups).hasSize(1);
                SecurityGroup sg = groups.getFirst();
                assertThat(sg.ipPermissions()).isNotEmpty();
                for (var p : sg.ipPermissions()) {
                    assertThat(p.ipRanges())
                            .noneSatisfy(x -> assertThat(x.cidrIp()).isEqualTo("0.0.0.0/0"));
                    assertThat(p.ipv6Ranges())
                            .noneSatisfy(x -> assertThat(x.cidrIpv6()).isEqualTo("::/0"));
                }
                // out to everywhere: HTTPS only (the bootstrap's downloads), never all traffic
                for (var p : sg.ipPermissionsEgress()) {
                    if (p.ipRanges().stream().anyMatch(x -> x.cidrIp().equals("0.0.0.0/0"))
                            || p.ipv6Ranges().stream()
                                    .anyMatch(x -> x.cidrIpv6().equals("::/0"))) {
                        assertThat(p.ipProtocol()).isEqualTo("tcp");
                        assertThat(p.fromPort()).isEqualTo(443);
                        assertThat(p.toPort()).isEqualTo(443);
                    }
                }
                assertThat(sg.ipPermissionsEgress()).anySatisfy(p -> assertThat(p.ipRanges())
                        .extracting(x -> x.cidrIp())
                        .contains("0.0.0.0/0"));
                for (int port : new int[] {22, Bootstrap.ROUTER_SSH_PORT}) {
                    assertThat(sg.ipPermissions()).anySatisfy(p -> {
                        assertThat(p.ipProtocol()).isEqualTo("tcp");
                        assertThat(p.fromPort()).isEqualTo(port);
                        assertThat(p.toPort()).isEqualTo(port);
                        assertThat(p.ipRanges()).extracting(x -> x.cidrIp()).containsExactly("127.0.0.1/32");
                    });
                }
                assertThat(sg.ipPermissions())
                        .anySatisfy(p -> assertThat(p.ipProtocol()).isEqualTo("43"));
            }
        }
        assertThat(r.out()).contains("SSH is opened to 127.0.0.1/32");
    }
}
