package dev.srv6sh.cloud;

import dev.srv6sh.dataplane.agent.AgentException;
import dev.srv6sh.dataplane.agent.RouterAgent;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.Inet6Address;

/**
 * One deployed SRv6 router: what the backend knows of it (its name, locator, transit address and the
 * topology part of its configuration), and its {@link #agent}, through which everything is done to it:
 * configuration (candidate, commit, rollback), counters, FIB, neighbors, trace, capture.
 */
public interface RouterHandle {

    /** The user the interpreter's {@code apply} commits as. */
    String USER = "srv6sh";

    String name();

    /** The locator the backend assigned (or the one the script gave). */
    Prefix locator();

    /** The address of the transit interface: the default encapsulation source. */
    Inet6Address transitAddress();

    /**
     * The topology part of this router's data plane: interfaces, connected and default routes,
     * neighbors. The interpreter adds the SRv6 program to it and {@link #configure}s the result; the
     * backend commits it as the router's first configuration.
     */
    DataplaneConfig base();

    /** The router's agent: the one way to the router (in process on local; over SSH on netns and aws). */
    RouterAgent agent();

    /**
     * Installs a complete configuration through the agent, as user {@link #USER}: a session of its
     * own whose candidate is {@code config}, committed. A rejected one leaves the old one forwarding;
     * one that changes nothing commits nothing.
     */
    default void configure(DataplaneConfig config) throws ProviderException {
        try {
            RouterAgent a = agent();
            String s = a.openSession(USER);
            try {
                a.edit(s, config);
                a.commit(s, "apply", null);
            } catch (AgentException e) {
                if (!AgentException.NO_CHANGES.equals(e.code())) {
                    throw e;
                }
            } finally {
                a.closeSession(s);
            }
        } catch (AgentException e) {
            throw new ProviderException(e.getMessage(), e.getCause() != null ? e.getCause() : e);
        }
    }
}
