package dev.srv6sh.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.interpreter.ExitCode;
import dev.srv6sh.interpreter.Lifecycle;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Route;

/**
 * What the script no longer has, and what cannot change in place, on moto_server: the quickstart is
 * applied, then a variant of it; plan shows the {@code -} and {@code -/+} lines, apply makes exactly
 * those calls, the rest stays, and the plan after is empty. An apply that dies among the deletions
 * converges on the next.
 */
@ExtendWith(MotoServer.class)
class AwsRemovalTest {
    @TempDir
    Path dir;

    private static final String PARIS = "eu-west-3";
    private static final String LONDON = "eu-west-2";

    private static final String HEAD =
            """
            region paris  aws "eu-west-3"
            region london aws "eu-west-2"
            vpc pv in paris  { cidr 10.11.0.0/16 }
            vpc lv in london { cidr 10.12.0.0/16 }
            host pc in pv
            """;

    /** The quickstart without host lc: lr decapsulates nothing to it. */
    private static final String WITHOUT_LC = HEAD
            + """
            router pr in pv {
              locator auto
              sid dx4 End.DX4 nh pc
              policy to_london encap [lr.e]
              steer lv -> to_london
            }
            router lr in lv {
              locator auto
              sid e End
              policy to_paris encap [pr.dx4]
              steer pv -> to_paris
            }
            """;

    /** The quickstart without router lr, and so without the steering that led to it. */
    private static final String WITHOUT_LR = HEAD
            + """
            host lc in lv
            router pr in pv {
              locator auto
              sid dx4 End.DX4 nh pc
            }
            """;

    private static Filter stack() {
        return Filter.builder().name("tag:srv6sh:stack").values("quickstart").build();
    }

    private static Stack.Run ok(Stack.Run r) {
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.err()).as(r.toString()).doesNotContain("Exception").doesNotContain("\tat ");
        return r;
    }

    /** The mutating EC2 calls in a region (the routers' programs in the bucket are S3's, and may change). */
    private static List<String> mutating(String region) {
        return Recorder.calls().stream()
                .filter(c -> c.mutating() && c.service().equals("ec2") && region.equals(c.region()))
                .map(Recorder.Call::operation)
                .toList();
    }

    /** The stack's live instances in a region, by their srv6sh:resource tag. */
    private static Set<String> instances(Ec2Client ec2) {
        return ec2
                .describeInstances(q -> q.filters(
                        stack(),
                        Filter.builder()
                                .name("instance-state-name")
                                .values("pending", "running")
                                .build()))
                .reservations()
                .stream()
                .map(Reservation::instances)
                .flatMap(List::stream)
                .map(i -> Tags.value(i.tags(), Tags.RESOURCE))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> enis(Ec2Client ec2) {
        return ec2.describeNetworkInterfaces(q -> q.filters(stack())).networkInterfaces().stream()
                .map(n -> Tags.value(n.tagSet(), Tags.RESOURCE))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void aRemovedHostIsDeletedAndNothingElse() throws Exception {
        Stack s = new Stack(dir);
        ok(s.run(Lifecycle.Action.APPLY));
        Set<String> parisBefore;
        try (Ec2Client paris = Stack.ec2(PARIS)) {
            parisBefore = enis(paris);
        }
        Recorder.clear();
        Stack.Run plan = ok(s.run(Lifecycle.Action.PLAN, WITHOUT_LC));
        assertThat(Recorder.calls().stream().filter(Recorder.Call::mutating)).isEmpty();
        assertThat(plan.out())
                .contains("- instance host lc  (i-")
                .contains("no longer in the script)")
                .doesNotContain("+ ")
                .doesNotContain("-/+");
        assertThat(plan.out().lines().filter(l -> l.startsWith("- ")))
                .allSatisfy(l -> assertThat(l).matches("- (instance host lc|eni lc/primary) .*"));

        Recorder.clear();
        ok(s.run(Lifecycle.Action.APPLY, WITHOUT_LC));
        assertThat(mutating(PARIS)).isEmpty();
        assertThat(mutating(LONDON)).contains("TerminateInstances").allSatisfy(op -> assertThat(op)
                .isIn("TerminateInstances", "DeleteNetworkInterface"));
        try (Ec2Client paris = Stack.ec2(PARIS);
                Ec2Client london = Stack.ec2(LONDON)) {
            assertThat(instances(london)).containsExactly("router/lr");
            assertThat(instances(paris)).containsExactlyInAnyOrder("router/pr", "host/pc");
            assertThat(enis(london)).doesNotContain("eni/lc/primary").contains("eni/lr/inside");
            assertThat(enis(paris)).isEqualTo(parisBefore);
        }
        assertThat(java.nio.file.Files.readString(s.state))
                .doesNotContain("host/lc")
                .doesNotContain("eni/lc/");
        Recorder.clear();
        assertThat(ok(s.run(Lifecycle.Action.PLAN, WITHOUT_LC)).out()).contains("No changes.");
        Stack.Run again = ok(s.run(Lifecycle.Action.APPLY, WITHOUT_LC));
        assertThat(again.out()).contains("No changes.");
        assertThat(Recorder.calls().stream().filter(Recorder.Call::mutating)).isEmpty();
    }

    @Test
    void aRemovedRouterTakesItsInstanceEnisAddressAndRoutes() throws Exception {
        Stack s = new Stack(dir);
        ok(s.run(Lifecycle.Action.APPLY));
        Recorder.clear();
        Stack.Run plan = ok(s.run(Lifecycle.Action.PLAN, WITHOUT_LR));
        assertThat(plan.out())
                .contains("- instance router lr  (i-")
                .contains("- elastic-ip lr  (eipalloc-")
                .contains("- eni lr/management")
                .contains("- eni lr/inside")
                .contains("- eni lr/transit")
                .contains("- route lv 10.11.0.0/16  (-> eni lr/inside of router lr, no longer in the script)")
                .contains("- route pv 10.12.0.0/16  (-> eni pr/inside, no longer steered there by the script)")
                .doesNotContain("drift:")
                .doesNotContain("- instance router pr")
                .doesNotContain("host");

        Recorder.clear();
        // real EC2 keeps a terminated instance's ENIs in use for a while (moto does not): the first
        // two deletes are refused as EC2 refuses them, and the destroyer waits them out
        Recorder.refuse("DeleteNetworkInterface", 2, "InvalidNetworkInterface.InUse");
        ok(s.run(Lifecycle.Action.APPLY, WITHOUT_LR));
        List<String> london = mutating(LONDON);
        assertThat(london.stream().filter("DeleteNetworkInterface"::equals).count())
                .as("three ENIs, two refusals waited out")
                .isEqualTo(5);
        assertThat(london)
                .contains(
                        "DeleteRoute",
                        "TerminateInstances",
                        "DisassociateAddress",
                        "ReleaseAddress",
                        "DeleteNetworkInterface")
                .doesNotContain("RunInstances", "DeleteVpc", "DeleteSubnet", "DeleteRouteTable");
        assertThat(london.lastIndexOf("DeleteRoute")).isLessThan(london.indexOf("TerminateInstances"));
        assertThat(london.indexOf("TerminateInstances")).isLessThan(london.indexOf("ReleaseAddress"));
        assertThat(london.lastIndexOf("ReleaseAddress")).isLessThan(london.indexOf("DeleteNetworkInterface"));
        try (Ec2Client paris = Stack.ec2(PARIS);
                Ec2Client ldn = Stack.ec2(LONDON)) {
            assertThat(instances(ldn)).containsExactly("host/lc");
            assertThat(enis(ldn)).noneMatch(a -> a.startsWith("eni/lr/"));
            assertThat(ldn.describeAddresses(q -> q.filters(stack())).addresses())
                    .isEmpty();
            List<Route> routes = ldn.describeRouteTables(q -> q.filters(stack()))
                    .routeTables()
                    .getFirst()
                    .routes();
            assertThat(routes).noneMatch(r -> r.networkInterfaceId() != null);
            assertThat(instances(paris)).containsExactlyInAnyOrder("router/pr", "host/pc");
            assertThat(paris.describeAddresses(q -> q.filters(stack())).addresses())
                    .hasSize(1);
        }
        assertThat(ok(s.run(Lifecycle.Action.PLAN, WITHOUT_LR)).out()).contains("No changes.");
    }

    @Test
    void anApplyInterruptedAmongTheDeletionsConverges() throws Exception {
        Stack s = new Stack(dir);
        ok(s.run(Lifecycle.Action.APPLY));
        // dies right after AWS answered each kind of delete, before the state was written
        for (String op : List.of("TerminateInstances", "ReleaseAddress", "DeleteNetworkInterface")) {
            Recorder.crashAfter(op);
            Stack.Run crashed = s.run(Lifecycle.Action.APPLY, WITHOUT_LR);
            assertThat(crashed.code()).as(crashed.toString()).isEqualTo(ExitCode.RUNTIME_ERROR);
            assertThat(crashed.err()).contains("test crash after " + op).doesNotContain("\tat ");
            assertThat(java.nio.file.Files.readString(s.state))
                    .as("after " + op)
                    .contains("eni/lr/");
        }
        Recorder.reset();
        ok(s.run(Lifecycle.Action.APPLY, WITHOUT_LR));
        assertThat(ok(s.run(Lifecycle.Action.PLAN, WITHOUT_LR)).out()).contains("No changes.");
        try (Ec2Client ldn = Stack.ec2(LONDON)) {
            assertThat(instances(ldn)).containsExactly("host/lc");
            assertThat(enis(ldn)).noneMatch(a -> a.startsWith("eni/lr/"));
            assertThat(ldn.describeAddresses(q -> q.filters(stack())).addresses())
                    .isEmpty();
        }
        String state = java.nio.file.Files.readString(s.state);
        assertThat(state).doesNotContain("router/lr").doesNotContain("eni/lr/").doesNotContain("eip/lr");
        ok(s.run(Lifecycle.Action.DESTROY, WITHOUT_LR));
        assertThat(s.state).doesNotExist();
    }

    @Test
    void aChangedInstanceTypeReplacesTheRouterAndKeepsItsEnis() throws Exception {
        Stack s = new Stack(dir);
        ok(s.run(Lifecycle.Action.APPLY));
        String old;
        Set<String> enisBefore;
        try (Ec2Client paris = Stack.ec2(PARIS)) {
            old = router(paris).instanceId();
            enisBefore = router(paris).networkInterfaces().stream()
                    .map(n -> n.networkInterfaceId())
                    .collect(Collectors.toSet());
        }
        String larger = s.text.replace("router pr in pv {", "router pr in pv {\n  instance \"m5.large\"");
        Stack.Run plan = ok(s.run(Lifecycle.Action.PLAN, larger));
        assertThat(plan.out())
                .contains("-/+ instance router pr  (instance type m5.2xlarge -> m5.large forces replacement)")
                .contains("Plan: 0 to add, 1 to change, 0 to destroy.");
        Recorder.clear();
        ok(s.run(Lifecycle.Action.APPLY, larger));
        List<String> paris = mutating(PARIS);
        assertThat(paris.indexOf("TerminateInstances"))
                .isGreaterThanOrEqualTo(0)
                .isLessThan(paris.indexOf("RunInstances"));
        assertThat(mutating(LONDON)).isEmpty();
        try (Ec2Client ec2 = Stack.ec2(PARIS)) {
            Instance now = router(ec2);
            assertThat(now.instanceId()).isNotEqualTo(old);
            assertThat(now.instanceTypeAsString()).isEqualTo("m5.large");
            assertThat(now.networkInterfaces().stream().map(n -> n.networkInterfaceId()))
                    .containsExactlyInAnyOrderElementsOf(enisBefore);
        }
        assertThat(java.nio.file.Files.readString(s.state)).doesNotContain(old);
        assertThat(ok(s.run(Lifecycle.Action.PLAN, larger)).out()).contains("No changes.");
    }

    @Test
    void aChangedVpcCidrReplacesTheVpcAndEverythingInIt() throws Exception {
        Stack s = new Stack(dir);
        ok(s.run(Lifecycle.Action.APPLY));
        String oldVpc;
        try (Ec2Client paris = Stack.ec2(PARIS)) {
            oldVpc = paris.describeVpcs(q -> q.filters(stack()))
                    .vpcs()
                    .getFirst()
                    .vpcId();
        }
        String moved = s.text.replace("cidr 10.11.0.0/16", "cidr 10.21.0.0/16");
        Stack.Run plan = ok(s.run(Lifecycle.Action.PLAN, moved));
        String why = "vpc pv cidr 10.11.0.0/16 -> 10.21.0.0/16 forces replacement)";
        assertThat(plan.out())
                .contains("-/+ vpc pv  (" + oldVpc + "; " + why)
                .contains("-/+ subnet pv/transit")
                .contains("-/+ internet-gateway pv")
                .contains("-/+ route-table pv")
                .contains("-/+ security-group pv")
                .contains("-/+ eni pr/inside")
                .contains("-/+ elastic-ip pr")
                .contains("-/+ instance router pr")
                .contains("-/+ instance host pc")
                // lr's steering now attracts 10.21.0.0/16, and lv's group lets it in
                .contains("+ route lv 10.21.0.0/16  (-> eni lr/inside)")
                .contains("- route lv 10.11.0.0/16  (its VPC is removed or replaced, -> eni-")
                .contains("- sg-rule lv ingress tcp 0-65535 from 10.11.0.0/16  (its VPC is removed or replaced)")
                .contains("+ sg-rule lv ingress tcp 0-65535 from 10.21.0.0/16\n")
                .doesNotContain("drift:")
                .doesNotContain("elastic-ip pr  (drift")
                .doesNotContain("  + vpc pv")
                .doesNotContain("  + subnet pv/")
                .doesNotContain("drift: deleted outside srv6sh");
        Recorder.clear();
        ok(s.run(Lifecycle.Action.APPLY, moved));
        List<String> paris = mutating(PARIS);
        assertThat(paris.indexOf("DeleteVpc")).isGreaterThan(paris.lastIndexOf("TerminateInstances"));
        assertThat(paris.indexOf("CreateVpc")).isGreaterThan(paris.indexOf("DeleteVpc"));
        try (Ec2Client ec2 = Stack.ec2(PARIS)) {
            assertThat(ec2.describeVpcs(q -> q.filters(stack())).vpcs())
                    .singleElement()
                    .satisfies(v -> assertThat(v.cidrBlock()).isEqualTo("10.21.0.0/16"));
            assertThat(instances(ec2)).containsExactlyInAnyOrder("router/pr", "host/pc");
            assertThat(ec2.describeSubnets(q -> q.filters(stack())).subnets())
                    .hasSize(3)
                    .allSatisfy(n -> assertThat(n.cidrBlock()).startsWith("10.21."));
        }
        assertThat(java.nio.file.Files.readString(s.state)).doesNotContain(oldVpc);
        assertThat(ok(s.run(Lifecycle.Action.PLAN, moved)).out()).contains("No changes.");
    }

    @Test
    void aRegionLeftLosesEverythingThereAndItsKeyPair() throws Exception {
        Stack s = new Stack(dir);
        ok(s.run(Lifecycle.Action.APPLY));
        String parisOnly =
                """
                region paris aws "eu-west-3"
                vpc pv in paris { cidr 10.11.0.0/16 }
                host pc in pv
                router pr in pv {
                  locator auto
                  sid dx4 End.DX4 nh pc
                }
                """;
        Stack.Run plan = ok(s.run(Lifecycle.Action.PLAN, parisOnly));
        assertThat(plan.out())
                .contains("- vpc lv")
                .contains("- key-pair eu-west-2")
                .contains("- instance router lr")
                .contains("- instance host lc")
                .contains("- route pv 10.12.0.0/16  (its VPC is removed or replaced")
                .contains("- sg-rule pv ingress tcp 0-65535 from 10.12.0.0/16  (its VPC is removed or replaced)")
                .doesNotContain("drift:")
                .doesNotContain("key-pair eu-west-3");
        ok(s.run(Lifecycle.Action.APPLY, parisOnly));
        try (Ec2Client ldn = Stack.ec2(LONDON)) {
            assertThat(ldn.describeVpcs(q -> q.filters(stack())).vpcs()).isEmpty();
            assertThat(ldn.describeKeyPairs(q -> q.filters(stack())).keyPairs()).isEmpty();
            assertThat(instances(ldn)).isEmpty();
        }
        try (Ec2Client paris = Stack.ec2(PARIS)) {
            assertThat(instances(paris)).containsExactlyInAnyOrder("router/pr", "host/pc");
            assertThat(paris.describeKeyPairs(q -> q.filters(stack())).keyPairs())
                    .hasSize(1);
        }
        assertThat(ok(s.run(Lifecycle.Action.PLAN, parisOnly)).out()).contains("No changes.");
    }

    private static Instance router(Ec2Client ec2) {
        return ec2.describeInstances(q -> q.filters(
                        stack(),
                        Filter.builder()
                                .name("tag:srv6sh:resource")
                                .values("router/pr")
                                .build(),
                        Filter.builder()
                                .name("instance-state-name")
                                .values("pending", "running")
                                .build()))
                .reservations()
                .getFirst()
                .instances()
                .getFirst();
    }
}
