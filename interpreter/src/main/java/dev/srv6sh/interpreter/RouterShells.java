package dev.srv6sh.interpreter;

import dev.srv6sh.dataplane.agent.RouterAgent;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Serves a deployed router's shell over SSH, for a router block's {@code ssh ADDRESS:PORT}: the
 * interpreter knows when a deployment's routers come and go, the shell module has the SSH server
 * (it {@code provides} this service), so a user can SSH into an emulated router for as long as its
 * deployment lives.
 */
public interface RouterShells {

    /**
     * Starts serving router {@code router}'s shell and agent at {@code at}; {@code locator} is where
     * the shell places new SIDs. Throws with a message saying what to fix (a key file, the address).
     */
    Exposed expose(String router, RouterAgent agent, Prefix locator, InetSocketAddress at) throws Exception;

    /** A shell being served: a line for the user saying how to reach it; closing it stops the server. */
    interface Exposed extends AutoCloseable {
        String description();

        @Override
        void close();
    }

    /** The implementation this program has (the shell module's), if any. */
    static Optional<RouterShells> find() {
        return ServiceLoader.load(RouterShells.class, RouterShells.class.getClassLoader())
                .findFirst();
    }
}
