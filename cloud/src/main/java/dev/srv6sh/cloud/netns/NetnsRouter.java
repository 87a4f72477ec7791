package dev.srv6sh.cloud.netns;

import dev.srv6sh.cloud.RouterHandle;
import dev.srv6sh.dataplane.agent.AgentConnection;
import dev.srv6sh.dataplane.agent.RouterAgent;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.Inet6Address;

/** A router on netns: an {@code srv6sh router} daemon in its namespace, reached through its agent over SSH. */
record NetnsRouter(
        String name,
        Prefix locator,
        Inet6Address transitAddress,
        DataplaneConfig base,
        String namespace,
        ProcessHandle process,
        AgentConnection connection)
        implements RouterHandle {

    @Override
    public RouterAgent agent() {
        return connection.agent();
    }
}
