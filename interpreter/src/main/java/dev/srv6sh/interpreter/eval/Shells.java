package dev.srv6sh.interpreter.eval;

import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.interpreter.Result;
import dev.srv6sh.interpreter.Results;
import dev.srv6sh.interpreter.RouterShells;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The routers' SSH shells a deployment serves ({@code ssh ADDRESS:PORT}): after every apply, a
 * router that asks for one gets it (or keeps it, at the same address), one that no longer asks, or
 * asks elsewhere, has its old one stopped; destroy, a backend change and the end of the session stop
 * them all.
 */
final class Shells implements AutoCloseable {
    private record Served(InetSocketAddress at, RouterShells.Exposed exposed) {}

    private final Map<String, Served> served = new HashMap<>();

    /**
     * Brings the served shells in line with {@code desired} on {@code dep}, giving {@code results} a
     * {@link Result.ShellServed} for each new one. A shell that cannot start is a {@link RuntimeFailure} at its {@code ssh} line.
     */
    void sync(Desired desired, Deployment dep, Results results) {
        for (Iterator<Map.Entry<String, Served>> it = served.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Served> e = it.next();
            Desired.Router r = desired.routers.get(e.getKey());
            if (r == null
                    || r.sshEndpoint == null
                    || !r.sshEndpoint.equals(e.getValue().at())) {
                e.getValue().exposed().close();
                it.remove();
            }
        }
        for (Desired.Router r : desired.routers.values()) {
            if (r.sshEndpoint == null || served.containsKey(r.name)) {
                continue;
            }
            RouterShells shells = RouterShells.find()
                    .orElseThrow(() -> new RuntimeFailure(
                            r.ssh,
                            "router " + r.name + ": this program has no SSH server to serve the router shell with"));
            try {
                RouterShells.Exposed x = shells.expose(
                        r.name, dep.router(r.name).agent(), dep.router(r.name).locator(), r.sshEndpoint);
                served.put(r.name, new Served(r.sshEndpoint, x));
                results.accept(new Result.ShellServed(r.name, x.description()));
            } catch (RuntimeFailure e) {
                throw e;
            } catch (Exception e) {
                throw new RuntimeFailure(
                        r.ssh,
                        "router " + r.name + ": its shell cannot be served at " + text(r.sshEndpoint) + ": "
                                + e.getMessage(),
                        e);
            }
        }
    }

    private static String text(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Override
    public void close() {
        for (Served s : served.values()) {
            s.exposed().close();
        }
        served.clear();
    }
}
