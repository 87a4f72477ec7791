package dev.srv6sh.aws;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * What the provider made for one router, for the handle that manages it: the instance, its three
 * ENIs (IDs and MACs), the management ENI's public address (an Elastic IP: SSH goes there), the
 * addresses and locator, the topology part of its data plane configuration, and where in the
 * stack's bucket its configuration object goes. {@code delegated}: whether the locator is an /80
 * prefix on the transit ENI (else the fallback's addresses are).
 */
public record RouterResources(
        String stack,
        String name,
        String region,
        String instanceId,
        String managementEni,
        String insideEni,
        String transitEni,
        String managementMac,
        String insideMac,
        String transitMac,
        InetAddress publicAddress,
        InetAddress managementAddress,
        InetAddress insideAddress,
        Inet6Address transitAddress,
        Prefix locator,
        boolean delegated,
        DataplaneConfig base,
        String bucket,
        String configurationKey) {}
