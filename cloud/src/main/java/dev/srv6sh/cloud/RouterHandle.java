package dev.srv6sh.cloud;

import dev.srv6sh.dataplane.Counters;
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
}
