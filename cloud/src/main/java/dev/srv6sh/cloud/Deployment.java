package dev.srv6sh.cloud;

import dev.srv6sh.dataplane.Clock;
import dev.srv6sh.dataplane.config.Prefix;
import java.time.Duration;
import java.util.List;

/** What an apply produced: the addresses the backend chose and handles to act on routers and hosts. */
public interface Deployment {

    CloudSpec spec();

    /**
     * The backend's name for this deployment, recorded in the state file so that another process can
     * find what it made (netns: the prefix of its namespaces, links and files), or null where the
     * deployment lives only in this process (local).
     */
    default String id() {
        return null;
    }

    VpcInfo vpc(String name);

    /**
     * Every router now has its program (the script's apply configured them one by one): a backend may
     * make the deployment's paths ready before the script's first operation. Nothing by default.
     */
    default void programmed() throws ProviderException {}

    RouterHandle router(String name);

    HostHandle host(String name);

    List<String> routerNames();

    /**
     * The clock this deployment's operations take their time on, readable from any thread: the real
     * one, or on the local backend the emulation's virtual clock (what progress of a measurement is
     * reckoned in).
     */
    default Clock clock() {
        return Clock.SYSTEM;
    }

    /**
     * Lets {@code d} pass on this deployment's clock ({@code capture ... for D}): a real backend
     * sleeps; the local backend runs its emulation for {@code d} of virtual time.
     */
    default void sleep(Duration d) throws InterruptedException, ProviderException {
        Thread.sleep(d);
    }

    /** A VPC's resolved addressing: its IPv4 CIDR, its IPv6 block, and the subnets the backend made. */
    record VpcInfo(String name, String region, Prefix cidr, Prefix ipv6, Prefix inside, Prefix transit) {}
}
