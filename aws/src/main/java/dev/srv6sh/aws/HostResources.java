package dev.srv6sh.aws;

import java.net.InetAddress;

/** What the provider made for one client host: its instance, ENI and addresses (private and public). */
public record HostResources(
        String stack,
        String name,
        String region,
        String instanceId,
        String eni,
        InetAddress address,
        InetAddress publicAddress) {}
