package dev.srv6sh.aws;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.HostHandle;
import dev.srv6sh.cloud.MapDeployment;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.RouterHandle;
import dev.srv6sh.dataplane.agent.AgentJson;
import dev.srv6sh.dataplane.agent.RouterAgent;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A stack on AWS as the interpreter sees it: each VPC's addressing (with its real IPv6 /56), and a
 * handle per router and host. The handles are made in {@link #router(RouterResources, S3Client)} and
 * {@link #host(HostResources)} only, so that the management over SSH can take their place there.
 */
final class AwsDeployment extends MapDeployment<RouterHandle, HostHandle> {
    private final String stack;

    AwsDeployment(
            CloudSpec spec,
            String stack,
            Map<String, VpcInfo> vpcInfo,
            List<RouterResources> routerResources,
            List<HostResources> hostResources,
            S3Client bucketClient) {
        super(spec);
        this.stack = stack;
        for (CloudSpec.Vpc v : spec.vpcs()) {
            vpcs.put(v.name(), vpcInfo.get(v.name()));
        }
        for (CloudSpec.Router r : spec.routers()) {
            routerResources.stream()
                    .filter(x -> x.name().equals(r.name()))
                    .findFirst()
                    .ifPresent(x -> routers.put(r.name(), router(x, bucketClient)));
        }
        for (CloudSpec.Host h : spec.hosts()) {
            hostResources.stream()
                    .filter(x -> x.name().equals(h.name()))
                    .findFirst()
                    .ifPresent(x -> hosts.put(h.name(), host(x)));
        }
    }

    /** The stack's name: what the state file records as the deployment. */
    @Override
    public String id() {
        return stack;
    }

    /** The handle of one router. */
    static RouterHandle router(RouterResources r, S3Client s3) {
        return new StagedRouter(r, s3);
    }

    /** The handle of one client host. */
    static HostHandle host(HostResources h) {
        return new UnmanagedHost(h);
    }

    static final String NOT_YET = "is not reachable from this build of srv6sh yet: the aws backend's management"
            + " over SSH (the router agent and the hosts' ping and iperf3) comes with the router bootstrap";

    /**
     * A router whose configuration goes to the stack's bucket ({@code routers/NAME/config.json}, which
     * its bootstrap reads; an unchanged one is not uploaded again), and whose agent is not reachable
     * from here yet.
     */
    record StagedRouter(RouterResources resources, S3Client s3) implements RouterHandle {
        @Override
        public String name() {
            return resources.name();
        }

        @Override
        public Prefix locator() {
            return resources.locator();
        }

        @Override
        public Inet6Address transitAddress() {
            return resources.transitAddress();
        }

        @Override
        public DataplaneConfig base() {
            return resources.base();
        }

        @Override
        public RouterAgent agent() {
            throw new IllegalStateException("router " + name() + " " + NOT_YET);
        }

        @Override
        public void configure(DataplaneConfig config) throws ProviderException {
            byte[] json = AgentJson.write(config).getBytes(StandardCharsets.UTF_8);
            String md5;
            try {
                md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(json));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            String bucket = resources.bucket();
            String key = resources.configurationKey();
            try {
                String etag = s3.headObject(r -> r.bucket(bucket).key(key)).eTag();
                if (etag != null && etag.replace("\"", "").equalsIgnoreCase(md5)) {
                    return; // the same configuration: nothing to commit
                }
            } catch (SdkException e) {
                if (!AwsCall.notFound(e)) {
                    throw AwsCall.failure("s3", "HeadObject", e);
                }
            }
            AwsCall.call(
                    "s3",
                    "PutObject",
                    () -> s3.putObject(
                            r -> r.bucket(bucket).key(key).contentType("application/json"),
                            RequestBody.fromBytes(json)));
        }
    }

    /** A client host: its addresses; measuring from it needs the management over SSH. */
    record UnmanagedHost(HostResources resources) implements HostHandle {
        @Override
        public String name() {
            return resources.name();
        }

        @Override
        public InetAddress address() {
            return resources.address();
        }

        @Override
        public InetAddress publicAddress() {
            return resources.publicAddress();
        }

        @Override
        public boolean hasTcpStack() {
            return true;
        }

        @Override
        public List<Probe> ping(InetAddress target, int count, Duration interval, int size, Duration timeout)
                throws ProviderException {
            throw new ProviderException("host " + name() + " " + NOT_YET);
        }

        @Override
        public UdpReport udp(HostHandle receiver, InetAddress target, UdpFlow flow) throws ProviderException {
            throw new ProviderException("host " + name() + " " + NOT_YET);
        }

        @Override
        public TcpReport tcp(HostHandle receiver, InetAddress target, TcpFlow flow) throws ProviderException {
            throw new ProviderException("host " + name() + " " + NOT_YET);
        }
    }
}
