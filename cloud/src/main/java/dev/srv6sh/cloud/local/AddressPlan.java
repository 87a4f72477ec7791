package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.Deployment.VpcInfo;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.dataplane.config.Prefix;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the local and netns backends number things (netns reuses this plan, so that a script's
 * addresses are the same on both), mirroring the aws backend's layout so that scripts and
 * outputs read the same on both:
 *
 * <pre>
 * VPC n (1-based, declaration order)  ipv6 auto = 2001:db8:0:n00::/56 (documentation space)
 *   inside subnet   = the VPC CIDR's second /24 (10.11.1.0/24); gateway .1, routers .4…, hosts .10…
 *   transit subnet  = the block's /64 number 1 (2001:db8:0:101::/64); gateway ::1, routers ::4…
 *   router k locator auto = transit:(k+1)::/80 (2001:db8:0:101:1::/80), as AWS delegates an /80 to an ENI
 * every host, in declaration order: a public IPv4 address (1:1 NAT at its VPC's internet gateway) from
 *   198.51.100.0/24, then 203.0.113.0/24 (documentation space), then 100.64.0.0/10; .0 and .255 of each
 *   /24 are skipped, and so is any address inside a VPC's CIDR
 * </pre>
 */
public final class AddressPlan {
    private final Map<String, VpcInfo> vpcs = new HashMap<>();
    private final Map<String, InetAddress> hosts = new HashMap<>();
    private final Map<String, Inet6Address> hosts6 = new HashMap<>();
    private final Map<String, InetAddress> routerInside = new HashMap<>();
    private final Map<String, Inet6Address> routerTransit = new HashMap<>();
    private final Map<String, Prefix> locators = new HashMap<>();
    private final Map<String, Inet4Address> publicAddresses = new HashMap<>();

    private static final List<Prefix> PUBLIC_POOLS =
            List.of(Prefix.parse("198.51.100.0/24"), Prefix.parse("203.0.113.0/24"), Prefix.parse("100.64.0.0/10"));

    public AddressPlan(CloudSpec spec) throws ProviderException {
        int n = 0;
        for (CloudSpec.Vpc v : spec.vpcs()) {
            n++;
            if (n > 0xff && v.ipv6() == null) {
                throw new ProviderException("the local backend numbers at most 255 VPCs with 'ipv6 auto'; give vpc "
                        + v.name() + " an explicit 'ipv6' block");
            }
            Prefix cidr = v.cidr().network();
            Prefix inside = cidr.length() < 24 ? cidr.subnet(24 - cidr.length(), 1) : cidr;
            Prefix block = v.ipv6() != null
                    ? v.ipv6().network()
                    : Prefix.parse("2001:db8:0:" + Integer.toHexString(n << 8) + "::/56");
            Prefix transit = block.length() < 64 ? block.subnet(64 - block.length(), 1) : block;
            vpcs.put(v.name(), new VpcInfo(v.name(), v.region(), cidr, block, inside, transit));
        }
        Map<String, Integer> routersIn = new HashMap<>();
        for (CloudSpec.Router r : spec.routers()) {
            VpcInfo vpc = vpcs.get(r.vpc());
            int k = routersIn.merge(r.vpc(), 1, Integer::sum) - 1;
            routerInside.put(r.name(), vpc.inside().host(4 + k));
            routerTransit.put(r.name(), (Inet6Address) vpc.transit().host(4 + k));
            Prefix loc = r.locator() != null
                    ? r.locator()
                    : new Prefix(vpc.transit().host(BigInteger.valueOf(k + 1).shiftLeft(48)), 80);
            locators.put(r.name(), loc);
        }
        Map<String, Integer> hostsIn = new HashMap<>();
        for (CloudSpec.Host h : spec.hosts()) {
            VpcInfo vpc = vpcs.get(h.vpc());
            int j = hostsIn.merge(h.vpc(), 1, Integer::sum) - 1;
            InetAddress a = h.ip() != null ? h.ip() : vpc.inside().host(10 + j);
            if (!vpc.cidr().contains(a)) {
                throw new ProviderException("host " + h.name() + " address " + a.getHostAddress()
                        + " is outside its VPC's CIDR " + vpc.cidr());
            }
            hosts.put(h.name(), a);
            // IPv6 on the inside: the block's /64 number 0, hosts ::10 and up (the transit /64 is number 1)
            Prefix insideV6 =
                    vpc.ipv6().length() < 64 ? vpc.ipv6().subnet(64 - vpc.ipv6().length(), 0) : vpc.ipv6();
            hosts6.put(h.name(), (Inet6Address) insideV6.host(0x10 + j));
        }
        allocatePublic(spec);
    }

    private void allocatePublic(CloudSpec spec) throws ProviderException {
        int pool = 0;
        long next = 0;
        for (CloudSpec.Host h : spec.hosts()) {
            Inet4Address a = null;
            while (a == null) {
                if (pool == PUBLIC_POOLS.size()) {
                    throw new ProviderException("the local backend ran out of public IPv4 addresses for host "
                            + h.name() + " (it has " + PUBLIC_POOLS + ")");
                }
                Prefix p = PUBLIC_POOLS.get(pool);
                long size = 1L << (32 - p.length());
                if (next >= size) {
                    pool++;
                    next = 0;
                    continue;
                }
                long n = next++;
                if ((n & 0xff) == 0 || (n & 0xff) == 0xff) {
                    continue;
                }
                Inet4Address candidate = (Inet4Address) p.host(n);
                if (spec.vpcs().stream().noneMatch(v -> v.cidr().contains(candidate))) {
                    a = candidate;
                }
            }
            publicAddresses.put(h.name(), a);
        }
    }

    public VpcInfo vpc(String name) {
        return vpcs.get(name);
    }

    public InetAddress host(String name) {
        return hosts.get(name);
    }

    public InetAddress routerInside(String name) {
        return routerInside.get(name);
    }

    public Inet6Address routerTransit(String name) {
        return routerTransit.get(name);
    }

    /** The host's IPv6 address on its VPC's inside /64. */
    public Inet6Address host6(String name) {
        return hosts6.get(name);
    }

    /** The host's public IPv4 address. */
    public Inet4Address publicAddress(String host) {
        return publicAddresses.get(host);
    }

    public Prefix locator(String name) {
        return locators.get(name);
    }
}
