package dev.srv6sh.cloud;

import dev.srv6sh.dataplane.config.Prefix;
import java.util.List;

/** What an apply produced: the addresses the backend chose and handles to act on routers and hosts. */
public interface Deployment {

    CloudSpec spec();

    VpcInfo vpc(String name);

    RouterHandle router(String name);

    HostHandle host(String name);

    List<String> routerNames();

    /** A VPC's resolved addressing: its IPv4 CIDR, its IPv6 block, and the subnets the backend made. */
    record VpcInfo(String name, String region, Prefix cidr, Prefix ipv6, Prefix inside, Prefix transit) {}
}
