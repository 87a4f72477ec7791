package dev.srv6sh.aws;

import dev.srv6sh.cloud.ProviderException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.KeyPairInfo;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * What a stack has in one region, as EC2 describes it, by each resource's address in the stack
 * (its {@code srv6sh:resource} tag): one Describe call per kind of resource, filtered by the
 * stack's tag and its ID's ({@link Tags#STACK_ID}), so that another stack of the same name is not
 * seen at all. For a state written before stacks had IDs, only what the state records under the
 * same ID is kept: such a stack adopts nothing by its tags. Plan, apply and destroy all start from
 * one. Terminated instances are left out.
 */
final class Snapshot {
    final Map<String, Vpc> vpcs;
    final Map<String, Subnet> subnets;
    final Map<String, InternetGateway> igws;
    final Map<String, RouteTable> routeTables;
    final Map<String, SecurityGroup> groups;
    final Map<String, NetworkInterface> enis;
    final Map<String, Address> addresses;
    final Map<String, KeyPairInfo> keys;
    final Map<String, Instance> instances;

    private Snapshot(Ec2Client ec2, String stack, String stackId) throws ProviderException {
        List<Filter> f = stackId == null
                ? List.of(Tags.stackFilter(stack))
                : List.of(Tags.stackFilter(stack), Tags.idFilter(stackId));
        vpcs = index(
                AwsCall.call("ec2", "DescribeVpcs", () -> ec2.describeVpcsPaginator(r -> r.filters(f)).vpcs().stream()
                        .toList()),
                Vpc::tags);
        subnets = index(
                AwsCall.call(
                        "ec2",
                        "DescribeSubnets",
                        () -> ec2.describeSubnetsPaginator(r -> r.filters(f)).subnets().stream()
                                .toList()),
                Subnet::tags);
        igws = index(
                AwsCall.call(
                        "ec2",
                        "DescribeInternetGateways",
                        () -> ec2.describeInternetGatewaysPaginator(r -> r.filters(f)).internetGateways().stream()
                                .toList()),
                InternetGateway::tags);
        routeTables = index(
                AwsCall.call(
                        "ec2",
                        "DescribeRouteTables",
                        () -> ec2.describeRouteTablesPaginator(r -> r.filters(f)).routeTables().stream()
                                .toList()),
                RouteTable::tags);
        groups = index(
                AwsCall.call(
                        "ec2",
                        "DescribeSecurityGroups",
                        () -> ec2.describeSecurityGroupsPaginator(r -> r.filters(f)).securityGroups().stream()
                                .toList()),
                SecurityGroup::tags);
        enis = index(
                AwsCall.call(
                        "ec2",
                        "DescribeNetworkInterfaces",
                        () -> ec2.describeNetworkInterfacesPaginator(r -> r.filters(f)).networkInterfaces().stream()
                                .toList()),
                NetworkInterface::tagSet);
        addresses = index(
                AwsCall.call("ec2", "DescribeAddresses", () -> ec2.describeAddresses(r -> r.filters(f))
                        .addresses()),
                Address::tags);
        keys = index(
                AwsCall.call("ec2", "DescribeKeyPairs", () -> ec2.describeKeyPairs(r -> r.filters(f))
                        .keyPairs()),
                KeyPairInfo::tags);
        List<Filter> live = new java.util.ArrayList<>(f);
        live.add(Filter.builder()
                .name("instance-state-name")
                .values("pending", "running", "stopping", "stopped")
                .build());
        instances = index(
                AwsCall.call(
                        "ec2",
                        "DescribeInstances",
                        () -> ec2.describeInstancesPaginator(r -> r.filters(live)).reservations().stream()
                                .map(Reservation::instances)
                                .flatMap(List::stream)
                                .toList()),
                Instance::tags);
    }

    /** The resources of {@code state}'s stack in {@code ec2}'s region. */
    static Snapshot read(Ec2Client ec2, String stack, StackState state) throws ProviderException {
        Snapshot s = new Snapshot(ec2, stack, state.stackId());
        if (state.legacy()) {
            Map<String, String> ids = s.ids();
            Map<String, String> recorded = state.ids();
            s.forget(a -> !ids.get(a).equals(recorded.get(a)));
        }
        return s;
    }

    /** By address; of two with one address (only a crash between two creates could make that) the first. */
    private static <T> Map<String, T> index(List<T> items, Function<T, List<Tag>> tags) {
        Map<String, T> out = new LinkedHashMap<>();
        for (T t : items) {
            String a = Tags.value(tags.apply(t), Tags.RESOURCE);
            if (a != null) {
                out.putIfAbsent(a, t);
            }
        }
        return out;
    }

    /** Leaves out every resource whose address {@code which} selects (a plan of a {@code -/+} then sees it absent). */
    void forget(java.util.function.Predicate<String> which) {
        for (Map<String, ?> m : List.of(vpcs, subnets, igws, routeTables, groups, enis, addresses, keys, instances)) {
            m.keySet().removeIf(which);
        }
    }

    /** Whether a resource is at {@code address}. */
    boolean has(String address) {
        for (Map<String, ?> m : List.of(vpcs, subnets, igws, routeTables, groups, enis, addresses, keys, instances)) {
            if (m.containsKey(address)) {
                return true;
            }
        }
        return false;
    }

    /** Every owned resource's address and ID, for destroy and for the state. */
    Map<String, String> ids() {
        Map<String, String> out = new LinkedHashMap<>();
        vpcs.forEach((a, v) -> out.put(a, v.vpcId()));
        subnets.forEach((a, v) -> out.put(a, v.subnetId()));
        igws.forEach((a, v) -> out.put(a, v.internetGatewayId()));
        routeTables.forEach((a, v) -> out.put(a, v.routeTableId()));
        groups.forEach((a, v) -> out.put(a, v.groupId()));
        enis.forEach((a, v) -> out.put(a, v.networkInterfaceId()));
        addresses.forEach((a, v) -> out.put(a, v.allocationId()));
        keys.forEach((a, v) -> out.put(a, v.keyName()));
        instances.forEach((a, v) -> out.put(a, v.instanceId()));
        return out;
    }
}
