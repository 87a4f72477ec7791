package dev.srv6sh.aws;

import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.RouterHandle;
import dev.srv6sh.cloud.ssh.SshAgentClient;
import dev.srv6sh.dataplane.agent.AgentConnection;
import dev.srv6sh.dataplane.agent.AgentException;
import dev.srv6sh.dataplane.agent.RouterAgent;
import dev.srv6sh.dataplane.agent.RouterBoot;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.net.Inet6Address;
import java.security.KeyPair;
import java.security.PublicKey;

/**
 * A router on aws: an instance whose bootstrap runs {@code srv6sh router}, reached through its agent
 * over SSH ({@link SshAgentClient}) on its management address, port {@link
 * Bootstrap#ROUTER_SSH_PORT}, with the stack's key.
 *
 * <p>Its host key is the one its bootstrap printed to the console ({@link Bootstrap#routerHostKey}),
 * given by {@link #pin}; until then nothing connects, and a router presenting another key is refused.
 * {@link #configure} writes the configuration object the router loads at boot (so a replaced instance
 * comes back with it) and, once the router is pinned, commits it through the agent as well.
 */
public final class AwsRouterHandle implements RouterHandle, AutoCloseable {
    private final String name;
    private final Prefix locator;
    private final Inet6Address transitAddress;
    private final DataplaneConfig base;
    private final String sshHost;
    private final int sshPort;
    private final KeyPair identity;
    private final SshAgentClient ssh;
    private final Distribution objects;
    private final String bucket;

    private volatile PublicKey pinned;
    private AgentConnection connection;

    /**
     * Router {@code name}, whose agent is at {@code sshHost:sshPort} (its management ENI's public
     * address and {@link Bootstrap#ROUTER_SSH_PORT} on aws), whose configuration objects go to {@code
     * bucket} through {@code objects}.
     */
    public AwsRouterHandle(
            String name,
            Prefix locator,
            Inet6Address transitAddress,
            DataplaneConfig base,
            String sshHost,
            int sshPort,
            KeyPair identity,
            SshAgentClient ssh,
            Distribution objects,
            String bucket) {
        this.name = name;
        this.locator = locator;
        this.transitAddress = transitAddress;
        this.base = base;
        this.sshHost = sshHost;
        this.sshPort = sshPort;
        this.identity = identity;
        this.ssh = ssh;
        this.objects = objects;
        this.bucket = bucket;
    }

    /** Trusts {@code keyLine} (an OpenSSH public key line) as the router's host key, and no other. */
    public synchronized void pin(String keyLine) throws ProviderException {
        PublicKey key;
        try {
            key = SshAgentClient.publicKey(keyLine);
        } catch (IllegalArgumentException e) {
            throw new ProviderException("router " + name + ": " + e.getMessage());
        }
        if (pinned != null && !org.apache.sshd.common.config.keys.KeyUtils.compareKeys(pinned, key)) {
            closeConnection(); // a new instance: its old connection was to another machine
        }
        pinned = key;
    }

    public boolean pinned() {
        return pinned != null;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Prefix locator() {
        return locator;
    }

    @Override
    public Inet6Address transitAddress() {
        return transitAddress;
    }

    @Override
    public DataplaneConfig base() {
        return base;
    }

    /**
     * The connection to the router's agent, made on first use and again once it broke. Refused while
     * nothing is pinned ("has not finished its bootstrap") and when the router presents another key.
     */
    public synchronized AgentConnection connect() throws ProviderException {
        PublicKey key = pinned;
        if (key == null) {
            throw new ProviderException(notBooted());
        }
        if (connection != null && connection.isOpen()) {
            return connection;
        }
        closeConnection();
        try {
            connection = ssh.connect(new SshAgentClient.Target(sshHost, sshPort, USER, identity, key));
        } catch (AgentException e) {
            throw new ProviderException("router " + name + ": " + e.getMessage(), e);
        }
        return connection;
    }

    private String notBooted() {
        return "router " + name + " has not finished its bootstrap: its host key is not in its console output yet"
                + " (aws ec2 get-console-output shows how far it got)";
    }

    /**
     * The router's agent over SSH. Where it cannot be reached (not yet pinned, refused, down), every
     * call fails with a {@code transport} error saying why, as a broken connection's calls do.
     */
    @Override
    public RouterAgent agent() {
        try {
            return connect().agent();
        } catch (ProviderException e) {
            return unreachable(e.getMessage());
        }
    }

    private static RouterAgent unreachable(String why) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "RouterAgent (unreachable: " + why + ")";
                };
            }
            throw new AgentException(AgentException.TRANSPORT, why);
        };
        return (RouterAgent)
                Proxy.newProxyInstance(RouterAgent.class.getClassLoader(), new Class<?>[] {RouterAgent.class}, h);
    }

    /**
     * Writes {@code config} (with the locator) as the router's configuration object, then, once the
     * router is pinned, commits it through the agent (a rejected one leaves the old one forwarding).
     */
    @Override
    public void configure(DataplaneConfig config) throws ProviderException {
        objects.putConfiguration(bucket, name, new RouterBoot(config, locator));
        if (pinned()) {
            RouterHandle.super.configure(config);
        }
    }

    private void closeConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    /** Closes the connection to the agent (the SSH client is the caller's). */
    @Override
    public synchronized void close() {
        closeConnection();
    }
}
