package dev.srv6sh.aws;

import dev.srv6sh.cloud.Plan;
import dev.srv6sh.cloud.ProviderException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * Deletes what a stack owns in one region: a resource goes only when it carries the stack's tag
 * and ID (the {@link Snapshot} has only those) AND the state records it under the same ID, and never a
 * default VPC. In dependency order, as real EC2 requires it (moto does not check): instances, then
 * (once terminated) Elastic IPs and ENIs, route tables, the gateway (detached first), subnets,
 * the security group, the VPC, the key pair. What is already gone is no error.
 */
final class Destroyer {
    private final String stack;
    private final StackState state;
    private final AwsClients.Regional c;
    private final Snapshot snap;
    private final Reconciler rec;
    private final Predicate<String> which;
    private final Plan.Action action;
    private final String why;
    /** Tagged but not in the state: left alone, and said. */
    final List<String> orphans = new ArrayList<>();

    /** The whole stack in this region, as destroy deletes it. */
    Destroyer(String stack, StackState state, AwsClients.Regional c, Snapshot snap, Reconciler rec) {
        this(stack, state, c, snap, rec, a -> true, Plan.Action.DELETE, null);
    }

    /**
     * Only the addresses {@code which} selects: what the script no longer has ({@code DELETE}), or
     * what a change that cannot be made in place takes down to make again ({@code REPLACE}, planned
     * as {@code -/+}); {@code why} is said in the plan. Apply then removes them from the snapshot as
     * well, so that the reconciler sees them gone.
     */
    Destroyer(
            String stack,
            StackState state,
            AwsClients.Regional c,
            Snapshot snap,
            Reconciler rec,
            Predicate<String> which,
            Plan.Action action,
            String why) {
        this.stack = stack;
        this.state = state;
        this.c = c;
        this.snap = snap;
        this.rec = rec;
        this.which = which;
        this.action = action;
        this.why = why;
    }

    /** The resources of {@code kind} that are this stack's to delete, by address. */
    private <T> Map<String, T> owned(Map<String, T> tagged, java.util.function.Function<T, String> id) {
        Map<String, T> out = new LinkedHashMap<>();
        tagged.forEach((address, t) -> {
            if (!which.test(address)) {
                return;
            }
            if (id.apply(t).equals(state.id(address))) {
                out.put(address, t);
            } else {
                orphans.add(address + " " + id.apply(t) + " in " + c.region());
            }
        });
        return out;
    }

    /** Says (planning) or does the deletions. */
    void run(boolean apply) throws ProviderException {
        Map<String, Instance> instances = owned(snap.instances, Instance::instanceId);
        Map<String, Address> eips = owned(snap.addresses, Address::allocationId);
        Map<String, NetworkInterface> enis = owned(snap.enis, NetworkInterface::networkInterfaceId);
        Map<String, RouteTable> rtbs = owned(snap.routeTables, RouteTable::routeTableId);
        Map<String, InternetGateway> igws = owned(snap.igws, InternetGateway::internetGatewayId);
        Map<String, software.amazon.awssdk.services.ec2.model.Subnet> subnets =
                owned(snap.subnets, software.amazon.awssdk.services.ec2.model.Subnet::subnetId);
        Map<String, software.amazon.awssdk.services.ec2.model.SecurityGroup> groups =
                owned(snap.groups, software.amazon.awssdk.services.ec2.model.SecurityGroup::groupId);
        Map<String, Vpc> vpcs = owned(snap.vpcs, Vpc::vpcId);
        vpcs.values().removeIf(v -> Boolean.TRUE.equals(v.isDefault()));
        Map<String, software.amazon.awssdk.services.ec2.model.KeyPairInfo> keys =
                owned(snap.keys, software.amazon.awssdk.services.ec2.model.KeyPairInfo::keyName);
        BiConsumer<String, String> say = (kind, address) -> {
            String name =
                    kind.equals("instance") ? address.replace('/', ' ') : address.substring(address.indexOf('/') + 1);
            rec.change(action, kind, name, why == null ? state.id(address) : state.id(address) + "; " + why);
            if (action == Plan.Action.REPLACE) {
                rec.replaced.add(kind + " " + name);
                rec.replaced.add(address);
            }
        };
        instances.keySet().forEach(a -> say.accept("instance", a));
        eips.keySet().forEach(a -> say.accept("elastic-ip", a));
        enis.keySet().forEach(a -> say.accept("eni", a));
        rtbs.keySet().forEach(a -> say.accept("route-table", a));
        igws.keySet().forEach(a -> say.accept("internet-gateway", a));
        subnets.keySet().forEach(a -> say.accept("subnet", a));
        groups.keySet().forEach(a -> say.accept("security-group", a));
        vpcs.keySet().forEach(a -> say.accept("vpc", a));
        keys.keySet().forEach(a -> say.accept("key-pair", a));
        if (!apply) {
            return;
        }
        delete(instances, eips, enis, rtbs, igws, subnets, groups, vpcs, keys);
    }

    private void delete(
            Map<String, Instance> instances,
            Map<String, Address> eips,
            Map<String, NetworkInterface> enis,
            Map<String, RouteTable> rtbs,
            Map<String, InternetGateway> igws,
            Map<String, software.amazon.awssdk.services.ec2.model.Subnet> subnets,
            Map<String, software.amazon.awssdk.services.ec2.model.SecurityGroup> groups,
            Map<String, Vpc> vpcs,
            Map<String, software.amazon.awssdk.services.ec2.model.KeyPairInfo> keys)
            throws ProviderException {
        var ec2 = c.ec2();
        if (!instances.isEmpty()) {
            List<String> ids =
                    instances.values().stream().map(Instance::instanceId).toList();
            gone("ec2", "TerminateInstances", () -> ec2.terminateInstances(r -> r.instanceIds(ids)));
            AwsCall.call("ec2", "DescribeInstances", () -> ec2.waiter()
                    .waitUntilInstanceTerminated(
                            software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest.builder()
                                    .instanceIds(ids)
                                    .build(),
                            rec.waiter()));
            for (String a : instances.keySet()) {
                state.remove(a);
                state.remove("token/" + a);
                snap.instances.remove(a);
            }
        }
        for (Map.Entry<String, Address> e : eips.entrySet()) {
            Address a = e.getValue();
            if (a.associationId() != null) {
                gone(
                        "ec2",
                        "DisassociateAddress",
                        () -> ec2.disassociateAddress(r -> r.associationId(a.associationId())));
            }
            gone("ec2", "ReleaseAddress", () -> ec2.releaseAddress(r -> r.allocationId(a.allocationId())));
            state.remove(e.getKey());
            snap.addresses.remove(e.getKey());
        }
        for (Map.Entry<String, NetworkInterface> e : enis.entrySet()) {
            NetworkInterface n = e.getValue();
            if (n.attachment() != null
                    && n.attachment().attachmentId() != null
                    && !"detached".equals(n.attachment().statusAsString())
                    && !Integer.valueOf(0).equals(n.attachment().deviceIndex())) {
                // EC2 detaches an ENI from a terminated instance by itself; moto does not
                String att = n.attachment().attachmentId();
                gone(
                        "ec2",
                        "DetachNetworkInterface",
                        () -> ec2.detachNetworkInterface(
                                r -> r.attachmentId(att).force(true)));
            }
            deleteEni(ec2, n.networkInterfaceId());
            state.remove(e.getKey());
            snap.enis.remove(e.getKey());
        }
        for (Map.Entry<String, RouteTable> e : rtbs.entrySet()) {
            for (RouteTableAssociation a : e.getValue().associations()) {
                if (!Boolean.TRUE.equals(a.main()) && a.routeTableAssociationId() != null) {
                    gone(
                            "ec2",
                            "DisassociateRouteTable",
                            () -> ec2.disassociateRouteTable(r -> r.associationId(a.routeTableAssociationId())));
                }
            }
            gone(
                    "ec2",
                    "DeleteRouteTable",
                    () -> ec2.deleteRouteTable(r -> r.routeTableId(e.getValue().routeTableId())));
            state.remove(e.getKey());
            snap.routeTables.remove(e.getKey());
        }
        for (Map.Entry<String, InternetGateway> e : igws.entrySet()) {
            String id = e.getValue().internetGatewayId();
            for (var a : e.getValue().attachments()) {
                gone(
                        "ec2",
                        "DetachInternetGateway",
                        () -> ec2.detachInternetGateway(
                                r -> r.internetGatewayId(id).vpcId(a.vpcId())));
            }
            gone("ec2", "DeleteInternetGateway", () -> ec2.deleteInternetGateway(r -> r.internetGatewayId(id)));
            state.remove(e.getKey());
            snap.igws.remove(e.getKey());
        }
        for (Map.Entry<String, software.amazon.awssdk.services.ec2.model.Subnet> e : subnets.entrySet()) {
            gone(
                    "ec2",
                    "DeleteSubnet",
                    () -> ec2.deleteSubnet(r -> r.subnetId(e.getValue().subnetId())));
            state.remove(e.getKey());
            snap.subnets.remove(e.getKey());
        }
        for (Map.Entry<String, software.amazon.awssdk.services.ec2.model.SecurityGroup> e : groups.entrySet()) {
            gone(
                    "ec2",
                    "DeleteSecurityGroup",
                    () -> ec2.deleteSecurityGroup(r -> r.groupId(e.getValue().groupId())));
            state.remove(e.getKey());
            snap.groups.remove(e.getKey());
        }
        for (Map.Entry<String, Vpc> e : vpcs.entrySet()) {
            gone(
                    "ec2",
                    "DeleteVpc",
                    () -> ec2.deleteVpc(r -> r.vpcId(e.getValue().vpcId())));
            state.remove(e.getKey());
            snap.vpcs.remove(e.getKey());
        }
        for (var e : keys.entrySet()) {
            gone(
                    "ec2",
                    "DeleteKeyPair",
                    () -> ec2.deleteKeyPair(r -> r.keyName(e.getValue().keyName())));
            state.remove(e.getKey());
            snap.keys.remove(e.getKey());
        }
    }

    /** A deletion, where "it is already gone" is success. */
    /** How long an ENI may stay in use after its instance terminated or its detach was asked for. */
    static final java.time.Duration ENI_IN_USE_WAIT = java.time.Duration.ofMinutes(5);

    /**
     * Deletes an ENI, waiting while EC2 still has it attached: right after an instance is terminated,
     * or a detach is asked for, EC2 answers {@code InvalidNetworkInterface.InUse} for a while (moto
     * detaches at once, so its tests show the wait through an injected refusal). Backs off from 1 s to
     * 15 s, for up to {@link #ENI_IN_USE_WAIT}; then the error is the user's, with its request id.
     */
    static void deleteEni(software.amazon.awssdk.services.ec2.Ec2Client ec2, String id) throws ProviderException {
        long deadline = System.nanoTime() + ENI_IN_USE_WAIT.toNanos();
        long pause = 1_000;
        while (true) {
            try {
                ec2.deleteNetworkInterface(r -> r.networkInterfaceId(id));
                return;
            } catch (SdkException e) {
                if (AwsCall.notFound(e)) {
                    return;
                }
                if (!"InvalidNetworkInterface.InUse".equals(AwsCall.code(e)) || System.nanoTime() > deadline) {
                    throw AwsCall.failure("ec2", "DeleteNetworkInterface", e);
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new ProviderException("interrupted while ENI " + id + " was still in use");
            }
            pause = Math.min(pause * 2, 15_000);
        }
    }

    private static void gone(String service, String op, java.util.function.Supplier<?> call) throws ProviderException {
        try {
            call.get();
        } catch (SdkException e) {
            if (AwsCall.notFound(e)) {
                return;
            }
            throw AwsCall.failure(service, op, e);
        }
    }

    /** Empties and deletes the stack's bucket (in the state and tagged). */
    static void bucket(Reconciler rec, StackState state, AwsClients.Regional c, boolean apply)
            throws ProviderException {
        String name = state.id("bucket");
        if (name == null) {
            return;
        }
        var s3 = c.s3();
        try {
            s3.headBucket(r -> r.bucket(name));
        } catch (SdkException e) {
            if (AwsCall.notFound(e)) {
                if (apply) {
                    state.remove("bucket");
                }
                return;
            }
            throw AwsCall.failure("s3", "HeadBucket", e);
        }
        String id;
        try {
            id = Reconciler.bucketId(s3.getBucketTagging(r -> r.bucket(name)).tagSet());
        } catch (SdkException e) {
            if (!"NoSuchTagSet".equals(AwsCall.code(e))) {
                throw AwsCall.failure("s3", "GetBucketTagging", e);
            }
            id = null;
        }
        if (id != null && !id.equals(state.stackId())) {
            throw new ProviderException("the bucket " + name + " belongs to another stack (its " + Tags.STACK_ID
                    + " is " + id + "); srv6sh leaves it alone: remove \"bucket\" from the state "
                    + state.path() + " if it is not this stack's");
        }
        rec.change(Plan.Action.DELETE, "bucket", name, "with its objects");
        if (!apply) {
            return;
        }
        while (true) {
            var listed = AwsCall.call("s3", "ListObjectsV2", () -> s3.listObjectsV2(r -> r.bucket(name)));
            if (listed.contents().isEmpty()) {
                break;
            }
            List<software.amazon.awssdk.services.s3.model.ObjectIdentifier> ids = listed.contents().stream()
                    .map(o -> software.amazon.awssdk.services.s3.model.ObjectIdentifier.builder()
                            .key(o.key())
                            .build())
                    .toList();
            AwsCall.call(
                    "s3",
                    "DeleteObjects",
                    () -> s3.deleteObjects(r -> r.bucket(name).delete(d -> d.objects(ids))));
        }
        gone("s3", "DeleteBucket", () -> s3.deleteBucket(r -> r.bucket(name)));
        state.remove("bucket");
    }
}
