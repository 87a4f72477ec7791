package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.cloud.Plan;
import dev.srv6sh.cloud.Plan.Action;
import dev.srv6sh.cloud.Plan.Change;
import dev.srv6sh.cloud.Provider;
import dev.srv6sh.cloud.ProviderException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code local} backend: the whole topology emulated in this JVM. A changed topology is rebuilt
 * whole on apply (emulated resources cost nothing to recreate); the plan still names each change.
 */
public final class LocalProvider implements Provider {
    private final boolean warmUp;
    private final LinkModel model;
    private LocalDeployment deployment;

    public LocalProvider() {
        this(true);
    }

    /** With another link model than AWS's (tests: low rate limits, large jitter). */
    LocalProvider(LinkModel model) {
        this.warmUp = true;
        this.model = model;
    }

    /**
     * With {@code warmUp} false, the first apply skips the JIT warm-up: for runs that measure nothing
     * and only need what a deployment is given (srv6sh replay reads a router's configuration).
     */
    public LocalProvider(boolean warmUp) {
        this.warmUp = warmUp;
        this.model = LinkModel.AWS;
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
        CloudSpec now = observe();
        List<Change> changes = new ArrayList<>();
        diff(changes, "region", now.regions(), desired.regions(), CloudSpec.Region::name);
        diff(changes, "vpc", now.vpcs(), desired.vpcs(), CloudSpec.Vpc::name);
        diff(changes, "host", now.hosts(), desired.hosts(), CloudSpec.Host::name);
        diff(changes, "router", now.routers(), desired.routers(), CloudSpec.Router::name);
        if (!now.rtts().equals(desired.rtts())) {
            changes.add(new Change(Action.UPDATE, "links", "rtt", "emulated round-trip times"));
        }
        return new Plan(desired, changes);
    }

    private static <T> void diff(List<Change> out, String kind, List<T> now, List<T> want, Function<T, String> name) {
        Map<String, T> before = new LinkedHashMap<>();
        now.forEach(t -> before.put(name.apply(t), t));
        for (T t : want) {
            T old = before.remove(name.apply(t));
            if (old == null) {
                out.add(new Change(Action.CREATE, kind, name.apply(t), ""));
            } else if (!old.equals(t)) {
                out.add(new Change(Action.REPLACE, kind, name.apply(t), "settings changed"));
            }
        }
        before.keySet().forEach(n -> out.add(new Change(Action.DELETE, kind, n, "")));
    }

    @Override
    public Deployment apply(Plan plan) throws ProviderException {
        if (plan.isEmpty() && deployment != null) {
            return deployment;
        }
        if (warmUp) {
            Warmup.once();
        }
        LocalDeployment next = new LocalDeployment(plan.desired(), model);
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
