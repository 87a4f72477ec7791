package dev.srv6sh.interpreter;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.cloud.HostHandle;
import dev.srv6sh.cloud.Plan;
import dev.srv6sh.cloud.Provider;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.Providers;
import dev.srv6sh.cloud.RouterHandle;
import dev.srv6sh.cloud.StateFile;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.grammar.diag.Diagnostic;
import dev.srv6sh.grammar.parse.Parser;
import dev.srv6sh.interpreter.eval.Evaluator;
import dev.srv6sh.interpreter.eval.RuntimeFailure;
import dev.srv6sh.interpreter.eval.ScriptError;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code srv6sh plan|apply|destroy FILE}: the script's declarations are evaluated (no operation of
 * the script runs: no apply, ping or measure in it), lowered to a {@link CloudSpec} and planned
 * against what is observed, in Terraform's vocabulary; apply and destroy then carry the plan out once
 * it is approved. What is observed is the state file with {@code --state}, else what the backend
 * itself sees. The local backend's emulation lives in this process: an apply there deploys and
 * programs the routers, reports, and the deployment ends with the process.
 */
public final class Lifecycle {
    private Lifecycle() {}

    public enum Action {
        PLAN,
        APPLY,
        DESTROY;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The answer to "Do you want to perform these actions?". */
    public enum Approval {
        APPROVED,
        DECLINED,
        /** There is no terminal to ask on (stdin is a pipe or a file) and --auto-approve was not given. */
        CANNOT_ASK
    }

    /** Asks for approval of {@code action} ("apply", "destroy"), after the plan has been printed. */
    @FunctionalInterface
    public interface Approver {
        Approval ask(String action);
    }

    /**
     * The backend's name, {@code --param} overrides, the state file (or null), who approves, and the
     * seed of what the backend emulates at random ({@code --seed}).
     */
    public record Options(
            String backend,
            Map<String, String> params,
            Path state,
            Approver approver,
            long seed,
            Interpreter.Cloud cloud) {
        public Options {
            params = Map.copyOf(params);
            cloud = cloud == null ? Interpreter.Cloud.NONE : cloud;
        }

        public Options(String backend, Map<String, String> params, Path state, Approver approver, long seed) {
            this(backend, params, state, approver, seed, Interpreter.Cloud.NONE);
        }

        public Options(String backend, Map<String, String> params, Path state, Approver approver) {
            this(backend, params, state, approver, Providers.DEFAULT_SEED);
        }
    }

    /** Runs {@code action}; the plan and reports go to {@code out}, problems to {@code err}. */
    public static int run(Action action, String file, String text, Options o, PrintStream out, PrintStream err) {
        Interpreter.Checked c = Interpreter.checked(file, Parser.parse(file, text), text, o.params());
        if (!c.problems().isEmpty()) {
            for (Diagnostic d : c.problems()) {
                err.println(Interpreter.render(d, file, text));
            }
            return ExitCode.SCRIPT_ERROR;
        }
        Evaluator ev = c.evaluator();
        // Nothing is measured here, so the local backend skips its JIT warm-up.
        try (Provider provider = o.backend().equals("local")
                ? Providers.localUnwarmed(o.seed())
                : Providers.create(o.backend(), o.cloud().options(o.seed(), o.state(), file))) {
            StateFile.State state = o.state() == null ? null : StateFile.read(o.state());
            if (state != null && !state.backend().equals(provider.name())) {
                err.println("srv6sh: the state file " + o.state() + " records a deployment on '" + state.backend()
                        + "', not on '" + provider.name() + "'; give --backend " + state.backend()
                        + " or another --state");
                return ExitCode.SCRIPT_ERROR;
            }
            if (state != null) {
                provider.adopt(state.deployment()); // netns: what another process applied, by its prefix
            }
            CloudSpec desired = action == Action.DESTROY ? CloudSpec.empty() : ev.cloudSpec();
            // a backend that keeps its own state plans against the real resources (drift included)
            Plan plan = provider.managesState()
                    ? provider.plan(desired)
                    : Plan.between(state != null ? state.spec() : provider.observe(), desired);
            out.println(
                    provider.managesState()
                            ? "Backend " + provider.name() + ": compared with its resources as the cloud reports them"
                                    + " (drift included)."
                            : compared(o, state, provider.name()));
            out.println();
            if (plan.isEmpty()) {
                out.println(
                        action == Action.DESTROY
                                ? "No changes. Nothing is deployed, so there is nothing to destroy."
                                : "No changes. The topology matches the script.");
            } else {
                out.println("srv6sh will perform the following actions:");
                out.println();
                for (Plan.Change ch : plan.changes()) {
                    out.println("  " + ch);
                }
                out.println();
                out.println(plan.summary());
            }
            if (action == Action.PLAN) {
                notices(provider, out);
                if (provider.name().equals("local")) {
                    out.println();
                    out.println(LOCAL_NOTE);
                } else if (provider.name().equals("netns")) {
                    out.println();
                    out.println(NETNS_NOTE);
                }
                return ExitCode.OK;
            }
            if (action == Action.DESTROY && plan.isEmpty()) {
                notices(provider, out);
                return ExitCode.OK;
            }
            if (!plan.isEmpty()) {
                out.flush();
                switch (o.approver().ask(action.word())) {
                    case APPROVED -> {}
                    case DECLINED -> {
                        err.println(capitalized(action.word()) + " cancelled: only 'yes' approves. Nothing was done.");
                        return ExitCode.SCRIPT_ERROR;
                    }
                    case CANNOT_ASK -> {
                        err.println("srv6sh: " + action.word() + " asks for approval, and stdin is not a terminal to"
                                + " ask on; nothing was done. Review the plan, then run again with --auto-approve.");
                        return ExitCode.SCRIPT_ERROR;
                    }
                }
            }
            return action == Action.APPLY
                    ? apply(ev, provider, plan, file, o, out)
                    : destroy(provider, plan, state, o, out);
        } catch (ScriptError e) {
            err.println(Interpreter.render(e.diagnostic(), file, text));
            return ExitCode.SCRIPT_ERROR;
        } catch (RuntimeFailure e) {
            err.println(Interpreter.render(Diagnostic.error(e.span(), e.getMessage()), file, text));
            return ExitCode.RUNTIME_ERROR;
        } catch (ProviderException e) {
            err.println("srv6sh: " + e.getMessage());
            return ExitCode.RUNTIME_ERROR;
        } catch (dev.srv6sh.cloud.ProviderFailure e) {
            err.println("srv6sh: " + e.getMessage());
            return ExitCode.RUNTIME_ERROR;
        } finally {
            ev.close();
        }
    }

    static final String NETNS_NOTE =
            "Note: on netns, frames between regions take the local backend's RTTs and jitter (a user-space"
                    + " link daemon), with no rate limit yet (docs/netns.md).";

    static final String LOCAL_NOTE =
            "Note: the local backend emulates the topology inside the srv6sh process that applies it;"
                    + " the deployment ends when that process exits.";

    private static String compared(Options o, StateFile.State state, String backend) {
        if (o.state() == null) {
            return backend.equals("local")
                    ? "Backend local: compared with what this process has deployed, which is nothing"
                            + " (a local deployment lives only in the process that applied it; --state PATH"
                            + " records one)."
                    : "Backend " + backend + ": compared with what the backend observes.";
        }
        return state == null
                ? "Backend " + backend + ": compared with the state file " + o.state()
                        + ", which does not exist yet (nothing applied)."
                : "Backend " + backend + ": compared with the state file " + o.state() + " (applied " + state.applied()
                        + (state.script() == null ? "" : " from " + state.script()) + ").";
    }

    private static int apply(Evaluator ev, Provider provider, Plan shown, String file, Options o, PrintStream out)
            throws ProviderException {
        Deployment dep;
        if (provider.managesState()) {
            // what the provider made stays for a later destroy even when the apply fails half-way, as in
            // Terraform (the state records it); the plan shown is already the provider's
            provider.keep();
            try {
                dep = ev.deploy(provider, shown);
            } finally {
                notices(provider, out);
            }
        } else {
            // The plan shown compares with the state file; the provider applies against what it observes.
            Plan plan = provider.plan(shown.desired());
            dep = ev.deploy(provider, plan);
        }
        provider.keep(); // a deployment that outlives processes (netns) stays for a later destroy
        out.println();
        out.println("Apply complete: " + shown.count(Plan.Action.CREATE) + " added, "
                + (shown.count(Plan.Action.UPDATE) + shown.count(Plan.Action.REPLACE)) + " changed, "
                + shown.count(Plan.Action.DELETE) + " destroyed; "
                + dep.routerNames().size()
                + " router(s) programmed on " + provider.name() + ".");
        report(dep, out);
        if (o.state() != null && !provider.managesState()) {
            StateFile.write(
                    o.state(), provider.name(), Path.of(file).getFileName().toString(), dep);
            out.println("State written to " + o.state() + ".");
        }
        if (provider.name().equals("local")) {
            out.println(LOCAL_NOTE + " It ends now. To deploy and use it (ping, measure) in one process,"
                    + " run the script: srv6sh run " + file);
        }
        return ExitCode.OK;
    }

    private static int destroy(Provider provider, Plan plan, StateFile.State state, Options o, PrintStream out)
            throws ProviderException {
        try {
            provider.destroy();
        } finally {
            notices(provider, out);
        }
        out.println();
        out.println("Destroy complete: " + plan.count(Plan.Action.DELETE) + " destroyed.");
        if (state != null && !provider.managesState()) {
            StateFile.delete(o.state());
            out.println("State file " + o.state() + " removed."
                    + (provider.name().equals("local")
                            ? " The local emulation it recorded had already ended with the process that applied it."
                            : ""));
        }
        return ExitCode.OK;
    }

    /** What the provider had to say besides its changes (a default it chose, a stale lock it took over). */
    private static void notices(Provider provider, PrintStream out) {
        for (String n : provider.notices()) {
            out.println("Note: " + n);
        }
    }

    /** The addresses the backend chose, VPC by VPC. */
    private static void report(Deployment dep, PrintStream out) {
        for (CloudSpec.Vpc v : dep.spec().vpcs()) {
            Deployment.VpcInfo i = dep.vpc(v.name());
            out.printf("  vpc %s in %s: %s, ipv6 %s%n", v.name(), v.region(), i.cidr(), i.ipv6());
            for (CloudSpec.Host h : dep.spec().hosts()) {
                if (h.vpc().equals(v.name())) {
                    HostHandle hh = dep.host(h.name());
                    out.printf(
                            "    host %-10s %s%s%n",
                            h.name(),
                            Addresses.format(hh.address()),
                            hh.publicAddress() == null ? "" : ", public " + Addresses.format(hh.publicAddress()));
                }
            }
            for (CloudSpec.Router r : dep.spec().routers()) {
                if (r.vpc().equals(v.name())) {
                    RouterHandle rh = dep.router(r.name());
                    out.printf(
                            "    router %-8s transit %s, locator %s%n",
                            r.name(), Addresses.format(rh.transitAddress()), rh.locator());
                }
            }
        }
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
