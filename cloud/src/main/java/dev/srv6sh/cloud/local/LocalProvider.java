package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.cloud.Plan;
import dev.srv6sh.cloud.Provider;
import dev.srv6sh.cloud.ProviderException;

/**
 * The {@code local} backend: the whole topology emulated in this JVM, in virtual time. A changed
 * topology is rebuilt whole on apply (emulated resources cost nothing to recreate); the plan still
 * names each change.
 */
public final class LocalProvider implements Provider {
    private final boolean warmUp;
    private final LinkModel model;
    private final WorkMeter meter;
    private LocalDeployment deployment;

    public LocalProvider() {
        this(true);
    }

    /** With another link model than AWS's (tests: low rate limits, large jitter). */
    LocalProvider(LinkModel model) {
        this(model, WorkMeter.THREAD_CPU);
    }

    /** With another link model, and routers whose runs cost what {@code meter} says (tests: a fixed cost). */
    LocalProvider(LinkModel model, WorkMeter meter) {
        this.warmUp = true;
        this.model = model;
        this.meter = meter;
    }

    /**
     * With {@code warmUp} false, the first apply skips the JIT warm-up: for runs that measure nothing
     * and only need what a deployment is given (srv6sh replay reads a router's configuration).
     */
    public LocalProvider(boolean warmUp) {
        this(warmUp, dev.srv6sh.cloud.Providers.DEFAULT_SEED);
    }

    /** As {@link #LocalProvider(boolean)}, with the links' jitter seeded by {@code seed}. */
    /** The JIT warm-up every warmed local provider's first apply runs, once per process. */
    public static void warmUp() {
        Warmup.once();
    }

    public LocalProvider(boolean warmUp, long seed) {
        this.warmUp = warmUp;
        this.model = LinkModel.AWS.withSeed(seed);
        this.meter = WorkMeter.THREAD_CPU;
    }

    @Override
    public String name() {
        return "local";
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
        if (warmUp) {
            Warmup.once();
        }
        LocalDeployment next = new LocalDeployment(plan.desired(), model, meter);
        if (deployment != null) {
            deployment.close();
        }
        deployment = next;
        return deployment;
    }

    @Override
    public Deployment deployment() {
        return deployment;
    }

    @Override
    public void destroy() {
        if (deployment != null) {
            deployment.close();
            deployment = null;
        }
    }

    @Override
    public void close() {
        destroy();
    }
}
