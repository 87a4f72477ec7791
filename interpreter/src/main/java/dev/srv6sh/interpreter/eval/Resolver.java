package dev.srv6sh.interpreter.eval;

import dev.srv6sh.grammar.diag.Names;
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
                attempt(found, () -> inLocator(r, s));
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

    /** A next hop names a declared host, a policy one of the SID's router (by the kinds of the behavior's spec). */
    private void sidArgs(Desired.Router r, Desired.Sid s) {
        for (Map.Entry<String, Value> a : s.args().entrySet()) {
            switch (s.behavior().param(a.getKey()).kind()) {
                case IPV4_NEXT_HOP, IPV6_NEXT_HOP -> host(a.getValue());
                case POLICY -> {
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

    /** With an explicit locator, a SID at an absolute address must lie inside it (RFC 8986 §3.1). */
    private static void inLocator(Desired.Router r, Desired.Sid s) {
        if (r.locator != null && s.at() instanceof Value.Addr a && !s.atSuffix() && !r.locator.contains(a.address())) {
            throw new ScriptError(
                    s.span(),
                    "SID " + r.name + "." + s.name() + " at " + Render.text(a) + " is outside the router's locator "
                            + r.locator);
        }
    }

    /**
     * A router that steers another VPC's CIDR into a policy must not sit in a VPC whose own CIDR
     * overlaps it: its VPC's route table could not tell local traffic from remote.
     */
    private void overlap(Desired.Router r, Desired.Steer s) {
        String other =
                switch (s.match()) {
                    case Value.Res res when res.kind().equals("vpc") -> res.name();
                    case Value.Forward f when d.vpcs.containsKey(f.name()) -> f.name();
                    default -> null;
                };
        if (other == null || other.equals(r.vpc)) {
            return;
        }
        dev.srv6sh.dataplane.config.Prefix mine = d.vpcs.get(r.vpc).cidr();
        dev.srv6sh.dataplane.config.Prefix theirs = d.vpcs.get(other).cidr();
        if (mine.contains(theirs.address()) || theirs.contains(mine.address())) {
            throw new ScriptError(
                    s.span(),
                    "router " + r.name + " steers vpc " + other + " (" + theirs + "), which overlaps its own vpc "
                            + r.vpc + " (" + mine + "); give the VPCs disjoint CIDRs");
        }
    }

    private void steer(Desired.Router r, Desired.Steer s) {
        overlap(r, s);
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
