package dev.srv6sh.cloud;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deployment whose VPCs, routers and hosts a backend keeps by name, in declaration order: what the
 * local and netns backends share of {@link Deployment}. The backend fills the maps as it builds.
 */
public abstract class MapDeployment<R extends RouterHandle, H extends HostHandle> implements Deployment {
    protected final CloudSpec spec;
    protected final Map<String, VpcInfo> vpcs = new LinkedHashMap<>();
    protected final Map<String, R> routers = new LinkedHashMap<>();
    protected final Map<String, H> hosts = new LinkedHashMap<>();

    protected MapDeployment(CloudSpec spec) {
        this.spec = spec;
    }

    @Override
    public CloudSpec spec() {
        return spec;
    }

    @Override
    public VpcInfo vpc(String name) {
        return vpcs.get(name);
    }

    @Override
    public R router(String name) {
        return routers.get(name);
    }

    @Override
    public H host(String name) {
        return hosts.get(name);
    }

    @Override
    public List<String> routerNames() {
        return List.copyOf(routers.keySet());
    }
}
