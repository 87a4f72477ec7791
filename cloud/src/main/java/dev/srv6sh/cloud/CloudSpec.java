package dev.srv6sh.cloud;

import dev.srv6sh.dataplane.config.Prefix;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * The topology a script asks for, with no SRv6 program in it: regions, VPCs, hosts and routers.
 * Lowered by the interpreter; reconciled by a {@link Provider}. Names are unique per kind.
 */
public record CloudSpec(List<Region> regions, List<Rtt> rtts, List<Vpc> vpcs, List<Host> hosts, List<Router> routers) {

    public CloudSpec {
        regions = List.copyOf(regions);
        rtts = List.copyOf(rtts);
        vpcs = List.copyOf(vpcs);
        hosts = List.copyOf(hosts);
        routers = List.copyOf(routers);
    }

    public static CloudSpec empty() {
        return new CloudSpec(List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /** kind is {@code aws} (code = the AWS region code) or {@code local} (code null). */
    public record Region(String name, String kind, String code) {}

    /** An emulated round-trip time between two regions, overriding the built-in table. */
    public record Rtt(String a, String b, Duration rtt) {}

    /** ipv6 null means "auto" (Amazon-provided on aws, carved from 2001:db8::/32 on local). */
    public record Vpc(String name, String region, Prefix cidr, String zone, Prefix ipv6) {}

    /** ip null means "allocated from the VPC's inside subnet". */
    public record Host(String name, String vpc, InetAddress ip, String instanceType, String image) {}

    /**
     * locator null means "auto". {@code attract} lists the IPv4/IPv6 prefixes the VPC's route table
     * sends to this router's inside interface (the remote prefixes it steers into SR policies).
     */
    public record Router(
            String name, String vpc, Prefix locator, String instanceType, String image, List<Prefix> attract) {
        public Router {
            attract = List.copyOf(attract);
        }
    }
}
