package dev.srv6sh.interpreter.eval;

import java.util.List;
import java.util.Map;

/**
 * Checks what declarations left open until the whole program was seen: every {@code router.sid} names
 * a router and one of its SIDs, every name used ahead was declared, every steer and End.B6 names a
 * policy of its router.
 */
final class Resolver {
    private final Desired d;

    Resolver(Desired d) {
        this.d = d;
    }

    /** Throws the first problem (before an apply: nothing may happen with an unresolved program). */
    void check() {
        List<ScriptError> all = checkAll();
        if (!all.isEmpty()) {
            throw all.getFirst();
        }
    }

    /** Every problem, each SID, policy, steer and route checked on its own. */
    List<ScriptError> checkAll() {
        List<ScriptError> found = new java.util.ArrayList<>();
        for (Desired.Router r : d.routers.values()) {
            for (Desired.Sid s : r.sids.values()) {
                attempt(found, () -> sidArgs(r, s));
            }
            for (Desired.Policy p : r.policies.values()) {
                for (List<Value> list : p.lists()) {
                    list.forEach(v -> attempt(found, () -> sid(v)));
                }
            }
            for (Desired.Steer s : r.steering) {
                attempt(found, () -> steer(r, s));
            }
            for (Desired.Route rt : r.routes) {
                if (rt.via() instanceof Value.Forward f) {
                    attempt(found, () -> host(f));
                }
            }
        }
        return found;
    }

    private static void attempt(List<ScriptError> found, Runnable check) {
        try {
            check.run();
        } catch (ScriptError e) {
            found.add(e);
        }
    }

    private void sidArgs(Desired.Router r, Desired.Sid s) {
        for (Map.Entry<String, Value> a : s.args().entrySet()) {
            switch (a.getKey()) {
                case "nh" -> host(a.getValue());
                case "policy" -> {
                    String p = ((Value.Str) a.getValue()).value();
                    if (!r.policies.containsKey(p)) {
                        throw new ScriptError(
                                s.span(),
                                "router " + r.name + " has no policy '" + p + "'",
                                Names.suggest(p, r.policies.keySet()));
                    }
                }
                default -> {}
            }
        }
    }

    private void steer(Desired.Router r, Desired.Steer s) {
        if (!r.policies.containsKey(s.policy())) {
            throw new ScriptError(
                    s.policySpan(),
                    "router " + r.name + " has no policy '" + s.policy() + "'",
                    Names.suggest(s.policy(), r.policies.keySet()));
        }
        if (s.match() instanceof Value.Forward f) {
            if (!d.vpcs.containsKey(f.name()) && !d.hosts.containsKey(f.name())) {
                List<String> known = new java.util.ArrayList<>(d.vpcs.keySet());
                known.addAll(d.hosts.keySet());
                throw new ScriptError(
                        f.span(), "unknown vpc or host '" + f.name() + "'", Names.suggest(f.name(), known));
            }
        }
    }

    /** A SID list entry resolves to an existing router's SID (or is a literal address). */
    void sid(Value v) {
        if (v instanceof Value.Forward f) {
            throw new ScriptError(f.span(), "unknown name '" + f.name() + "' in a SID list (write router.sid)");
        }
        if (!(v instanceof Value.SidRef ref)) {
            return;
        }
        Desired.Router target = d.routers.get(ref.router());
        if (target == null) {
            throw new ScriptError(
                    ref.span(),
                    "unknown router '" + ref.router() + "'",
                    Names.suggest(ref.router(), d.routers.keySet()));
        }
        if (!target.sids.containsKey(ref.sid())) {
            throw new ScriptError(
                    ref.span(),
                    "router " + ref.router() + " has no SID '" + ref.sid() + "'",
                    Names.suggest(ref.sid(), target.sids.keySet()));
        }
    }

    private void host(Value v) {
        if (v instanceof Value.Forward f && !d.hosts.containsKey(f.name())) {
            throw new ScriptError(
                    f.span(), "unknown host '" + f.name() + "'", Names.suggest(f.name(), d.hosts.keySet()));
        }
    }
}
