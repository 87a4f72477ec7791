package dev.srv6sh.aws;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.Deployment.VpcInfo;
import dev.srv6sh.cloud.Plan;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceIpv6Address;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceSpecification;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.Ipv6PrefixSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkInterfaceIpv6Address;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcIpv6CidrBlockAssociation;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Brings a stack's resources to what the script asks, or (planning) says what that would take,
 * in one pass over the same code: each resource is looked up in the region's {@link Snapshot}
 * (by its tag, so that what an interrupted apply made is found), compared, and created, repaired
 * or only reported. Regions run in parallel in two phases: the network (VPC, IPv6 block, subnets,
 * gateway, route table, empty security group), then what needs every region's addresses (the
 * security group's rules between the stack's subnets, ENIs, Elastic IPs, routes, instances).
 */
final class Reconciler {
    static final String DEFAULT_ROUTER_TYPE = "m5.2xlarge";
    static final String DEFAULT_HOST_TYPE = "t3.micro";
    static final String AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
    /** How many addresses of the locator the transit ENI gets when it refuses the /80 prefix. */
    static final int FALLBACK_ADDRESSES = 8;

    final String stack;
    final CloudSpec desired;
    final StackState state;
    final AwsClients clients;
    final Bootstrap bootstrap;
    final boolean apply;
    final String operatorCidr;
    final String account;
    final String bucketRegion;
    final String bucket;
    private final Duration poll;
    /** The changes by region (the bucket's under ""), so that a plan reads region by region in the script's order. */
    private final Map<String, List<Plan.Change>> changes = new LinkedHashMap<>();
    /** The region a thread works on. */
    static final ThreadLocal<String> REGION = ThreadLocal.withInitial(() -> "");

    final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
    final Map<String, Prefix> blocks = new ConcurrentHashMap<>();
    final Map<String, RouterResources> routers = new ConcurrentHashMap<>();
    final Map<String, HostResources> hosts = new ConcurrentHashMap<>();
    /** Addresses created in this pass: what is found on them is not drift. */
    final Set<String> fresh = ConcurrentHashMap.newKeySet();

    private Layout layout;

    Reconciler(
            String stack,
            CloudSpec desired,
            StackState state,
            AwsClients clients,
            Bootstrap bootstrap,
            boolean apply,
            String operatorCidr,
            String account,
            String bucketRegion) {
        this.stack = stack;
        this.desired = desired;
        this.state = state;
        this.clients = clients;
        this.bootstrap = bootstrap;
        this.apply = apply;
        this.operatorCidr = operatorCidr;
        this.account = account;
        this.bucketRegion = bucketRegion;
        this.bucket = state.id("bucket") != null
                ? state.id("bucket")
                : bucketName(state.legacy() ? stack : stack + "-" + state.stackId(), account);
        this.poll = clients.overridden() ? Duration.ofMillis(100) : Duration.ofSeconds(5);
    }

    /**
     * {@code srv6sh-quickstart-0a1b2c3d-123456789012} (the stack's name and ID; a stack without an ID
     * has none there): unique in S3 as long as the account owns it.
     */
    static String bucketName(String stack, String account) {
        String s = stack.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        String name = "srv6sh-" + s + "-" + account;
        if (name.length() > 63) {
            name = "srv6sh-" + s.substring(0, 63 - 8 - account.length()) + "-" + account;
        }
        return name.replaceAll("-+", "-");
    }

    List<Plan.Change> changes() {
        synchronized (changes) {
            List<Plan.Change> out = new ArrayList<>(changes.getOrDefault("", List.of()));
            Set<String> done = new LinkedHashSet<>(List.of(""));
            for (CloudSpec.Region r : desired.regions()) {
                if (r.code() != null && done.add(r.code())) {
                    out.addAll(changes.getOrDefault(r.code(), List.of()));
                }
            }
            changes.forEach((k, v) -> {
                if (!done.contains(k)) {
                    out.addAll(v);
                }
            });
            return out;
        }
    }

    /**
     * "kind name" of what a {@code -/+} takes down (said once, as {@code -/+}: its re-creation is
     * not said again as {@code +}), and the addresses it covers.
     */
    final Set<String> replaced = ConcurrentHashMap.newKeySet();

    /**
     * The IPv4 CIDRs and transit /64s of VPCs this pass makes (new, or the new one of a {@code -/+}):
     * a rule or route toward one of them that is missing is not drift. And those of VPCs removed or
     * replaced: a rule or route toward one of them goes because the script changed, not as drift.
     */
    final Set<String> made = ConcurrentHashMap.newKeySet();

    final Set<String> retired = ConcurrentHashMap.newKeySet();

    /** The CIDRs of a VPC that rules and routes point to: its IPv4 CIDR and its transit /64. */
    static List<String> cidrs(Vpc v) {
        List<String> out = new ArrayList<>();
        out.add(Prefix.parse(v.cidrBlock()).network().toString());
        Prefix b = Region.block(v);
        if (b != null) {
            out.add(b.subnet(64 - b.length(), 1).toString());
        }
        return out;
    }

    void change(Plan.Action a, String kind, String name, String detail) {
        if (a == Plan.Action.CREATE && replaced.contains(kind + " " + name)) {
            return;
        }
        synchronized (changes) {
            changes.computeIfAbsent(REGION.get(), k -> new ArrayList<>()).add(new Plan.Change(a, kind, name, detail));
        }
    }

    /** "deleted outside srv6sh" when the state knew {@code address}; what a create is otherwise. */
    String drift(String address, String otherwise) {
        return state.id(address) != null && !replaced.contains(address) ? "drift: deleted outside srv6sh" : otherwise;
    }

    Layout layout() {
        return layout;
    }

    /** Regions of the desired spec that have VPCs, by code, in declaration order. */
    Map<String, List<CloudSpec.Vpc>> regions() {
        Map<String, String> codes = new HashMap<>();
        desired.regions().forEach(r -> codes.put(r.name(), r.code()));
        Map<String, List<CloudSpec.Vpc>> out = new LinkedHashMap<>();
        for (CloudSpec.Vpc v : desired.vpcs()) {
            out.computeIfAbsent(codes.get(v.region()), k -> new ArrayList<>()).add(v);
        }
        return out;
    }

    /**
     * The addresses the script asks for in region {@code code}: its key pair while it has a VPC,
     * each VPC's network, each router's instance, ENIs and Elastic IP, each host's instance and ENI.
     * What the stack has there besides is no longer in the script, and apply deletes it.
     */
    Set<String> wanted(String code) {
        Set<String> out = new LinkedHashSet<>();
        List<CloudSpec.Vpc> vpcs = regions().getOrDefault(code, List.of());
        if (!vpcs.isEmpty()) {
            out.add("keypair/" + code);
        }
        for (CloudSpec.Vpc v : vpcs) {
            out.add("vpc/" + v.name());
            for (String role : List.of("management", "inside", "transit")) {
                out.add("subnet/" + v.name() + "/" + role);
            }
            out.add("igw/" + v.name());
            out.add("rtb/" + v.name());
            out.add("sg/" + v.name());
            for (CloudSpec.Router r : desired.routers()) {
                if (r.vpc().equals(v.name())) {
                    out.add("router/" + r.name());
                    out.add("eip/" + r.name());
                    for (String role : List.of("management", "inside", "transit")) {
                        out.add("eni/" + r.name() + "/" + role);
                    }
                }
            }
            for (CloudSpec.Host h : desired.hosts()) {
                if (h.vpc().equals(v.name())) {
                    out.add("host/" + h.name());
                    out.add("eni/" + h.name() + "/primary");
                }
            }
        }
        return out;
    }

    void layout(Layout l) {
        this.layout = l;
    }

    WaiterOverrideConfiguration waiter() {
        return WaiterOverrideConfiguration.builder()
                .maxAttempts(clients.overridden() ? 50 : 120)
                .backoffStrategyV2(software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelay(poll))
                .build();
    }

    void pause() throws ProviderException {
        try {
            Thread.sleep(poll);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted");
        }
    }

    // ------------------------------------------------------------------ the bucket

    /** The stack's bucket, in its first region: made private (public access blocked) and tagged. */
    void bucket() throws ProviderException {
        var s3 = clients.in(bucketRegion).s3();
        boolean exists;
        try {
            s3.headBucket(r -> r.bucket(bucket));
            exists = true;
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            if (!AwsCall.notFound(e)) {
                throw AwsCall.failure("s3", "HeadBucket", e);
            }
            exists = false;
        }
        if (exists) {
            List<Tag> tags;
            try {
                tags = s3.getBucketTagging(r -> r.bucket(bucket)).tagSet();
            } catch (software.amazon.awssdk.core.exception.SdkException e) {
                if (!"NoSuchTagSet".equals(AwsCall.code(e))) {
                    throw AwsCall.failure("s3", "GetBucketTagging", e);
                }
                tags = List.of();
            }
            boolean ours = tags.stream()
                    .anyMatch(t -> t.key().equals(Tags.STACK) && t.value().equals(stack));
            if (!ours) {
                throw new ProviderException("the bucket " + bucket + " exists and does not carry " + Tags.STACK + "="
                        + stack + "; srv6sh leaves it alone: rename the script (the stack) or remove that bucket");
            }
            String id = bucketId(tags);
            if (id != null && !id.equals(state.stackId())) {
                throw new ProviderException("the bucket " + bucket + " belongs to another stack named " + stack
                        + " (its " + Tags.STACK_ID + " is " + id + ", this state's "
                        + (state.legacy() ? "has none" : "is " + state.stackId())
                        + "); srv6sh leaves it alone: use that stack's state file, or rename the script");
            }
            if (apply) {
                state.put("bucket", bucket);
            }
            return;
        }
        change(Plan.Action.CREATE, "bucket", bucket, drift("bucket", "in " + bucketRegion + ", private"));
        if (!apply) {
            return;
        }
        AwsCall.call(
                "s3",
                "CreateBucket",
                () -> s3.createBucket(r -> {
                    r.bucket(bucket);
                    if (!bucketRegion.equals("us-east-1")) {
                        r.createBucketConfiguration(c -> c.locationConstraint(bucketRegion));
                    }
                }));
        state.put("bucket", bucket);
        AwsCall.call(
                "s3",
                "PutPublicAccessBlock",
                () -> s3.putPublicAccessBlock(
                        r -> r.bucket(bucket).publicAccessBlockConfiguration(c -> c.blockPublicAcls(true)
                                .blockPublicPolicy(true)
                                .ignorePublicAcls(true)
                                .restrictPublicBuckets(true))));
        AwsCall.call(
                "s3",
                "PutBucketTagging",
                () -> s3.putBucketTagging(r -> r.bucket(bucket).tagging(t -> t.tagSet(bucketTags()))));
    }

    /** The bucket's {@link Tags#STACK_ID}, or null. */
    static String bucketId(List<Tag> tags) {
        return tags.stream()
                .filter(t -> t.key().equals(Tags.STACK_ID))
                .map(Tag::value)
                .findFirst()
                .orElse(null);
    }

    private List<Tag> bucketTags() {
        List<Tag> out = new ArrayList<>();
        out.add(Tag.builder().key(Tags.STACK).value(stack).build());
        if (!state.legacy()) {
            out.add(Tag.builder().key(Tags.STACK_ID).value(state.stackId()).build());
        }
        out.add(Tag.builder().key(Tags.RESOURCE).value("bucket").build());
        out.add(Tag.builder().key(Tags.MANAGED_BY).value("srv6sh").build());
        return out;
    }

    /**
     * The stack's objects in its bucket (the distribution, the routers' configurations) and their
     * presigned URLs: one {@link Distribution} over the bucket region's clients.
     */
    Distribution objects() {
        AwsClients.Regional c = clients.in(bucketRegion);
        return new Distribution(c.s3(), c.presigner());
    }

    private URI distributionUrl;

    /**
     * The presigned URL of the distribution the routers run ({@link Bootstrap#distribution}), uploaded
     * under its SHA-256 on the first router this pass launches (HeadObject first: once per bucket).
     */
    synchronized URI distributionUrl() throws ProviderException {
        if (distributionUrl == null) {
            Path[] files = bootstrap.distribution();
            Distribution d = objects();
            Distribution.Uploaded up = d.upload(bucket, files[0], files[1]);
            distributionUrl = d.presign(bucket, up.key(), Distribution.DEFAULT_EXPIRY);
        }
        return distributionUrl;
    }

    /** The presigned URL of router {@code router}'s configuration, which its bootstrap waits for. */
    URI configurationUrl(String router) throws ProviderException {
        return objects().presign(bucket, Distribution.configurationKey(router), Distribution.DEFAULT_EXPIRY);
    }

    // ------------------------------------------------------------------ one region

    /** One region's part of the stack. */
    final class Region {
        final String code;
        final AwsClients.Regional c;
        final Snapshot snap;
        final List<CloudSpec.Vpc> vpcs;
        final Map<String, String> vpcIds = new HashMap<>();
        final Map<String, String> subnetIds = new HashMap<>();
        final Map<String, String> sgIds = new HashMap<>();
        final Map<String, String> igwIds = new HashMap<>();
        final Map<String, RouteTable> rtbs = new HashMap<>();
        final Map<String, String> rtbIds = new HashMap<>();
        String zone;
        String keyName;

        Region(String code, List<CloudSpec.Vpc> vpcs) throws ProviderException {
            this.code = code;
            this.c = clients.in(code);
            this.vpcs = vpcs;
            this.snap = Snapshot.read(c.ec2(), stack, state);
            snapshots.put(code, snap);
        }

        private String adopt(String address, String id) throws ProviderException {
            if (apply && id != null) {
                state.put(address, id);
            }
            return id;
        }

        // ---------------------------------------------------------- phase 1: the network

        void network() throws ProviderException {
            keyPair();
            for (CloudSpec.Vpc v : vpcs) {
                vpc(v);
                subnets(v);
                gateway(v);
                routeTable(v);
                securityGroup(v);
            }
        }

        private void keyPair() throws ProviderException {
            String address = "keypair/" + code;
            // key pair names are unique in a region: another stack of this name has its own
            keyName = "srv6sh-" + stack + (state.legacy() ? "" : "-" + state.stackId());
            var have = snap.keys.get(address);
            if (have != null) {
                keyName = have.keyName();
                adopt(address, have.keyName());
                return;
            }
            change(Plan.Action.CREATE, "key-pair", keyName + " in " + code, drift(address, "the stack's SSH key"));
            if (!apply) {
                return;
            }
            String pub = bootstrap.publicKey(stack);
            AwsCall.call("ec2", "ImportKeyPair", () -> c.ec2().importKeyPair(r -> r.keyName(keyName)
                    .publicKeyMaterial(software.amazon.awssdk.core.SdkBytes.fromString(pub, StandardCharsets.US_ASCII))
                    .tagSpecifications(Tags.spec(ResourceType.KEY_PAIR, stack, state.stackId(), address))));
            state.put(address, keyName);
        }

        private void vpc(CloudSpec.Vpc v) throws ProviderException {
            String address = "vpc/" + v.name();
            Vpc have = snap.vpcs.get(address);
            if (have != null && Boolean.TRUE.equals(have.isDefault())) {
                throw new ProviderException("the default VPC of " + code + " carries this stack's tag; srv6sh never"
                        + " uses or deletes a default VPC: remove the tag " + Tags.STACK + " from " + have.vpcId());
            }
            if (have != null && !Prefix.parse(have.cidrBlock()).equals(v.cidr().network())) {
                replaceVpc(v, have);
                have = null;
            }
            if (have == null) {
                made.add(v.cidr().network().toString());
                change(
                        Plan.Action.CREATE,
                        "vpc",
                        v.name(),
                        drift(address, v.cidr() + " + an Amazon-provided IPv6 /56"));
                if (!apply) {
                    return;
                }
                Vpc made = AwsCall.call("ec2", "CreateVpc", () -> c.ec2()
                        .createVpc(r -> r.cidrBlock(v.cidr().network().toString())
                                .amazonProvidedIpv6CidrBlock(true)
                                .tagSpecifications(Tags.spec(ResourceType.VPC, stack, state.stackId(), address)))
                        .vpc());
                state.put(address, made.vpcId());
                AwsCall.call("ec2", "DescribeVpcs", () -> c.ec2()
                        .waiter()
                        .waitUntilVpcAvailable(
                                software.amazon.awssdk.services.ec2.model.DescribeVpcsRequest.builder()
                                        .vpcIds(made.vpcId())
                                        .build(),
                                waiter()));
                have = made;
                fresh.add(address);
            } else {
                adopt(address, have.vpcId());
            }
            vpcIds.put(v.name(), have.vpcId());
            Prefix block = block(have);
            if (block == null) {
                if (associating(have)) {
                    block = awaitBlock(have.vpcId());
                } else {
                    change(Plan.Action.UPDATE, "vpc", v.name(), "associate an Amazon-provided IPv6 /56");
                    if (!apply) {
                        return;
                    }
                    String id = have.vpcId();
                    AwsCall.call("ec2", "AssociateVpcCidrBlock", () -> c.ec2()
                            .associateVpcCidrBlock(r -> r.vpcId(id).amazonProvidedIpv6CidrBlock(true)));
                    block = awaitBlock(id);
                }
            }
            blocks.put(v.name(), block);
            if (fresh.contains(address)) {
                made.add(block.subnet(64 - block.length(), 1).toString());
            }
        }

        /**
         * A VPC's CIDR cannot change: the VPC and everything in it (subnets, gateway, route table,
         * security group, its routers' and hosts' instances, ENIs and Elastic IPs) is {@code -/+}.
         * Apply deletes them (the {@link Destroyer}'s order) and then makes them as for a new VPC.
         */
        private void replaceVpc(CloudSpec.Vpc v, Vpc have) throws ProviderException {
            String why = "vpc " + v.name() + " cidr " + have.cidrBlock() + " -> " + v.cidr() + " forces replacement";
            retired.addAll(cidrs(have));
            Set<String> in = new java.util.HashSet<>(snap.ids().keySet());
            in.removeIf(a -> !inVpc(a, v.name(), have.vpcId()));
            Destroyer d = new Destroyer(stack, state, c, snap, Reconciler.this, in::contains, Plan.Action.REPLACE, why);
            d.run(apply);
            snap.forget(in::contains);
        }

        /** Whether the resource at {@code address} is in the VPC named {@code vpc} (ID {@code vpcId}). */
        private boolean inVpc(String address, String vpc, String vpcId) {
            String[] p = address.split("/");
            return switch (p[0]) {
                case "vpc", "igw", "rtb", "sg" -> p[1].equals(vpc);
                case "subnet" -> p[1].equals(vpc);
                case "router", "host" -> {
                    Instance i = snap.instances.get(address);
                    yield i != null && vpcId.equals(i.vpcId());
                }
                case "eni" -> {
                    NetworkInterface n = snap.enis.get(address);
                    yield n != null && vpcId.equals(n.vpcId());
                }
                case "eip" -> inVpc("eni/" + p[1] + "/management", vpc, vpcId);
                default -> false;
            };
        }

        private static boolean associating(Vpc v) {
            return v.ipv6CidrBlockAssociationSet().stream()
                    .anyMatch(a -> a.ipv6CidrBlockState() != null
                            && "associating".equals(a.ipv6CidrBlockState().stateAsString()));
        }

        static Prefix block(Vpc v) {
            for (VpcIpv6CidrBlockAssociation a : v.ipv6CidrBlockAssociationSet()) {
                String st = a.ipv6CidrBlockState() == null
                        ? "associated"
                        : a.ipv6CidrBlockState().stateAsString();
                if (a.ipv6CidrBlock() != null && "associated".equals(st)) {
                    return Prefix.parse(a.ipv6CidrBlock()).network();
                }
            }
            return null;
        }

        private Prefix awaitBlock(String vpcId) throws ProviderException {
            for (int i = 0; i < 60; i++) {
                Vpc v = AwsCall.call(
                        "ec2",
                        "DescribeVpcs",
                        () -> c.ec2().describeVpcs(r -> r.vpcIds(vpcId)).vpcs().getFirst());
                Prefix b = block(v);
                if (b != null) {
                    return b;
                }
                pause();
            }
            throw new ProviderException("vpc " + vpcId + " in " + code + " got no IPv6 block in time");
        }

        private String zone(CloudSpec.Vpc v) throws ProviderException {
            if (v.zone() != null) {
                return v.zone().matches("[a-z]") ? code + v.zone() : v.zone();
            }
            if (zone == null) {
                zone = AwsCall.call("ec2", "DescribeAvailabilityZones", () -> c.ec2()
                                .describeAvailabilityZones(r -> r.filters(Filter.builder()
                                        .name("state")
                                        .values("available")
                                        .build()))
                                .availabilityZones())
                        .stream()
                        .map(AvailabilityZone::zoneName)
                        .sorted()
                        .findFirst()
                        .orElseThrow(() -> new ProviderException("region " + code + " has no available zone"));
            }
            return zone;
        }

        private void subnets(CloudSpec.Vpc v) throws ProviderException {
            Prefix block = blocks.get(v.name());
            Prefix mgmt = v.cidr().network().subnet(24 - v.cidr().length(), 0);
            Prefix inside = v.cidr().network().subnet(24 - v.cidr().length(), 1);
            Prefix transit = v.cidr().network().subnet(24 - v.cidr().length(), 2);
            Prefix transit6 = block == null ? null : block.subnet(64 - block.length(), 1);
            subnet(v, "management", mgmt, null);
            subnet(v, "inside", inside, null);
            subnet(v, "transit", transit, transit6);
        }

        private void subnet(CloudSpec.Vpc v, String role, Prefix cidr, Prefix ipv6) throws ProviderException {
            String address = "subnet/" + v.name() + "/" + role;
            String name = v.name() + "/" + role;
            Subnet have = snap.subnets.get(address);
            String vpcId = vpcIds.get(v.name());
            if (have != null && vpcId != null) {
                List<String> wrong = new ArrayList<>();
                if (!Prefix.parse(have.cidrBlock()).equals(cidr)) {
                    wrong.add("cidr " + have.cidrBlock() + " -> " + cidr);
                }
                if (ipv6 != null
                        && have.ipv6CidrBlockAssociationSet().stream()
                                .noneMatch(a -> a.ipv6CidrBlock() != null
                                        && Prefix.parse(a.ipv6CidrBlock())
                                                .network()
                                                .equals(ipv6))) {
                    wrong.add("ipv6 -> " + ipv6);
                }
                if (!have.vpcId().equals(vpcId)) {
                    wrong.add("in another VPC");
                }
                if (v.zone() != null && !have.availabilityZone().equals(zone(v))) {
                    wrong.add("zone " + have.availabilityZone() + " -> " + zone(v));
                }
                if (!wrong.isEmpty()) {
                    change(Plan.Action.REPLACE, "subnet", name, String.join(", ", wrong));
                    if (apply) {
                        throw new ProviderException("subnet " + name + " differs from what the script asks ("
                                + String.join(", ", wrong) + "); a subnet cannot change in place: run srv6sh destroy,"
                                + " then apply");
                    }
                    return;
                }
                subnetIds.put(name, adopt(address, have.subnetId()));
                return;
            }
            change(Plan.Action.CREATE, "subnet", name, drift(address, cidr + (ipv6 == null ? "" : " + " + ipv6)));
            if (!apply) {
                return;
            }
            String az = zone(v);
            Subnet made = AwsCall.call("ec2", "CreateSubnet", () -> c.ec2()
                    .createSubnet(r -> {
                        r.vpcId(vpcId)
                                .cidrBlock(cidr.toString())
                                .availabilityZone(az)
                                .tagSpecifications(Tags.spec(ResourceType.SUBNET, stack, state.stackId(), address));
                        if (ipv6 != null) {
                            r.ipv6CidrBlock(ipv6.toString());
                        }
                    })
                    .subnet());
            state.put(address, made.subnetId());
            subnetIds.put(name, made.subnetId());
        }

        private void gateway(CloudSpec.Vpc v) throws ProviderException {
            String address = "igw/" + v.name();
            InternetGateway have = snap.igws.get(address);
            String vpcId = vpcIds.get(v.name());
            String id;
            if (have == null) {
                change(Plan.Action.CREATE, "internet-gateway", v.name(), drift(address, "attached to vpc " + v.name()));
                if (!apply) {
                    return;
                }
                id = AwsCall.call("ec2", "CreateInternetGateway", () -> c.ec2()
                        .createInternetGateway(r -> r.tagSpecifications(
                                Tags.spec(ResourceType.INTERNET_GATEWAY, stack, state.stackId(), address)))
                        .internetGateway()
                        .internetGatewayId());
                state.put(address, id);
            } else {
                id = adopt(address, have.internetGatewayId());
                boolean attached = have.attachments().stream()
                        .anyMatch(a -> a.vpcId().equals(vpcId) && !"detached".equals(a.stateAsString()));
                if (attached) {
                    igwIds.put(v.name(), id);
                    return;
                }
                change(Plan.Action.UPDATE, "internet-gateway", v.name(), "drift: attach to vpc " + v.name());
                if (!apply) {
                    return;
                }
            }
            AwsCall.call("ec2", "AttachInternetGateway", () -> c.ec2()
                    .attachInternetGateway(r -> r.internetGatewayId(id).vpcId(vpcId)));
            igwIds.put(v.name(), id);
        }

        private void routeTable(CloudSpec.Vpc v) throws ProviderException {
            String address = "rtb/" + v.name();
            RouteTable have = snap.routeTables.get(address);
            String vpcId = vpcIds.get(v.name());
            if (have == null) {
                change(Plan.Action.CREATE, "route-table", v.name(), drift(address, "for the three subnets"));
                if (!apply) {
                    return;
                }
                have = AwsCall.call("ec2", "CreateRouteTable", () -> c.ec2()
                        .createRouteTable(r -> r.vpcId(vpcId)
                                .tagSpecifications(
                                        Tags.spec(ResourceType.ROUTE_TABLE, stack, state.stackId(), address)))
                        .routeTable());
                state.put(address, have.routeTableId());
                fresh.add(address);
            } else {
                adopt(address, have.routeTableId());
            }
            rtbs.put(v.name(), have);
            rtbIds.put(v.name(), have.routeTableId());
            String rtb = have.routeTableId();
            Set<String> associated = new LinkedHashSet<>();
            for (RouteTableAssociation a : have.associations()) {
                if (a.subnetId() != null) {
                    associated.add(a.subnetId());
                }
            }
            for (String role : List.of("management", "inside", "transit")) {
                String subnet = subnetIds.get(v.name() + "/" + role);
                if (subnet != null && !associated.contains(subnet)) {
                    change(Plan.Action.UPDATE, "route-table", v.name(), "associate subnet " + v.name() + "/" + role);
                    if (apply) {
                        AwsCall.call("ec2", "AssociateRouteTable", () -> c.ec2()
                                .associateRouteTable(r -> r.routeTableId(rtb).subnetId(subnet)));
                    }
                }
            }
        }

        private void securityGroup(CloudSpec.Vpc v) throws ProviderException {
            String address = "sg/" + v.name();
            SecurityGroup have = snap.groups.get(address);
            if (have != null) {
                sgIds.put(v.name(), adopt(address, have.groupId()));
                return;
            }
            change(Plan.Action.CREATE, "security-group", v.name(), drift(address, "least privilege"));
            if (!apply) {
                return;
            }
            String vpcId = vpcIds.get(v.name());
            String id = AwsCall.call("ec2", "CreateSecurityGroup", () -> c.ec2()
                    .createSecurityGroup(r -> r.groupName(Tags.name(stack, address))
                            .description("srv6sh stack " + stack + ": vpc " + v.name())
                            .vpcId(vpcId)
                            .tagSpecifications(Tags.spec(ResourceType.SECURITY_GROUP, stack, state.stackId(), address)))
                    .groupId());
            state.put(address, id);
            sgIds.put(v.name(), id);
            fresh.add(address);
            // what AWS gave the new group (its default egress to everything, which the rules then revoke)
            snap.groups.put(address, AwsCall.call("ec2", "DescribeSecurityGroups", () -> c.ec2()
                    .describeSecurityGroups(q -> q.groupIds(id))
                    .securityGroups()
                    .getFirst()));
        }

        // ---------------------------------------------------------- phase 2: what needs every region's addresses

        void compute() throws ProviderException {
            String ami = null;
            for (CloudSpec.Vpc v : vpcs) {
                rules(v);
                Map<String, Prefix> attract = new LinkedHashMap<>();
                for (CloudSpec.Router r : desired.routers()) {
                    if (r.vpc().equals(v.name())) {
                        Enis e = enis(v, r);
                        eip(r, e);
                        for (Prefix p : r.attract()) {
                            attract.put(p.network().toString(), p);
                        }
                    }
                }
                routes(v);
                for (CloudSpec.Router r : desired.routers()) {
                    if (r.vpc().equals(v.name())) {
                        if (ami == null && r.image() == null) {
                            ami = ami(null);
                        }
                        routerInstance(v, r, r.image() == null ? ami : ami(r.image()));
                    }
                }
                for (CloudSpec.Host h : desired.hosts()) {
                    if (h.vpc().equals(v.name())) {
                        if (ami == null && h.image() == null) {
                            ami = ami(null);
                        }
                        hostInstance(v, h, h.image() == null ? ami : ami(h.image()));
                    }
                }
            }
        }

        /** The AMI: the script's {@code image} (an AMI ID, or an SSM parameter path), else AL2023's latest. */
        private String ami(String image) throws ProviderException {
            if (image != null && image.startsWith("ami-")) {
                return image;
            }
            String param = image == null ? AL2023 : image;
            if (!param.startsWith("/")) {
                throw new ProviderException("image '" + image + "': on aws an image is an AMI ID (ami-…) or the"
                        + " path of an SSM public parameter that names one (/aws/service/…)");
            }
            return AwsCall.call(
                    "ssm",
                    "GetParameter",
                    () -> c.ssm().getParameter(r -> r.name(param)).parameter().value());
        }

        private final Map<String, Set<Rule>> desiredRules = new HashMap<>();

        /**
         * The group's rules. In: SSH (22, the instances' sshd) and the routers' agent and shell
         * ({@link Bootstrap#ROUTER_SSH_PORT}) from the operator only; everything between the stack's
         * VPCs (IPv4) and transit subnets (IPv6: SRv6 is protocol 43), which covers iperf3's 5201
         * between the stack's hosts. Out: the same, plus HTTPS anywhere, for the bootstrap's
         * downloads (the distribution in the bucket, possibly in another region; Amazon Linux's
         * repositories; Corretto). Nothing comes in from everywhere.
         */
        Set<Rule> desiredRules() {
            Set<Rule> want = new LinkedHashSet<>();
            want.add(Rule.in("tcp", 22, 22, operatorCidr));
            want.add(Rule.in("tcp", Bootstrap.ROUTER_SSH_PORT, Bootstrap.ROUTER_SSH_PORT, operatorCidr));
            List<String> v4 = new ArrayList<>();
            List<String> v6 = new ArrayList<>();
            for (CloudSpec.Vpc any : desired.vpcs()) {
                v4.add(any.cidr().network().toString());
                Prefix b = blocks.get(any.name());
                if (b != null) {
                    v6.add(b.subnet(64 - b.length(), 1).toString());
                }
            }
            for (boolean egress : new boolean[] {false, true}) {
                for (String p : v4) {
                    want.add(Rule.of(egress, "icmp", -1, -1, p));
                    want.add(Rule.of(egress, "tcp", 0, 65535, p));
                    want.add(Rule.of(egress, "udp", 0, 65535, p));
                }
                for (String p : v6) {
                    want.add(Rule.of(egress, "43", -1, -1, p));
                    want.add(Rule.of(egress, "icmpv6", -1, -1, p));
                    want.add(Rule.of(egress, "tcp", 0, 65535, p));
                    want.add(Rule.of(egress, "udp", 0, 65535, p));
                }
            }
            want.add(Rule.out("tcp", 443, 443, "0.0.0.0/0"));
            want.add(Rule.out("tcp", 443, 443, "::/0"));
            return want;
        }

        private void rules(CloudSpec.Vpc v) throws ProviderException {
            String address = "sg/" + v.name();
            String id = sgIds.get(v.name());
            SecurityGroup have = snap.groups.get(address);
            Set<Rule> want = desiredRules();
            desiredRules.put(v.name(), want);
            Set<Rule> now = new LinkedHashSet<>();
            if (have != null) {
                now.addAll(Rule.of(false, have.ipPermissions()));
                now.addAll(Rule.of(true, have.ipPermissionsEgress()));
            }
            boolean isNew = fresh.contains(address);
            Set<Rule> add = new LinkedHashSet<>(want);
            add.removeAll(now);
            Set<Rule> remove = new LinkedHashSet<>(now);
            remove.removeAll(want);
            String sg = "security-group " + v.name();
            if (have == null) {
                change(
                        Plan.Action.CREATE,
                        "sg-rule",
                        v.name(),
                        add.size() + " rules of " + sg + " (and AWS's default egress to everything revoked)");
                return;
            }
            for (Rule r : remove) {
                change(
                        Plan.Action.DELETE,
                        "sg-rule",
                        v.name() + " " + r,
                        isNew
                                ? "AWS's default"
                                : retired.contains(r.peer())
                                        ? "its VPC is removed or replaced"
                                        : "drift: not srv6sh's");
            }
            for (Rule r : add) {
                change(
                        Plan.Action.CREATE,
                        "sg-rule",
                        v.name() + " " + r,
                        isNew || made.contains(r.peer()) ? "" : "drift: missing");
            }
            if (!apply) {
                return;
            }
            List<Rule> revokeIn = remove.stream().filter(r -> !r.egress()).toList();
            List<Rule> revokeOut = remove.stream().filter(Rule::egress).toList();
            List<Rule> addIn = add.stream().filter(r -> !r.egress()).toList();
            List<Rule> addOut = add.stream().filter(Rule::egress).toList();
            if (!revokeIn.isEmpty()) {
                AwsCall.call("ec2", "RevokeSecurityGroupIngress", () -> c.ec2()
                        .revokeSecurityGroupIngress(r -> r.groupId(id).ipPermissions(Rule.permissions(revokeIn))));
            }
            if (!revokeOut.isEmpty()) {
                AwsCall.call("ec2", "RevokeSecurityGroupEgress", () -> c.ec2()
                        .revokeSecurityGroupEgress(r -> r.groupId(id).ipPermissions(Rule.permissions(revokeOut))));
            }
            if (!addIn.isEmpty()) {
                AwsCall.call("ec2", "AuthorizeSecurityGroupIngress", () -> c.ec2()
                        .authorizeSecurityGroupIngress(r -> r.groupId(id).ipPermissions(Rule.permissions(addIn))));
            }
            if (!addOut.isEmpty()) {
                AwsCall.call("ec2", "AuthorizeSecurityGroupEgress", () -> c.ec2()
                        .authorizeSecurityGroupEgress(r -> r.groupId(id).ipPermissions(Rule.permissions(addOut))));
            }
        }

        /** A router's three ENIs as they are after this pass (null IDs while planning what does not exist). */
        record Enis(
                NetworkInterface management, NetworkInterface inside, NetworkInterface transit, boolean delegated) {}

        private final Map<String, Enis> enis = new HashMap<>();

        private Enis enis(CloudSpec.Vpc v, CloudSpec.Router r) throws ProviderException {
            NetworkInterface m =
                    eni(v, r, "management", layout.management(v.name()), layout.routerManagement(r.name()));
            NetworkInterface i = eni(v, r, "inside", layout.inside(v.name()), layout.routerInside(r.name()));
            NetworkInterface t = eni(v, r, "transit", layout.transit4(v.name()), layout.routerTransit4(r.name()));
            boolean delegated = t != null && transitIpv6(r, t);
            Enis e = new Enis(m, i, t, delegated);
            enis.put(r.name(), e);
            return e;
        }

        private NetworkInterface eni(
                CloudSpec.Vpc v, CloudSpec.Router r, String role, Prefix subnetCidr, InetAddress ip)
                throws ProviderException {
            String address = "eni/" + r.name() + "/" + role;
            String name = r.name() + "/" + role;
            NetworkInterface have = snap.enis.get(address);
            String subnet = subnetIds.get(v.name() + "/" + role);
            String sg = sgIds.get(v.name());
            if (have != null) {
                adopt(address, have.networkInterfaceId());
                if (Boolean.TRUE.equals(have.sourceDestCheck())) {
                    change(Plan.Action.UPDATE, "eni", name, "drift: source/destination check back on -> off");
                    if (apply) {
                        sourceDestCheckOff(have.networkInterfaceId());
                    }
                }
                return have;
            }
            change(
                    Plan.Action.CREATE,
                    "eni",
                    name,
                    drift(
                            address,
                            ip.getHostAddress()
                                    + (role.equals("transit")
                                            ? " + "
                                                    + layout.routerTransit6(r.name())
                                                            .getHostAddress() + ", locator " + layout.locator(r.name())
                                            : "")
                                    + ", source/destination check off"));
            if (!apply) {
                return null;
            }
            Prefix locator = layout.locator(r.name());
            Inet6Address t6 = layout.routerTransit6(r.name());
            NetworkInterface made = AwsCall.call("ec2", "CreateNetworkInterface", () -> c.ec2()
                    .createNetworkInterface(q -> {
                        q.subnetId(subnet)
                                .groups(sg)
                                .privateIpAddress(ip.getHostAddress())
                                .description("srv6sh " + stack + " router " + r.name() + " " + role)
                                .tagSpecifications(
                                        Tags.spec(ResourceType.NETWORK_INTERFACE, stack, state.stackId(), address));
                        if (role.equals("transit")) {
                            q.ipv6Addresses(InstanceIpv6Address.builder()
                                            .ipv6Address(t6.getHostAddress())
                                            .build())
                                    .ipv6Prefixes(Ipv6PrefixSpecificationRequest.builder()
                                            .ipv6Prefix(locator.toString())
                                            .build());
                        }
                    })
                    .networkInterface());
            state.put(address, made.networkInterfaceId());
            fresh.add(address);
            sourceDestCheckOff(made.networkInterfaceId());
            return made;
        }

        private int routerIndex(CloudSpec.Router r) {
            int k = 0;
            for (CloudSpec.Router o : desired.routers()) {
                if (o.name().equals(r.name())) {
                    return k;
                }
                if (o.vpc().equals(r.vpc())) {
                    k++;
                }
            }
            return k;
        }

        private void sourceDestCheckOff(String eni) throws ProviderException {
            AwsCall.call("ec2", "ModifyNetworkInterfaceAttribute", () -> c.ec2()
                    .modifyNetworkInterfaceAttribute(q -> q.networkInterfaceId(eni)
                            .sourceDestCheck(
                                    AttributeBooleanValue.builder().value(false).build())));
        }

        /**
         * The transit ENI's IPv6: its address and the locator, delegated as an /80 prefix; where the
         * prefix was refused (an error, or accepted and not there, as on moto), the locator's first
         * {@link #FALLBACK_ADDRESSES} addresses instead. True when the prefix is delegated.
         */
        private boolean transitIpv6(CloudSpec.Router r, NetworkInterface t) throws ProviderException {
            String name = r.name() + "/transit";
            Prefix locator = layout.locator(r.name());
            Set<String> have = new LinkedHashSet<>();
            for (NetworkInterfaceIpv6Address a : t.ipv6Addresses()) {
                have.add(canonical(a.ipv6Address()));
            }
            boolean prefix = t.ipv6Prefixes().stream()
                    .anyMatch(p -> Prefix.parse(p.ipv6Prefix()).network().equals(locator));
            Set<String> fallback = fallback(locator);
            String id = t.networkInterfaceId();
            String own = layout.routerTransit6(r.name()).getHostAddress();
            if (!have.contains(canonical(own))) {
                change(Plan.Action.UPDATE, "eni", name, "drift: address " + own + " missing");
                if (apply) {
                    AwsCall.call("ec2", "AssignIpv6Addresses", () -> c.ec2()
                            .assignIpv6Addresses(q -> q.networkInterfaceId(id).ipv6Addresses(own)));
                }
            }
            if (prefix || have.containsAll(fallback)) {
                return prefix;
            }
            if (!fresh.contains("eni/" + r.name() + "/transit")) {
                change(Plan.Action.UPDATE, "eni", name, "drift: locator " + locator + " not delegated");
            }
            if (!apply) {
                return false;
            }
            // The create asked for the prefix; it is not there: ask once more, then fall back to addresses.
            boolean delegated = false;
            try {
                var got = c.ec2()
                        .assignIpv6Addresses(q -> q.networkInterfaceId(id).ipv6Prefixes(locator.toString()));
                delegated = got.assignedIpv6Prefixes().stream()
                        .anyMatch(p -> Prefix.parse(p).network().equals(locator));
            } catch (software.amazon.awssdk.core.exception.SdkException e) {
                if (AwsCall.code(e) == null) {
                    throw AwsCall.failure("ec2", "AssignIpv6Addresses", e);
                }
            }
            if (delegated) {
                return true;
            }
            List<String> missing =
                    fallback.stream().filter(a -> !have.contains(a)).toList();
            AwsCall.call("ec2", "AssignIpv6Addresses", () -> c.ec2()
                    .assignIpv6Addresses(q -> q.networkInterfaceId(id).ipv6Addresses(missing)));
            return false;
        }

        private static Set<String> fallback(Prefix locator) {
            Set<String> out = new LinkedHashSet<>();
            for (int k = 1; k <= FALLBACK_ADDRESSES; k++) {
                out.add(canonical(locator.host(k).getHostAddress()));
            }
            return out;
        }

        private void eip(CloudSpec.Router r, Enis e) throws ProviderException {
            String address = "eip/" + r.name();
            Address have = snap.addresses.get(address);
            String eni = e.management() == null ? null : e.management().networkInterfaceId();
            String alloc;
            if (have == null) {
                change(
                        Plan.Action.CREATE,
                        "elastic-ip",
                        r.name(),
                        drift(address, "on " + r.name() + "/management (SSH)"));
                if (!apply) {
                    return;
                }
                alloc = AwsCall.call("ec2", "AllocateAddress", () -> c.ec2()
                        .allocateAddress(q -> q.domain(DomainType.VPC)
                                .tagSpecifications(Tags.spec(ResourceType.ELASTIC_IP, stack, state.stackId(), address)))
                        .allocationId());
                state.put(address, alloc);
            } else {
                alloc = adopt(address, have.allocationId());
                if (Objects.equals(have.networkInterfaceId(), eni)) {
                    return;
                }
                change(Plan.Action.UPDATE, "elastic-ip", r.name(), "drift: associate with " + r.name() + "/management");
                if (!apply) {
                    return;
                }
            }
            AwsCall.call("ec2", "AssociateAddress", () -> c.ec2()
                    .associateAddress(q -> q.allocationId(alloc).networkInterfaceId(eni)));
        }

        /** The route table's routes: defaults to the gateway, each router's attract prefixes to its ENIs. */
        private void routes(CloudSpec.Vpc v) throws ProviderException {
            RouteTable have = rtbs.get(v.name());
            String rtb = rtbIds.get(v.name());
            String igw = igwIds.get(v.name());
            Map<String, String> want = new LinkedHashMap<>(); // destination -> target
            Map<String, String> label = new HashMap<>();
            want.put("0.0.0.0/0", igw);
            want.put("::/0", igw);
            label.put("0.0.0.0/0", "internet-gateway " + v.name());
            label.put("::/0", "internet-gateway " + v.name());
            for (CloudSpec.Router r : desired.routers()) {
                if (!r.vpc().equals(v.name())) {
                    continue;
                }
                Enis e = enis.get(r.name());
                for (Prefix p : r.attract()) {
                    boolean v4 = p.address() instanceof Inet4Address;
                    NetworkInterface n = v4 ? e.inside() : e.transit();
                    String dest = p.network().toString();
                    want.put(dest, n == null ? null : n.networkInterfaceId());
                    label.put(dest, "eni " + r.name() + (v4 ? "/inside" : "/transit"));
                }
            }
            Map<String, String> now = new HashMap<>();
            if (have != null) {
                for (Route rt : have.routes()) {
                    if ("local".equals(rt.gatewayId())) {
                        continue;
                    }
                    String dest = rt.destinationCidrBlock() != null
                            ? rt.destinationCidrBlock()
                            : rt.destinationIpv6CidrBlock();
                    if (dest == null) {
                        continue; // a prefix list's route: not ours
                    }
                    String target = rt.gatewayId() != null ? rt.gatewayId() : rt.networkInterfaceId();
                    now.put(Prefix.parse(dest).network().toString(), target);
                }
            }
            boolean known = have != null && !fresh.contains("rtb/" + v.name());
            for (Map.Entry<String, String> w : want.entrySet()) {
                String dest = w.getKey();
                String target = w.getValue();
                String name = v.name() + " " + dest;
                if (!now.containsKey(dest)) {
                    change(
                            Plan.Action.CREATE,
                            "route",
                            name,
                            "-> " + label.get(dest) + (known && !made.contains(dest) ? "; drift: missing" : ""));
                    if (apply) {
                        AwsCall.call("ec2", "CreateRoute", () -> c.ec2().createRoute(route(rtb, dest, target)));
                    }
                } else if (target != null && !target.equals(now.get(dest))) {
                    change(
                            Plan.Action.UPDATE,
                            "route",
                            name,
                            "drift: -> " + now.get(dest) + ", should be -> " + label.get(dest));
                    if (apply) {
                        AwsCall.call("ec2", "ReplaceRoute", () -> c.ec2().replaceRoute(q -> {
                            q.routeTableId(rtb);
                            destination(dest, q::destinationCidrBlock, q::destinationIpv6CidrBlock);
                            if (target.startsWith("igw-")) {
                                q.gatewayId(target);
                            } else {
                                q.networkInterfaceId(target);
                            }
                        }));
                    }
                }
            }
            for (String dest : now.keySet()) {
                if (!want.containsKey(dest)) {
                    change(
                            Plan.Action.DELETE,
                            "route",
                            v.name() + " " + dest,
                            retired.contains(dest)
                                    ? "its VPC is removed or replaced, -> " + now.get(dest)
                                    : removed(dest, now.get(dest)));
                    if (apply) {
                        AwsCall.call("ec2", "DeleteRoute", () -> c.ec2().deleteRoute(q -> {
                            q.routeTableId(rtb);
                            destination(dest, q::destinationCidrBlock, q::destinationIpv6CidrBlock);
                        }));
                    }
                }
            }
        }

        /**
         * Why a route to {@code target} goes: it leads to an ENI of a router the script no longer
         * has, or it is not srv6sh's (drift).
         */
        private String removed(String dest, String target) {
            for (Map.Entry<String, NetworkInterface> e : snap.enis.entrySet()) {
                if (e.getValue().networkInterfaceId().equals(target)) {
                    String[] p = e.getKey().split("/");
                    if (p[2].equals("primary")) {
                        break;
                    }
                    if (!wanted(code).contains(e.getKey())) {
                        return "-> eni " + p[1] + "/" + p[2] + " of router " + p[1] + ", no longer in the script";
                    }
                    // the last apply's script had the router steer it here; this one does not
                    boolean was = state.spec().routers().stream()
                            .anyMatch(r -> r.name().equals(p[1])
                                    && r.attract().stream()
                                            .anyMatch(
                                                    a -> a.network().toString().equals(dest)));
                    if (was) {
                        return "-> eni " + p[1] + "/" + p[2] + ", no longer steered there by the script";
                    }
                    break;
                }
            }
            return "drift: not srv6sh's, -> " + target;
        }

        private static software.amazon.awssdk.services.ec2.model.CreateRouteRequest route(
                String rtb, String dest, String target) {
            var q = software.amazon.awssdk.services.ec2.model.CreateRouteRequest.builder()
                    .routeTableId(rtb);
            destination(dest, q::destinationCidrBlock, q::destinationIpv6CidrBlock);
            if (target.startsWith("igw-")) {
                q.gatewayId(target);
            } else {
                q.networkInterfaceId(target);
            }
            return q.build();
        }

        private static void destination(
                String dest, java.util.function.Consumer<String> v4, java.util.function.Consumer<String> v6) {
            if (dest.contains(":")) {
                v6.accept(dest);
            } else {
                v4.accept(dest);
            }
        }

        private void routerInstance(CloudSpec.Vpc v, CloudSpec.Router r, String ami) throws ProviderException {
            String address = "router/" + r.name();
            String type = r.instanceType() != null ? r.instanceType() : DEFAULT_ROUTER_TYPE;
            Enis e = enis.get(r.name());
            Instance have = snap.instances.get(address);
            if (have != null) {
                List<String> wrong = new ArrayList<>();
                if (!type.equals(have.instanceTypeAsString())) {
                    wrong.add("instance type " + have.instanceTypeAsString() + " -> " + type);
                }
                if (r.image() != null && !ami.equals(have.imageId())) {
                    wrong.add("image " + have.imageId() + " -> " + ami);
                }
                Set<String> attached = new LinkedHashSet<>();
                have.networkInterfaces().forEach(n -> attached.add(n.networkInterfaceId()));
                for (NetworkInterface n : new NetworkInterface[] {e.management(), e.inside(), e.transit()}) {
                    if (n == null || !attached.contains(n.networkInterfaceId())) {
                        wrong.add("its ENIs were replaced");
                        break;
                    }
                }
                if (wrong.isEmpty()) {
                    adopt(address, have.instanceId());
                    routers.put(r.name(), router(v, r, have, e));
                    return;
                }
                change(
                        Plan.Action.REPLACE,
                        "instance",
                        "router " + r.name(),
                        String.join(", ", wrong) + " forces replacement");
                if (!apply) {
                    return;
                }
                terminate(address, have.instanceId());
            } else {
                change(Plan.Action.CREATE, "instance", "router " + r.name(), drift(address, type + ", " + ami));
                if (!apply) {
                    return;
                }
            }
            String userData = bootstrap.routerUserData(new Bootstrap.RouterBoot(
                    stack,
                    r.name(),
                    code,
                    distributionUrl(),
                    configurationUrl(r.name()),
                    e.management().macAddress(),
                    e.inside().macAddress(),
                    e.transit().macAddress()));
            List<InstanceNetworkInterfaceSpecification> nics =
                    List.of(nic(0, e.management()), nic(1, e.inside()), nic(2, e.transit()));
            Instance made = run(
                    address,
                    type,
                    ami,
                    userData,
                    nics,
                    List.of(Tags.spec(ResourceType.INSTANCE, stack, state.stackId(), address)));
            routers.put(r.name(), router(v, r, made, e));
        }

        private static InstanceNetworkInterfaceSpecification nic(int index, NetworkInterface n) {
            return InstanceNetworkInterfaceSpecification.builder()
                    .deviceIndex(index)
                    .networkInterfaceId(n.networkInterfaceId())
                    .build();
        }

        private void hostInstance(CloudSpec.Vpc v, CloudSpec.Host h, String ami) throws ProviderException {
            String address = "host/" + h.name();
            String type = h.instanceType() != null ? h.instanceType() : DEFAULT_HOST_TYPE;
            Instance have = snap.instances.get(address);
            InetAddress ip = layout.host(h.name());
            if (have != null) {
                List<String> wrong = new ArrayList<>();
                if (!type.equals(have.instanceTypeAsString())) {
                    wrong.add("instance type " + have.instanceTypeAsString() + " -> " + type);
                }
                if (h.image() != null && !ami.equals(have.imageId())) {
                    wrong.add("image " + have.imageId() + " -> " + ami);
                }
                if (!ip.getHostAddress().equals(have.privateIpAddress())) {
                    wrong.add("address " + have.privateIpAddress() + " -> " + ip.getHostAddress());
                }
                if (wrong.isEmpty()) {
                    adopt(address, have.instanceId());
                    hosts.put(h.name(), host(h, have));
                    return;
                }
                change(
                        Plan.Action.REPLACE,
                        "instance",
                        "host " + h.name(),
                        String.join(", ", wrong) + " forces replacement");
                if (!apply) {
                    return;
                }
                terminate(address, have.instanceId());
            } else {
                change(
                        Plan.Action.CREATE,
                        "instance",
                        "host " + h.name(),
                        drift(address, type + ", " + ip.getHostAddress()));
                if (!apply) {
                    return;
                }
            }
            String userData = bootstrap.hostUserData(new Bootstrap.HostBoot(stack, h.name(), code));
            String subnet = subnetIds.get(v.name() + "/inside");
            String sg = sgIds.get(v.name());
            List<InstanceNetworkInterfaceSpecification> nics = List.of(InstanceNetworkInterfaceSpecification.builder()
                    .deviceIndex(0)
                    .subnetId(subnet)
                    .groups(sg)
                    .privateIpAddress(ip.getHostAddress())
                    .associatePublicIpAddress(true)
                    .deleteOnTermination(true)
                    .build());
            Instance made = run(
                    address,
                    type,
                    ami,
                    userData,
                    nics,
                    List.of(
                            Tags.spec(ResourceType.INSTANCE, stack, state.stackId(), address),
                            Tags.spec(
                                    ResourceType.NETWORK_INTERFACE,
                                    stack,
                                    state.stackId(),
                                    "eni/" + h.name() + "/primary")));
            hosts.put(h.name(), host(h, made));
            if (!made.networkInterfaces().isEmpty()) {
                state.put(
                        "eni/" + h.name() + "/primary",
                        made.networkInterfaces().getFirst().networkInterfaceId());
            }
        }

        /**
         * RunInstances with a client token recorded in the state before the call, so that the same
         * request after a crash is deduplicated by EC2 (moto does not deduplicate: the lookup by tag
         * is what finds it there), then waits for it to run.
         */
        private Instance run(
                String address,
                String type,
                String ami,
                String userData,
                List<InstanceNetworkInterfaceSpecification> nics,
                List<software.amazon.awssdk.services.ec2.model.TagSpecification> tags)
                throws ProviderException {
            String tokenKey = "token/" + address;
            String token = state.id(tokenKey);
            if (token == null) {
                byte[] b = new byte[12];
                new java.security.SecureRandom().nextBytes(b);
                token = (stack + "-" + address.replace('/', '-')).replaceAll("[^A-Za-z0-9-]", "");
                token = token.substring(0, Math.min(token.length(), 39)) + "-"
                        + HexFormat.of().formatHex(b);
                state.put(tokenKey, token);
            }
            String t = token;
            Instance made = AwsCall.call("ec2", "RunInstances", () -> c.ec2()
                    .runInstances(q -> q.imageId(ami)
                            .instanceType(type)
                            .keyName(keyName)
                            .minCount(1)
                            .maxCount(1)
                            .clientToken(t)
                            .userData(Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8)))
                            .networkInterfaces(nics)
                            .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED))
                            .tagSpecifications(tags))
                    .instances()
                    .getFirst());
            state.put(address, made.instanceId());
            AwsCall.call("ec2", "DescribeInstances", () -> c.ec2()
                    .waiter()
                    .waitUntilInstanceRunning(
                            software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest.builder()
                                    .instanceIds(made.instanceId())
                                    .build(),
                            waiter()));
            return AwsCall.call("ec2", "DescribeInstances", () -> c.ec2()
                    .describeInstances(q -> q.instanceIds(made.instanceId()))
                    .reservations()
                    .getFirst()
                    .instances()
                    .getFirst());
        }

        private void terminate(String address, String id) throws ProviderException {
            AwsCall.call("ec2", "TerminateInstances", () -> c.ec2().terminateInstances(q -> q.instanceIds(id)));
            AwsCall.call("ec2", "DescribeInstances", () -> c.ec2()
                    .waiter()
                    .waitUntilInstanceTerminated(
                            software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest.builder()
                                    .instanceIds(id)
                                    .build(),
                            waiter()));
            state.remove(address);
            state.remove("token/" + address);
        }

        private RouterResources router(CloudSpec.Vpc v, CloudSpec.Router r, Instance i, Enis e)
                throws ProviderException {
            Address eip = null;
            String eipId = state.id("eip/" + r.name());
            Address have = snap.addresses.get("eip/" + r.name());
            if (have != null) {
                eip = have;
            } else if (eipId != null) {
                eip = AwsCall.call("ec2", "DescribeAddresses", () -> c.ec2()
                                .describeAddresses(q -> q.allocationIds(eipId))
                                .addresses())
                        .stream()
                        .findFirst()
                        .orElse(null);
            }
            VpcInfo info = layout.info(v.name());
            InetAddress inside = layout.routerInside(r.name());
            Inet6Address transit = layout.routerTransit6(r.name());
            DataplaneConfig base = base(r, info, inside, transit, e);
            return new RouterResources(
                    stack,
                    r.name(),
                    code,
                    i.instanceId(),
                    e.management().networkInterfaceId(),
                    e.inside().networkInterfaceId(),
                    e.transit().networkInterfaceId(),
                    e.management().macAddress(),
                    e.inside().macAddress(),
                    e.transit().macAddress(),
                    eip == null || eip.publicIp() == null ? null : parse(eip.publicIp()),
                    layout.routerManagement(r.name()),
                    inside,
                    transit,
                    layout.locator(r.name()),
                    e.delegated(),
                    base,
                    bucket,
                    Distribution.configurationKey(r.name()));
        }

        private HostResources host(CloudSpec.Host h, Instance i) throws ProviderException {
            return new HostResources(
                    stack,
                    h.name(),
                    code,
                    i.instanceId(),
                    i.networkInterfaces().isEmpty()
                            ? null
                            : i.networkInterfaces().getFirst().networkInterfaceId(),
                    layout.host(h.name()),
                    i.publicIpAddress() == null ? null : parse(i.publicIpAddress()));
        }
    }

    /**
     * The topology part of a router's data plane on AWS: inside and transit on their ENIs (found by
     * MAC on the instance), the VPC router as the default gateway of each (AWS answers at the
     * subnet's first address), the transit address as the encapsulation source.
     */
    static DataplaneConfig base(
            CloudSpec.Router r, VpcInfo vpc, InetAddress inside, Inet6Address transit, Region.Enis e) {
        return new DataplaneConfig(
                r.name(),
                List.of(
                        new DataplaneConfig.Interface(
                                "inside",
                                MacAddress.parse(e.inside().macAddress()),
                                List.of(new Prefix(inside, vpc.inside().length())),
                                9001,
                                "af_packet",
                                "inside"),
                        new DataplaneConfig.Interface(
                                "transit",
                                MacAddress.parse(e.transit().macAddress()),
                                List.of(new Prefix(transit, vpc.transit().length())),
                                1500,
                                "af_packet",
                                "transit")),
                List.of(
                        new DataplaneConfig.Route(
                                0, Prefix.parse("0.0.0.0/0"), vpc.inside().host(1), "inside"),
                        new DataplaneConfig.Route(
                                0, Prefix.parse("::/0"), vpc.transit().host(1), "transit")),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                new DataplaneConfig.Encap(transit, 64),
                new DataplaneConfig.SrDomain(List.of("inside"), List.of()));
    }

    static String canonical(String ipv6) {
        return dev.srv6sh.dataplane.config.Addresses.format(parse(ipv6));
    }

    static InetAddress parse(String a) {
        return dev.srv6sh.dataplane.config.Addresses.parse(a);
    }
}
