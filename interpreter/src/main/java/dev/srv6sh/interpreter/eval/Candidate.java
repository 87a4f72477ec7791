package dev.srv6sh.interpreter.eval;

import dev.srv6sh.dataplane.BehaviorSpec;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.interpreter.Result;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code show sids|policies|steering} of a router that is not applied: its program as the script
 * declares it, the candidate in a router's terms, in the rows of the installed program's tables
 * ({@link RouterTables}).
 * Whatever the script fixes is shown (an explicit locator places every SID); what the backend
 * allocates at {@code apply} ({@code locator auto}, a host's address) says so instead.
 */
final class Candidate {
    private static final String LATER = "(allocated at apply)";

    private final Evaluator ev;

    Candidate(Evaluator ev) {
        this.ev = ev;
    }

    /** Router {@code r}'s {@code show sids|policies|steering} rows, as declared. */
    Result.Candidate table(String what, Desired.Router r) {
        List<Result.Candidate.Row> rows = new ArrayList<>();
        Binder.Allocation at = ev.addressing().knownAllocation(r);
        switch (what) {
            case "sids" -> {
                for (Desired.Sid s : r.sids.values()) {
                    StringBuilder args = new StringBuilder();
                    for (BehaviorSpec.Param p : s.behavior().arguments()) {
                        Value v = s.args().get(p.key());
                        if (v != null) {
                            args.append(' ').append(p.key()).append(' ');
                            args.append(v instanceof Value.Str w ? w.value() : address(v));
                        }
                    }
                    rows.add(new Result.Candidate.Sid(sid(s, at), s.behavior().name(), s.name() + args));
                }
            }
            case "policies" -> {
                for (Desired.Policy p : r.policies.values()) {
                    String bsid = p.bsid() instanceof Value.Addr a
                            ? Addresses.format(a.address())
                            : at == null ? LATER : Addresses.format(at.bsids().get(p.name()));
                    List<String> lists = new ArrayList<>();
                    for (int i = 0; i < p.lists().size(); i++) {
                        lists.add(p.lists().get(i).stream().map(this::segment).toList() + " weight "
                                + p.weights().get(i));
                    }
                    rows.add(new Result.Candidate.Policy(bsid, p.mode().text(), p.name(), lists));
                }
            }
            default -> {
                for (Desired.Steer st : r.steering) {
                    rows.add(new Result.Candidate.Steer(match(st.match()), st.policy()));
                }
            }
        }
        return new Result.Candidate(r.name, rows);
    }

    private static String sid(Desired.Sid s, Binder.Allocation at) {
        if (at != null) {
            return Addresses.format(at.sids().get(s.name()));
        }
        // an absolute 'at' needs no locator to be known
        return s.at() instanceof Value.Addr a && !s.atSuffix() ? Addresses.format(a.address()) : LATER;
    }

    /** A SID list entry: its address when the script fixes it, else the reference as written. */
    private String segment(Value v) {
        if (v instanceof Value.SidRef ref && ev.desired().routers.get(ref.router()) instanceof Desired.Router r) {
            Binder.Allocation a = ev.addressing().knownAllocation(r);
            if (a != null && a.sids().containsKey(ref.sid())) {
                return Addresses.format(a.sids().get(ref.sid()));
            }
        }
        return address(v);
    }

    private String match(Value v) {
        String name = v instanceof Value.Res r ? r.name() : v instanceof Value.Forward f ? f.name() : null;
        if (name != null && ev.desired().vpcs.containsKey(name)) {
            return ev.addressing().cidr(name).toString();
        }
        if (name != null) {
            InetAddress a = ev.addressing().knownHost(name);
            return a == null ? name + " " + LATER : new Prefix(a, 32).toString();
        }
        return Render.text(v);
    }

    /** A host's address when the script fixes it, else its name (the name column has no room for more). */
    private String address(Value v) {
        String name = v instanceof Value.Res r ? r.name() : v instanceof Value.Forward f ? f.name() : null;
        if (name != null) {
            InetAddress a = ev.addressing().knownHost(name);
            return a == null ? name : Addresses.format(a);
        }
        return Render.text(v);
    }
}
