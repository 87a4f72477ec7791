package dev.srv6sh.aws;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.HostHandle;
import dev.srv6sh.cloud.MapDeployment;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.RouterHandle;
import dev.srv6sh.cloud.ssh.SshAgentClient;
import dev.srv6sh.dataplane.config.Addresses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * A stack on AWS as the interpreter sees it: each VPC's addressing (with its real IPv6 /56), and a
 * handle per router ({@link AwsRouterHandle}: the agent over SSH on {@link
 * Bootstrap#ROUTER_SSH_PORT}, configuration objects in the stack's bucket) and per host ({@link
 * AwsHostHandle}: ping and iperf3 over SSH exec). Both are pinned to the host keys their instance's
 * bootstrap printed to its console (GetConsoleOutput), never to a key first seen on connecting.
 */
final class AwsDeployment extends MapDeployment<RouterHandle, HostHandle> implements AutoCloseable {
    /** How long SSH connecting and logging in may take. */
    private static final Duration SSH_TIMEOUT = Duration.ofSeconds(20);

    /** How often the consoles are read while instances boot. */
    private static final Duration POLL = Duration.ofSeconds(15);

    private final String stack;
    private final Bootstrap bootstrap;
    private final Function<String, Ec2Client> ec2;
    private final Duration bootWait;
    private final Consumer<String> notice;
    private final SshAgentClient agents = new SshAgentClient(SSH_TIMEOUT);
    private final SshExec exec = new SshExec(SSH_TIMEOUT);
    private final Map<String, RouterResources> routerResources = new LinkedHashMap<>();
    private final Map<String, HostResources> hostResources = new LinkedHashMap<>();

    /**
     * {@code ec2}: the client of a region (GetConsoleOutput); {@code bootWait}: how long {@link
     * #programmed} waits for the instances' bootstraps to print their host keys (zero: it reads the
     * consoles once).
     */
    AwsDeployment(
            CloudSpec spec,
            String stack,
            Map<String, VpcInfo> vpcInfo,
            List<RouterResources> routers,
            List<HostResources> hosts,
            Bootstrap bootstrap,
            Distribution objects,
            Function<String, Ec2Client> ec2,
            Duration bootWait,
            Consumer<String> notice)
            throws ProviderException {
        super(spec);
        this.stack = stack;
        this.bootstrap = bootstrap;
        this.ec2 = ec2;
        this.bootWait = bootWait;
        this.notice = notice;
        KeyPair identity = identity(bootstrap.privateKey(stack));
        for (CloudSpec.Vpc v : spec.vpcs()) {
            vpcs.put(v.name(), vpcInfo.get(v.name()));
        }
        for (CloudSpec.Router r : spec.routers()) {
            for (RouterResources x : routers) {
                if (x.name().equals(r.name())) {
                    routerResources.put(r.name(), x);
                    this.routers.put(r.name(), router(x, identity, agents, objects));
                }
            }
        }
        for (CloudSpec.Host h : spec.hosts()) {
            for (HostResources x : hosts) {
                if (x.name().equals(h.name())) {
                    hostResources.put(h.name(), x);
                    this.hosts.put(h.name(), host(x, identity, exec));
                }
            }
        }
    }

    private static KeyPair identity(Path file) throws ProviderException {
        if (file == null || !Files.exists(file)) {
            return null; // a bootstrap without a key of its own (the tests'): nothing connects
        }
        try {
            return SshAgentClient.identity(file);
        } catch (IOException e) {
            throw new ProviderException("cannot read the stack's private key " + file + ": " + e.getMessage());
        }
    }

    /** The stack's name: what the state file records as the deployment. */
    @Override
    public String id() {
        return stack;
    }

    /**
     * The handle of one router: its agent at its Elastic IP, port {@link Bootstrap#ROUTER_SSH_PORT};
     * its configuration object in the stack's bucket ({@link Distribution#configurationKey}, the key
     * its user-data's presigned URL names), which its bootstrap waits for at boot.
     */
    static AwsRouterHandle router(RouterResources r, KeyPair identity, SshAgentClient ssh, Distribution objects) {
        return new AwsRouterHandle(
                r.name(),
                r.locator(),
                r.transitAddress(),
                r.base(),
                r.publicAddress() == null ? null : Addresses.format(r.publicAddress()),
                Bootstrap.ROUTER_SSH_PORT,
                identity,
                ssh,
                objects,
                r.bucket());
    }

    /** The handle of one client host: SSH exec as ec2-user on its public address, port 22. */
    static AwsHostHandle host(HostResources h, KeyPair identity, SshExec ssh) {
        return new AwsHostHandle(
                h.name(),
                h.address(),
                null, // the inside subnet is IPv4 only
                h.publicAddress(),
                h.publicAddress() == null ? null : Addresses.format(h.publicAddress()),
                22,
                ssh,
                identity);
    }

    /**
     * Every router has its configuration object: pins each router and host to the host keys its
     * bootstrap printed to its console, reading the consoles until all are pinned or {@code bootWait}
     * has passed. A bootstrap that printed why it failed is an error; one that has not printed its
     * keys yet is a notice (its handle says it has not finished its bootstrap), since the instance
     * will load its configuration from the bucket when it gets there.
     */
    @Override
    public void programmed() throws ProviderException {
        long deadline = System.nanoTime() + bootWait.toNanos();
        while (true) {
            List<String> waiting = pinFromConsoles();
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                notice.accept("the bootstrap of " + String.join(", ", waiting)
                        + " has not finished yet (no host key in the console output): the routers"
                        + " load their configuration from the stack's bucket when they get there; measuring"
                        + " waits for a later run");
                return;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException("interrupted while waiting for the instances' bootstrap");
            }
        }
    }

    /** One reading of every unpinned instance's console; what is still waiting. */
    private List<String> pinFromConsoles() throws ProviderException {
        List<String> waiting = new ArrayList<>();
        for (RouterResources r : routerResources.values()) {
            AwsRouterHandle h = (AwsRouterHandle) routers.get(r.name());
            if (h.pinned()) {
                continue;
            }
            String console = console(r.region(), r.instanceId());
            failed("router " + r.name(), r.instanceId(), console);
            Optional<String> key = bootstrap.routerHostKey(console);
            if (key.isPresent()) {
                h.pin(key.get());
            } else {
                waiting.add("router " + r.name());
            }
        }
        for (HostResources r : hostResources.values()) {
            AwsHostHandle h = (AwsHostHandle) hosts.get(r.name());
            if (h.pinned()) {
                continue;
            }
            String console = console(r.region(), r.instanceId());
            failed("host " + r.name(), r.instanceId(), console);
            List<String> keys = bootstrap.hostKeys(console);
            if (!keys.isEmpty()) {
                h.pin(keys);
            } else {
                waiting.add("host " + r.name());
            }
        }
        return waiting;
    }

    private void failed(String what, String instance, String console) throws ProviderException {
        Optional<String> why = bootstrap.failure(console);
        if (why.isPresent()) {
            throw new ProviderException(what + " (" + instance + "): its bootstrap failed: " + why.get()
                    + " (aws ec2 get-console-output --instance-id " + instance + " shows the rest)");
        }
    }

    /**
     * The instance's console output, decoded: the latest (what it printed up to now, on Nitro
     * instance types, the defaults), else the buffer EC2 keeps from around its last state change (an
     * instance type that refuses {@code latest}).
     */
    private String console(String region, String instance) throws ProviderException {
        String out;
        try {
            out = AwsCall.call("ec2", "GetConsoleOutput", () -> ec2.apply(region)
                    .getConsoleOutput(q -> q.instanceId(instance).latest(true))
                    .output());
        } catch (ProviderException e) {
            out = AwsCall.call("ec2", "GetConsoleOutput", () -> ec2.apply(region)
                    .getConsoleOutput(q -> q.instanceId(instance))
                    .output());
        }
        if (out == null || out.isEmpty()) {
            return "";
        }
        try {
            return new String(Base64.getMimeDecoder().decode(out), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return out; // already text
        }
    }

    /** Ends the SSH connections of the handles. */
    @Override
    public void close() {
        for (RouterHandle r : routers.values()) {
            ((AwsRouterHandle) r).close();
        }
        try {
            agents.close();
        } catch (IOException e) {
            // closing: nothing else to do
        }
        try {
            exec.close();
        } catch (IOException e) {
            // closing: nothing else to do
        }
    }
}
