package dev.srv6sh.cloud.netns;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.cloud.Plan;
import dev.srv6sh.cloud.Provider;
import dev.srv6sh.cloud.ProviderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The {@code netns} backend: hosts are network namespaces with the kernel's stack, routers {@code
 * srv6sh router} daemons on AF_PACKET in namespaces of their own, driven through the agent over SSH
 * (docs/netns.md). Needs root. A changed topology is rebuilt whole on apply, under a new prefix.
 *
 * <p>Each deployment's directory ({@code $SRV6SH_HOME/netns/PREFIX}: keys, router configurations
 * and logs) records in {@code owner} the pid of the process that applied it, or {@code kept} once
 * {@link #keep} said it outlives that process. A {@link #destroy} with no deployment of its own
 * removes what crashed processes left (an owner that is gone, or namespaces with no directory).
 */
public final class NetnsProvider implements Provider {
    private static final SecureRandom RANDOM = new SecureRandom();

    private NetnsDeployment deployment;
    /** A deployment another process made, taken over from a state file. */
    private String adopted;

    private boolean kept;
    private final long seed;

    public NetnsProvider() throws ProviderException {
        this(dev.srv6sh.cloud.Providers.DEFAULT_SEED);
    }

    /** With the links' jitter seeded by {@code seed} (srv6sh's {@code --seed}), as on local. */
    public NetnsProvider(long seed) throws ProviderException {
        this.seed = seed;
        if (!Sys.isRoot()) {
            throw new ProviderException("the netns backend needs root: it makes network namespaces, veth pairs,"
                    + " bridges and NAT rules; run srv6sh as root (sudo), or use --backend local");
        }
    }

    /** Where the deployment {@code prefix} keeps its files ({@code ""}: the directory of them all). */
    static Path dir(String prefix) {
        String h = System.getenv("SRV6SH_HOME");
        Path home = h != null && !h.isBlank() ? Path.of(h) : Path.of(System.getProperty("user.home"), ".srv6sh");
        return prefix.isEmpty() ? home.resolve("netns") : home.resolve("netns").resolve(prefix);
    }

    @Override
    public String name() {
        return "netns";
    }

    /** Its hosts are namespaces with the kernel's own stack: TCP runs between them. */
    @Override
    public boolean supports(String feature) {
        return feature.equals("tcp");
    }

    @Override
    public CloudSpec observe() {
        return deployment == null ? CloudSpec.empty() : deployment.spec();
    }

    @Override
    public Plan plan(CloudSpec desired) {
        return Plan.between(observe(), desired);
    }

    @Override
    public Deployment apply(Plan plan) throws ProviderException {
        if (plan.isEmpty() && deployment != null) {
            return deployment;
        }
        destroy();
        String prefix = freshPrefix();
        Path d = dir(prefix);
        try {
            Keys.ownerOnlyDir(d);
            Files.writeString(
                    d.resolve("owner"), Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new ProviderException("cannot make " + d + ": " + e.getMessage());
        }
        deployment = NetnsDeployment.create(plan.desired(), prefix, d, seed);
        return deployment;
    }

    private static String freshPrefix() {
        while (true) {
            String p = "s6" + String.format("%04x", RANDOM.nextInt(0x10000));
            if (Leftovers.find(p).isEmpty()) {
                return p;
            }
        }
    }

    @Override
    public Deployment deployment() {
        return deployment;
    }

    @Override
    public void adopt(String deploymentId) throws ProviderException {
        if (deploymentId == null) {
            return;
        }
        if (!Leftovers.PREFIX.matcher(deploymentId).matches()) {
            throw new ProviderException(
                    "'" + deploymentId + "' is not a netns deployment (those are s6 and four" + " hexadecimal digits)");
        }
        adopted = deploymentId;
    }

    @Override
    public void keep() {
        kept = true;
        if (deployment != null) {
            try {
                Files.writeString(dir(deployment.prefix()).resolve("owner"), "kept");
            } catch (IOException e) {
                // then a later destroy takes it for a crash's leftover, which it is not worse than
            }
        }
    }

    /**
     * Removes this provider's deployment, the adopted one, and what crashed processes left; what is
     * already gone is no error, so a second destroy does nothing.
     */
    @Override
    public void destroy() {
        if (deployment != null) {
            deployment.close();
            Leftovers.remove(deployment.prefix());
            deployment = null;
        }
        if (adopted != null) {
            Leftovers.remove(adopted);
            adopted = null;
        }
        for (String p : Leftovers.prefixes()) {
            if (orphaned(p)) {
                Leftovers.remove(p);
            }
        }
    }

    /**
     * A prefix whose applying process is gone without having kept it. A prefix with no directory
     * under this {@code $SRV6SH_HOME} is not ours to judge: namespaces are the machine's, and another
     * user, or another {@code SRV6SH_HOME}, may have a deployment running there.
     */
    private static boolean orphaned(String prefix) {
        if (!Files.isDirectory(dir(prefix))) {
            return false;
        }
        Path owner = dir(prefix).resolve("owner");
        try {
            String o = Files.readString(owner).strip();
            if (o.equals("kept")) {
                return false;
            }
            return ProcessHandle.of(Long.parseLong(o)).map(ph -> !ph.isAlive()).orElse(true);
        } catch (IOException | NumberFormatException e) {
            return !Files.exists(owner);
        }
    }

    @Override
    public void close() {
        if (kept) {
            if (deployment != null) {
                deployment.close();
                deployment = null;
            }
        } else {
            destroy();
        }
    }
}
