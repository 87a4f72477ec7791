package dev.srv6sh.aws;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.Deployment.VpcInfo;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.local.AddressPlan;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where things go in a VPC on AWS, as the local and netns backends number them ({@link AddressPlan}),
 * with the VPC's real Amazon-provided /56:
 *
 * <pre>
 * management subnet = the CIDR's /24 number 0 (10.11.0.0/24)   router k's management ENI .4+k
 * inside subnet     = the CIDR's /24 number 1 (10.11.1.0/24)   router k's inside ENI .4+k, hosts .10… or their ip
 * transit subnet    = the CIDR's /24 number 2, and the /56's /64 number 1 (dual-stack)
 *                     router k's transit ENI .4+k and ::4+k, its locator auto = transit:(k+1)::/80
 * </pre>
 *
 * AWS keeps the first four addresses of every subnet and the last of an IPv4 one, as the plan does.
 */
final class Layout {
    private final AddressPlan plan;
    private final Map<String, Prefix> management = new HashMap<>();
    private final Map<String, Prefix> transit4 = new HashMap<>();
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, String> vpcOfRouter = new HashMap<>();

    /** {@code blocks}: each VPC's IPv6 /56 (a VPC without one yet gets a placeholder that is never created). */
    Layout(CloudSpec spec, Map<String, Prefix> blocks) throws ProviderException {
        List<CloudSpec.Vpc> vpcs = new ArrayList<>();
        for (CloudSpec.Vpc v : spec.vpcs()) {
            Prefix block = blocks.get(v.name());
            vpcs.add(new CloudSpec.Vpc(
                    v.name(), v.region(), v.cidr(), v.zone(), block != null ? block : Prefix.parse("2001:db8::/56")));
            management.put(v.name(), v.cidr().network().subnet(24 - v.cidr().length(), 0));
            transit4.put(v.name(), v.cidr().network().subnet(24 - v.cidr().length(), 2));
        }
        this.plan = new AddressPlan(new CloudSpec(spec.regions(), spec.rtts(), vpcs, spec.hosts(), spec.routers()));
        Map<String, Integer> in = new HashMap<>();
        for (CloudSpec.Router r : spec.routers()) {
            index.put(r.name(), in.merge(r.vpc(), 1, Integer::sum) - 1);
            vpcOfRouter.put(r.name(), r.vpc());
        }
    }

    /** What the script asks that AWS cannot do, said before anything is made. */
    static void check(CloudSpec spec) throws ProviderException {
        for (CloudSpec.Region r : spec.regions()) {
            if (!"aws".equals(r.kind()) || r.code() == null) {
                throw new ProviderException("region " + r.name() + " is not an AWS region; on --backend aws every"
                        + " region needs its code: region " + r.name() + " aws \"eu-west-3\"");
            }
        }
        for (CloudSpec.Vpc v : spec.vpcs()) {
            if (!(v.cidr().address() instanceof Inet4Address)
                    || v.cidr().length() > 22
                    || v.cidr().length() < 16) {
                throw new ProviderException("vpc " + v.name() + ": on aws a VPC's cidr is an IPv4 block from /16 to"
                        + " /22 (it holds the management, inside and transit /24s); it is " + v.cidr());
            }
            if (v.ipv6() != null) {
                throw new ProviderException("vpc " + v.name() + ": on aws the VPC's IPv6 block is the /56 Amazon"
                        + " provides; write 'ipv6 auto' (or leave it out)");
            }
        }
    }

    Prefix management(String vpc) {
        return management.get(vpc);
    }

    Prefix inside(String vpc) {
        return plan.vpc(vpc).inside();
    }

    Prefix transit4(String vpc) {
        return transit4.get(vpc);
    }

    Prefix transit6(String vpc) {
        return plan.vpc(vpc).transit();
    }

    VpcInfo info(String vpc) {
        return plan.vpc(vpc);
    }

    InetAddress routerManagement(String router) {
        return management.get(vpcOf(router)).host(4 + index.get(router));
    }

    private String vpcOf(String router) {
        return vpcOfRouter.get(router);
    }

    InetAddress routerInside(String router) {
        return plan.routerInside(router);
    }

    InetAddress routerTransit4(String router) {
        return transit4.get(vpcOf(router)).host(4 + index.get(router));
    }

    Inet6Address routerTransit6(String router) {
        return plan.routerTransit(router);
    }

    Prefix locator(String router) {
        return plan.locator(router);
    }

    InetAddress host(String host) {
        return plan.host(host);
    }

    /** Addresses the script gives that AWS cannot give (a host outside its inside subnet, a foreign locator). */
    void checkAddresses(CloudSpec spec) throws ProviderException {
        for (CloudSpec.Host h : spec.hosts()) {
            Prefix inside = inside(h.vpc());
            InetAddress a = host(h.name());
            long last = inside.length() == 24 ? 255 : -1;
            long n = a.getAddress()[3] & 0xff;
            if (!inside.contains(a) || n < 4 || n == last) {
                throw new ProviderException("host " + h.name() + ": on aws its ip must be in its VPC's inside subnet "
                        + inside + ", from .4 to .254 (AWS keeps the others); it is " + a.getHostAddress());
            }
        }
        for (CloudSpec.Router r : spec.routers()) {
            Prefix t = transit6(r.vpc());
            if (r.locator() != null
                    && (!t.contains(r.locator().address()) || r.locator().length() != 80)) {
                throw new ProviderException("router " + r.name() + ": on aws the locator is a /80 delegated from"
                        + " the transit subnet " + t + " of its VPC; write 'locator auto'");
            }
        }
    }
}
