package dev.srv6sh.interpreter.eval;

import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.cloud.Provider;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.grammar.ast.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Operations: the only place where a script has effects, split by job: the life cycle ({@link
 * LifecycleOps}: plan/apply/destroy reconcile the desired state through a {@link Provider}), probes
 * and measurements ({@link ProbeOps}: ping and measure drive deployed hosts), {@link ShowOps} and
 * {@link TraceCaptureOps}. This is what they share: the backend, asked for its provider only when the
 * script first needs it, and what it deployed. While checking, nothing happens and results are
 * {@link Value.Unknown}.
 */
public final class Ops {
    /** Where the provider comes from; asked only when the script first needs it. */
    public interface Backend {
        Provider provider() throws ProviderException;
    }

    private final Evaluator ev;
    private Backend backend;
    private Provider provider;
    private final Shells shells = new Shells();

    Ops(Evaluator ev, Backend backend) {
        this.ev = ev;
        this.backend = backend;
    }

    Provider provider(Span span) {
        if (provider == null) {
            try {
                provider = backend.provider();
            } catch (ProviderException e) {
                throw new RuntimeFailure(span, e.getMessage(), e);
            }
        }
        return provider;
    }

    Deployment deployment(Span span, String what) {
        Deployment dep = provider == null ? null : provider.deployment();
        if (dep == null) {
            throw new RuntimeFailure(span, "nothing is deployed yet: '" + what + "' needs an 'apply' before it");
        }
        return dep;
    }

    /**
     * The deployed handle of {@code kind} {@code name}, which is null for one declared since the last
     * apply: an error that says so.
     */
    static <T> T deployed(T handle, String kind, String name, Span span, String what) {
        if (handle == null) {
            throw new RuntimeFailure(
                    span,
                    kind + " " + name + " is not deployed: '" + what + "' needs an 'apply' after its declaration");
        }
        return handle;
    }

    /** What the backend deployed, or null before an apply. */
    Deployment deployed() {
        return provider == null ? null : provider.deployment();
    }

    /** The routers' SSH shells the deployment serves ({@code ssh ADDRESS:PORT}). */
    Shells shells() {
        return shells;
    }

    void unavailable(Span span, String what) {
        if (!ev.checkOnly()) {
            throw new RuntimeFailure(span, "'" + what + "' is not available in this version of srv6sh");
        }
    }

    /** From now on, operations use {@code next}; what the current backend deployed is torn down. */
    void backend(Backend next) {
        close();
        provider = null;
        backend = next;
    }

    /** Closes the provider (the local backend's emulation thread). */
    public void close() {
        stopCaptures();
        shells.close();
        if (provider != null) {
            provider.close();
        }
    }

    /**
     * The clock operations take their time on: the deployment's (on local the emulation's virtual
     * clock, which runs as fast as the events can be processed), else the real one.
     */
    dev.srv6sh.dataplane.Clock clock() {
        Deployment dep = provider == null ? null : provider.deployment();
        return dep == null ? dev.srv6sh.dataplane.Clock.SYSTEM : dep.clock();
    }

    static String routerName(Value v, Span span) {
        if (v instanceof Value.Res r && r.kind().equals("router")) {
            return r.name();
        }
        throw new ScriptError(span, "expected a router, not " + v.describe());
    }

    /**
     * Captures still running (no 'for'): stopped, and their files closed, when the script ends, and
     * before the routers they watch go (destroy, another backend).
     */
    final List<Runnable> openCaptures = new ArrayList<>();

    void stopCaptures() {
        openCaptures.forEach(Runnable::run);
        openCaptures.clear();
    }
}
