package dev.srv6sh.interpreter.eval;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Desired state → {@link CloudSpec}: the topology part, which a provider reconciles. */
final class Lowering {
    private Lowering() {}

    static CloudSpec cloud(Desired d) {
        List<CloudSpec.Region> regions = d.regions.values().stream()
                .map(r -> new CloudSpec.Region(r.name(), r.kind(), r.code()))
                .toList();
        List<CloudSpec.Rtt> rtts = d.rtts.stream()
                .map(r -> new CloudSpec.Rtt(r.a(), r.b(), r.rtt()))
                .toList();
        List<CloudSpec.Vpc> vpcs = d.vpcs.values().stream()
                .map(v -> new CloudSpec.Vpc(v.name(), v.region(), v.cidr(), v.zone(), v.ipv6()))
                .toList();
        List<CloudSpec.Host> hosts = d.hosts.values().stream()
                .map(h -> new CloudSpec.Host(h.name(), h.vpc(), h.ip(), h.instance(), h.image()))
                .toList();
        List<CloudSpec.Router> routers = new ArrayList<>();
        for (Desired.Router r : d.routers.values()) {
            routers.add(new CloudSpec.Router(r.name, r.vpc, r.locator, r.instance, r.image, attract(d, r)));
        }
        return new CloudSpec(regions, rtts, vpcs, hosts, routers);
    }

    /**
     * The IPv4 prefixes this router steers: its VPC's route table sends them to its inside interface,
     * as the paper's route tables send the remote client subnet to the VPP instance. A host without a
     * fixed address attracts its whole VPC, since its address is only known after apply.
     */
    private static List<Prefix> attract(Desired d, Desired.Router r) {
        List<Prefix> out = new ArrayList<>();
        for (Desired.Steer s : r.steering) {
            Prefix p =
                    switch (s.match()) {
                        case Value.Pfx x -> x.prefix();
                        case Value.Res res
                        when res.kind().equals("vpc") -> d.vpcs.get(res.name()).cidr();
                        case Value.Res res -> host(d, res.name());
                        case Value.Forward f ->
                            d.vpcs.containsKey(f.name()) ? d.vpcs.get(f.name()).cidr() : host(d, f.name());
                        default -> null;
                    };
            if (p != null && !p.isIpv6() && !out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private static Prefix host(Desired d, String name) {
        Desired.Host h = d.hosts.get(name);
        InetAddress ip = h.ip();
        return ip != null ? new Prefix(ip, 32) : d.vpcs.get(h.vpc()).cidr();
    }
}
