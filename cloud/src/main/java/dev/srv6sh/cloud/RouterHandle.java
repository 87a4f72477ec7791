package dev.srv6sh.cloud;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.Inet6Address;

/** One deployed SRv6 router. */
public interface RouterHandle {

    String name();

    /** The locator the backend assigned (or the one the script gave). */
    Prefix locator();

    /** The address of the transit interface: the default encapsulation source. */
    Inet6Address transitAddress();

    /**
     * The topology part of this router's data plane: interfaces, connected and default routes,
     * neighbors. The interpreter adds the SRv6 program to it and calls {@link #configure}.
     */
    DataplaneConfig base();

    /** Installs a complete configuration; a rejected one leaves the old one forwarding. */
    void configure(DataplaneConfig config) throws ProviderException;

    /** The configuration in force, or null before the first configure. */
    DataplaneConfig config();

    /** A snapshot of the data plane's counters. */
    Counters counters() throws ProviderException;

    /** The forwarding table in force ({@code show fib}). */
    default java.util.List<dev.srv6sh.dataplane.agent.FibEntry> fib() throws ProviderException {
        throw new ProviderException("router " + name() + ": show fib is not available on this backend");
    }

    /**
     * The neighbor table in force ({@code show neighbors}): static entries, and what ARP and IPv6
     * neighbor discovery resolved or are resolving, with state and age.
     */
    default java.util.List<dev.srv6sh.dataplane.agent.NeighborEntry> neighbors() throws ProviderException {
        throw new ProviderException("router " + name() + ": show neighbors is not available on this backend");
    }

    /**
     * Traces the next {@code count} packets through the router's graph, waiting up to {@code wait}
     * for them. When fewer arrive, the most recent packets the router received are run again, traced,
     * on a copy of its data plane with the same configuration, and reported as replayed.
     */
    default Traces trace(int count, java.time.Duration wait) throws ProviderException, InterruptedException {
        throw new ProviderException("router " + name() + ": trace is not available on this backend");
    }

    /** What {@link #trace} saw: packets traced live, then replayed ones. */
    record Traces(
            java.util.List<dev.srv6sh.dataplane.agent.PacketTrace> live,
            java.util.List<dev.srv6sh.dataplane.agent.PacketTrace> replayed) {
        public Traces {
            live = java.util.List.copyOf(live);
            replayed = java.util.List.copyOf(replayed);
        }
    }

    /**
     * Starts writing what {@code iface} (null: every interface) receives and transmits to a pcap file
     * (Ethernet link type) until the returned capture is stopped.
     */
    default Capturing capture(String iface, java.nio.file.Path file) throws ProviderException {
        throw new ProviderException("router " + name() + ": capture is not available on this backend");
    }

    /** A capture in progress. */
    interface Capturing {
        /** Stops capturing, closes the file, and returns the frames written. */
        int stop() throws ProviderException;
    }
}
