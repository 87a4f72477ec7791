package dev.srv6sh.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.cloud.StateLock;
import dev.srv6sh.interpreter.ExitCode;
import dev.srv6sh.interpreter.Lifecycle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AssignIpv6AddressesRequest;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.CreateNetworkInterfaceRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The life cycle on moto_server, as Terraform's acceptance tests check a provider: plan after apply is
 * empty, a second apply makes no mutating call, drift shows in plan and apply repairs it, destroy
 * deletes only what the stack owns in dependency order, and every call made is in the IAM policy.
 */
@ExtendWith(MotoServer.class)
class AwsLifecycleTest {
    @TempDir
    Path dir;

    private static final String PARIS = "eu-west-3";
    private static final String LONDON = "eu-west-2";

    private static Filter stack() {
        return Filter.builder().name("tag:srv6sh:stack").values("quickstart").build();
    }

    private static Stack.Run ok(Stack.Run r) {
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.err()).as(r.toString()).doesNotContain("Exception").doesNotContain("\tat ");
        return r;
    }

    private static RouteTable routeTable(Ec2Client ec2) {
        return ec2.describeRouteTables(q -> q.filters(stack())).routeTables().getFirst();
    }

    private static NetworkInterface eni(Ec2Client ec2, String address) {
        return ec2.describeNetworkInterfaces(q -> q.filters(
                        stack(),
                        Filter.builder()
                                .name("tag:srv6sh:resource")
                                .values(address)
                                .build()))
                .networkInterfaces()
                .getFirst();
    }

    private static String taggedVpc(Ec2Client ec2, String cidr, String stackId, String address) {
        return ec2.createVpc(q -> q.cidrBlock(cidr).tagSpecifications(t -> t.resourceType(ResourceType.VPC)
                        .tags(
                                Tag.builder()
                                        .key("srv6sh:stack")
                                        .value("quickstart")
                                        .build(),
                                Tag.builder()
                                        .key("srv6sh:stack-id")
                                        .value(stackId)
                                        .build(),
                                Tag.builder()
                                        .key("srv6sh:resource")
                                        .value(address)
                                        .build())))
                .vpc()
                .vpcId();
    }

    @Test
    void applyPlanDriftRepairDestroy() throws Exception {
        Stack s = new Stack(dir);
        Set<String> recorded = new TreeSet<>();
        ok(s.run(Lifecycle.Action.APPLY));
        recorded.addAll(names(Recorder.calls()));

        // the /80 prefix was asked for, and (moto drops it) the fallback's addresses are there
        assertThat(Recorder.calls()).anySatisfy(c -> assertThat(c.request())
                .isInstanceOfSatisfying(CreateNetworkInterfaceRequest.class, q -> assertThat(q.ipv6Prefixes())
                        .singleElement()
                        .satisfies(p -> assertThat(p.ipv6Prefix()).endsWith("::/80"))));
        assertThat(Recorder.calls()).anySatisfy(c -> assertThat(c.request())
                .isInstanceOfSatisfying(AssignIpv6AddressesRequest.class, q -> assertThat(q.ipv6Prefixes())
                        .singleElement()
                        .satisfies(p -> assertThat(p).endsWith("::/80"))));

        // plan right after: empty; a second apply: no mutating call at all
        Recorder.clear();
        assertThat(ok(s.run(Lifecycle.Action.PLAN)).out()).contains("No changes.");
        Stack.Run again = ok(s.run(Lifecycle.Action.APPLY));
        assertThat(again.out()).contains("No changes.");
        recorded.addAll(names(Recorder.calls()));
        assertThat(Recorder.calls().stream().filter(Recorder.Call::mutating).map(Recorder.Call::name))
                .as("mutating calls of a second apply")
                .isEmpty();

        // drift behind srv6sh's back
        try (Ec2Client paris = Stack.ec2(PARIS);
                Ec2Client london = Stack.ec2(LONDON)) {
            RouteTable rt = routeTable(paris);
            paris.deleteRoute(q -> q.routeTableId(rt.routeTableId()).destinationCidrBlock("10.12.0.0/16"));
            paris.createRoute(q -> q.routeTableId(rt.routeTableId())
                    .destinationCidrBlock("198.51.100.0/24")
                    .networkInterfaceId(eni(paris, "eni/pr/inside").networkInterfaceId()));
            RouteTable rl = routeTable(london);
            london.replaceRoute(q -> q.routeTableId(rl.routeTableId())
                    .destinationCidrBlock("10.11.0.0/16")
                    .networkInterfaceId(eni(london, "eni/lr/management").networkInterfaceId()));
            String sg = paris.describeSecurityGroups(q -> q.filters(stack()))
                    .securityGroups()
                    .getFirst()
                    .groupId();
            paris.authorizeSecurityGroupIngress(q -> q.groupId(sg)
                    .ipPermissions(IpPermission.builder()
                            .ipProtocol("tcp")
                            .fromPort(80)
                            .toPort(80)
                            .ipRanges(
                                    IpRange.builder().cidrIp("198.51.100.0/24").build())
                            .build()));
            paris.revokeSecurityGroupIngress(q -> q.groupId(sg)
                    .ipPermissions(IpPermission.builder()
                            .ipProtocol("tcp")
                            .fromPort(22)
                            .toPort(22)
                            .ipRanges(IpRange.builder().cidrIp("127.0.0.1/32").build())
                            .build()));
            paris.modifyNetworkInterfaceAttribute(q -> q.networkInterfaceId(
                            eni(paris, "eni/pr/transit").networkInterfaceId())
                    .sourceDestCheck(AttributeBooleanValue.builder().value(true).build()));
        }
        Recorder.clear();
        Stack.Run drift = ok(s.run(Lifecycle.Action.PLAN));
        assertThat(Recorder.calls().stream().filter(Recorder.Call::mutating)).isEmpty();
        assertThat(drift.out())
                .contains("+ route pv 10.12.0.0/16  (-> eni pr/inside; drift: missing)")
                .contains("- route pv 198.51.100.0/24")
                .contains("~ route lv 10.11.0.0/16  (drift: -> eni-")
                .contains("- sg-rule pv ingress tcp 80 from 198.51.100.0/24  (drift: not srv6sh's)")
                .contains("+ sg-rule pv ingress tcp 22 from 127.0.0.1/32  (drift: missing)")
                .contains("~ eni pr/transit  (drift: source/destination check back on -> off)")
                .contains("Plan: 2 to add, 2 to change, 2 to destroy.");
        ok(s.run(Lifecycle.Action.APPLY));
        recorded.addAll(names(Recorder.calls()));
        try (Ec2Client paris = Stack.ec2(PARIS);
                Ec2Client london = Stack.ec2(LONDON)) {
            assertThat(routeTable(paris).routes())
                    .anySatisfy(r -> {
                        assertThat(r.destinationCidrBlock()).isEqualTo("10.12.0.0/16");
                        assertThat(r.networkInterfaceId())
                                .isEqualTo(eni(paris, "eni/pr/inside").networkInterfaceId());
                    })
                    .noneSatisfy(r -> assertThat(r.destinationCidrBlock()).isEqualTo("198.51.100.0/24"));
            assertThat(routeTable(london).routes()).anySatisfy(r -> {
                assertThat(r.destinationCidrBlock()).isEqualTo("10.11.0.0/16");
                assertThat(r.networkInterfaceId())
                        .isEqualTo(eni(london, "eni/lr/inside").networkInterfaceId());
            });
            assertThat(eni(paris, "eni/pr/transit").sourceDestCheck()).isFalse();
        }
        Recorder.clear();
        assertThat(ok(s.run(Lifecycle.Action.PLAN)).out()).contains("No changes.");
        recorded.addAll(names(Recorder.calls()));

        // destroy: only the stack's, in dependency order; an untagged VPC, the default VPC, a
        // resource that carries the stack's tags without being in its state and one of another
        // stack of the same name (another ID) stay
        String untagged;
        String stray;
        String others;
        String id = dev.srv6sh.cloud.StateFile.read(s.state).stackId();
        try (Ec2Client paris = Stack.ec2(PARIS)) {
            untagged = paris.createVpc(q -> q.cidrBlock("192.0.2.0/24")).vpc().vpcId();
            stray = taggedVpc(paris, "198.51.100.0/24", id, "vpc/stray");
            others = taggedVpc(paris, "203.0.113.0/24", "0badc0de", "vpc/pv");
        }
        Recorder.clear();
        Stack.Run destroyed = ok(s.run(Lifecycle.Action.DESTROY));
        List<Recorder.Call> calls = Recorder.calls();
        recorded.addAll(names(calls));
        assertThat(destroyed.out())
                .contains("- vpc pv")
                .contains("- instance router pr")
                .contains("left alone: vpc/stray")
                .doesNotContain(others);
        for (String region : List.of(PARIS, LONDON)) {
            List<String> order = calls.stream()
                    .filter(c -> region.equals(c.region()) && c.mutating())
                    .map(Recorder.Call::operation)
                    .toList();
            assertThat(order).as(region).isNotEmpty();
            inOrder(order, "TerminateInstances", "DisassociateAddress", "ReleaseAddress");
            inOrder(
                    order,
                    "TerminateInstances",
                    "DeleteNetworkInterface",
                    "DeleteRouteTable",
                    "DetachInternetGateway",
                    "DeleteInternetGateway",
                    "DeleteSubnet",
                    "DeleteSecurityGroup",
                    "DeleteVpc");
            inOrder(order, "DisassociateRouteTable", "DeleteRouteTable");
            inOrder(order, "DisassociateAddress", "DeleteNetworkInterface");
        }
        List<String> s3 = calls.stream()
                .filter(c -> c.service().equals("s3") && c.mutating())
                .map(Recorder.Call::operation)
                .toList();
        inOrder(s3, "DeleteObjects", "DeleteBucket");
        try (Ec2Client paris = Stack.ec2(PARIS);
                Ec2Client london = Stack.ec2(LONDON)) {
            for (Ec2Client ec2 : List.of(paris, london)) {
                assertThat(ec2.describeInstances(q -> q.filters(
                                        stack(),
                                        Filter.builder()
                                                .name("instance-state-name")
                                                .values("pending", "running", "stopping", "stopped")
                                                .build()))
                                .reservations())
                        .isEmpty();
                assertThat(ec2.describeSubnets(q -> q.filters(stack())).subnets())
                        .isEmpty();
                assertThat(ec2.describeInternetGateways(q -> q.filters(stack())).internetGateways())
                        .isEmpty();
                assertThat(ec2.describeRouteTables(q -> q.filters(stack())).routeTables())
                        .isEmpty();
                assertThat(ec2.describeSecurityGroups(q -> q.filters(stack())).securityGroups())
                        .isEmpty();
                assertThat(ec2.describeAddresses(q -> q.filters(stack())).addresses())
                        .isEmpty();
                assertThat(ec2.describeKeyPairs(q -> q.filters(stack())).keyPairs())
                        .isEmpty();
                assertThat(ec2.describeNetworkInterfaces(q -> q.filters(stack())).networkInterfaces().stream()
                                .map(n -> n.tagSet().toString()))
                        .isEmpty();
                assertThat(ec2.describeVpcs(q -> q.filters(Filter.builder()
                                        .name("is-default")
                                        .values("true")
                                        .build()))
                                .vpcs())
                        .hasSize(1);
            }
            assertThat(paris.describeVpcs(q -> q.filters(stack())).vpcs())
                    .extracting(v -> v.vpcId())
                    .containsExactlyInAnyOrder(stray, others);
            assertThat(paris.describeVpcs(q -> q.vpcIds(untagged)).vpcs()).hasSize(1);
        }
        try (var s3c = Stack.s3(PARIS)) {
            assertThat(s3c.listBuckets().buckets()).isEmpty();
        }
        assertThat(s.state).doesNotExist();
        assertThat(StateLock.fileOf(s.state)).doesNotExist();

        // every call made is in the policy; every action of the policy was made, or says why moto cannot show it
        assertThat(recorded).isSubsetOf(AwsActions.calls());
        Map<String, AwsActions.Action> listed =
                AwsActions.ALL.stream().collect(Collectors.toMap(AwsActions.Action::call, a -> a));
        List<String> unshown = new ArrayList<>();
        listed.forEach((call, a) -> {
            if (!recorded.contains(call) && a.moto() == null) {
                unshown.add(call);
            }
        });
        assertThat(unshown).as("listed, never called, and no reason given").isEmpty();
    }

    private static Set<String> names(List<Recorder.Call> calls) {
        return calls.stream().map(Recorder.Call::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Each of {@code ops} that occurs, occurs (all its calls) after all calls of the ones before it. */
    private static void inOrder(List<String> order, String... ops) {
        int lastOfPrevious = -1;
        String previous = null;
        for (String op : ops) {
            int first = order.indexOf(op);
            if (first < 0) {
                continue;
            }
            assertThat(first)
                    .as(op + " after every " + previous + " in " + order)
                    .isGreaterThan(lastOfPrevious);
            lastOfPrevious = order.lastIndexOf(op);
            previous = op;
        }
    }

    @Test
    void anInterruptedApplyConvergesAndALockIsHonoured() throws Exception {
        Stack s = new Stack(dir);
        // a live holder: refused, naming it, and nothing is made
        Path lock = StateLock.fileOf(s.state);
        Files.writeString(
                lock,
                "{\"pid\": " + ProcessHandle.current().pid() + ", \"host\": \""
                        + java.net.InetAddress.getLocalHost().getHostName()
                        + "\", \"time\": \"2026-12-07T10:00:00Z\", \"operation\": \"apply\"}\n");
        Stack.Run refused = s.run(Lifecycle.Action.APPLY);
        assertThat(refused.code()).isEqualTo(ExitCode.RUNTIME_ERROR);
        assertThat(refused.err())
                .contains("is locked by process " + ProcessHandle.current().pid())
                .contains("(apply since 2026-12-07T10:00:00Z)")
                .doesNotContain("\tat ");
        assertThat(Recorder.calls().stream().filter(Recorder.Call::mutating)).isEmpty();

        // a dead holder on this host: taken over, and said
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(
                lock,
                "{\"pid\": " + gone.pid() + ", \"host\": \""
                        + java.net.InetAddress.getLocalHost().getHostName()
                        + "\", \"time\": \"2026-12-07T10:00:00Z\", \"operation\": \"apply\"}\n");
        // ... by an apply that dies after its 25th mutating call, once AWS made the thing
        Recorder.crashAfter(25);
        Stack.Run crashed = s.run(Lifecycle.Action.APPLY);
        assertThat(crashed.code()).as(crashed.toString()).isEqualTo(ExitCode.RUNTIME_ERROR);
        assertThat(crashed.out()).contains("took over the stale lock").contains("process " + gone.pid());
        assertThat(crashed.err()).startsWith("srv6sh: ").contains("test crash").doesNotContain("\tat ");
        assertThat(lock).doesNotExist();
        assertThat(s.state).exists();

        // and again, right after a RunInstances (which moto does not deduplicate by client token)
        Recorder.crashAfter("RunInstances");
        Stack.Run crashed2 = s.run(Lifecycle.Action.APPLY);
        assertThat(crashed2.code()).as(crashed2.toString()).isEqualTo(ExitCode.RUNTIME_ERROR);
        Stack.Run done = ok(s.run(Lifecycle.Action.APPLY));
        assertThat(done.out()).contains("Apply complete");
        assertThat(ok(s.run(Lifecycle.Action.PLAN)).out()).contains("No changes.");
        try (Ec2Client paris = Stack.ec2(PARIS);
                Ec2Client london = Stack.ec2(LONDON)) {
            for (Ec2Client ec2 : List.of(paris, london)) {
                assertThat(ec2.describeVpcs(q -> q.filters(stack())).vpcs()).hasSize(1);
                assertThat(ec2.describeSubnets(q -> q.filters(stack())).subnets())
                        .hasSize(3);
                assertThat(ec2.describeInternetGateways(q -> q.filters(stack())).internetGateways())
                        .hasSize(1);
                assertThat(ec2.describeRouteTables(q -> q.filters(stack())).routeTables())
                        .hasSize(1);
                assertThat(ec2.describeSecurityGroups(q -> q.filters(stack())).securityGroups())
                        .hasSize(1);
                assertThat(ec2.describeAddresses(q -> q.filters(stack())).addresses())
                        .hasSize(1);
                assertThat(ec2.describeKeyPairs(q -> q.filters(stack())).keyPairs())
                        .hasSize(1);
                assertThat(ec2
                                .describeInstances(q -> q.filters(
                                        stack(),
                                        Filter.builder()
                                                .name("instance-state-name")
                                                .values("pending", "running")
                                                .build()))
                                .reservations()
                                .stream()
                                .mapToInt(r -> r.instances().size())
                                .sum())
                        .isEqualTo(2);
            }
        }

        // nothing written holds a credential
        Files.writeString(lock, "");
        Files.delete(lock);
        try (StateLock held = StateLock.acquire(s.state, "apply")) {
            for (Path f : List.of(s.state, lock)) {
                String text = Files.readString(f);
                assertThat(text)
                        .as(f.toString())
                        .doesNotContainIgnoringCase("testing")
                        .doesNotContainIgnoringCase("secret")
                        .doesNotContainIgnoringCase("X-Amz-")
                        .doesNotContainPattern("AKIA[0-9A-Z]{12,}")
                        .doesNotContainPattern("[A-Za-z0-9/+]{40}");
            }
        }
    }
}
