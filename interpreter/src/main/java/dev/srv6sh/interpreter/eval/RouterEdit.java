package dev.srv6sh.interpreter.eval;

import dev.srv6sh.dataplane.BehaviorSpec;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.grammar.ast.Program;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.ast.Stmt;
import dev.srv6sh.grammar.diag.Names;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The router shell's edits: router items, written as inside the router's block, applied to its
 * configuration. Each item is checked by {@link Declarations} and lowered by {@link Binder}'s item
 * methods, exactly as a script's, so the shell and a script cannot disagree on what a line means.
 *
 * <p>What differs is what the names mean. A script's router lives among hosts and VPCs, and its
 * SIDs get addresses when it is deployed; the router shell knows one router's configuration and
 * nothing around it. So a next hop, a steered prefix and a SID list entry are addresses (a host's or
 * VPC's name is refused, saying so), {@code ROUTER.sid} names one of this router's own SIDs, and a
 * SID or binding SID without an address is allocated in the router's locator as {@link Binder} does
 * (stably by name, around the functions already taken), which needs the locator to be known.
 *
 * <p>An item replaces the one with its key ({@code sid NAME}, {@code policy NAME}, {@code steer
 * PREFIX}, {@code route TABLE PREFIX}, {@code neighbor ADDRESS}, {@code interface NAME}, {@code
 * encap}), as re-entering a line does on IOS-XR; an interface block is the whole interface (its
 * addresses replace the old ones), so that {@code show running} entered again is the same
 * configuration.
 */
public final class RouterEdit {
    private final String router;
    private final Prefix locator;

    /** Edits of router {@code router} whose locator is {@code locator} (null: not known). */
    public RouterEdit(String router, Prefix locator) {
        this.router = Objects.requireNonNull(router, "router");
        this.locator = locator == null ? null : locator.network();
    }

    /** The configuration after an entry's items, and notes for the user (what a commit will need). */
    public record Result(DataplaneConfig config, List<String> notes) {
        public Result {
            notes = List.copyOf(notes);
        }
    }

    /**
     * Applies {@code entry}'s items, in order, to {@code config}. All or nothing: the first item that
     * fails throws its {@link ScriptError}, at a span of {@code entry}.
     */
    public Result apply(DataplaneConfig config, Program entry, String source) {
        Draft draft = new Draft(config);
        List<String> notes = new ArrayList<>();
        Evaluator ev = new Evaluator(
                false,
                Map.of(),
                () -> {
                    throw new dev.srv6sh.cloud.ProviderException("the router shell runs no operations");
                },
                dev.srv6sh.interpreter.Results.NONE);
        ev.replaceDeclarations();
        for (Stmt item : entry.statements()) {
            Desired.Router r = new Desired.Router(router, null, item.span());
            draft.interfaces.forEach(i -> r.interfaceNames.add(i.name()));
            try {
                ev.routerItem(item, entry.file(), source, r);
                lower(item, r, draft, notes);
            } catch (RuntimeFailure e) { // nothing runs here: whatever fails is the line's fault
                throw new ScriptError(e.span() == null ? item.span() : e.span(), e.getMessage());
            }
        }
        return new Result(draft.config(), notes);
    }

    private void lower(Stmt item, Desired.Router r, Draft draft, List<String> notes) {
        Lookup names = new ShellLookup(draft);
        switch (item) {
            case Stmt.SidDecl s -> {
                Desired.Sid sid = r.sids.values().iterator().next();
                DataplaneConfig.Sid lowered = Binder.sid(sid, sidAddress(sid, draft), names);
                replace(draft.sids, x -> x.name().equals(lowered.name()), lowered);
                for (BehaviorSpec.Param p : sid.behavior().arguments()) {
                    if (p.kind() == BehaviorSpec.Kind.POLICY
                            && lowered.args().get(p.key()) instanceof DataplaneConfig.Arg.Name n
                            && draft.policies.stream().noneMatch(x -> x.name().equals(n.name()))) {
                        notes.add("note: there is no policy '" + n.name() + "' yet; the commit needs one");
                    }
                }
            }
            case Stmt.PolicyDecl p -> {
                Desired.Policy policy = r.policies.values().iterator().next();
                DataplaneConfig.Policy lowered = Binder.policy(policy, bsid(policy, draft), names);
                replace(draft.policies, x -> x.name().equals(lowered.name()), lowered);
            }
            case Stmt.SteerDecl s -> {
                DataplaneConfig.Steer lowered = Binder.steer(r.steering.getFirst(), names);
                replace(
                        draft.steering,
                        x -> x.iface() == null
                                && x.table() == lowered.table()
                                && lowered.prefix().equals(x.prefix()),
                        lowered);
                if (draft.policies.stream().noneMatch(x -> x.name().equals(lowered.policy()))) {
                    notes.add("note: there is no policy '" + lowered.policy() + "' yet; the commit needs one");
                }
            }
            case Stmt.RouteDecl rd -> {
                DataplaneConfig.Route lowered = Binder.route(r.routes.getFirst(), names);
                replace(
                        draft.routes,
                        x -> x.table() == lowered.table() && x.prefix().equals(lowered.prefix()),
                        lowered);
            }
            case Stmt.NeighborDecl n -> {
                DataplaneConfig.Neighbor lowered = Binder.neighbor(r.neighbors.getFirst());
                replace(draft.neighbors, x -> x.address().equals(lowered.address()), lowered);
            }
            case Stmt.InterfaceDecl i -> {
                Desired.Interface decl = r.interfaces.get(i.name());
                DataplaneConfig.Interface base = draft.interfaces.stream()
                        .filter(x -> x.name().equals(i.name()))
                        .findFirst()
                        .orElseThrow(() -> new ScriptError(
                                i.span(),
                                "router " + router + " has no interface '" + i.name() + "'; it has "
                                        + String.join(
                                                ", ",
                                                draft.interfaces.stream()
                                                        .map(DataplaneConfig.Interface::name)
                                                        .toList()),
                                Names.suggest(
                                        i.name(),
                                        draft.interfaces.stream()
                                                .map(DataplaneConfig.Interface::name)
                                                .toList())));
                DataplaneConfig.Interface edited = Binder.iface(base, decl, true);
                if (!edited.driver().equals(base.driver())
                        || !java.util.Objects.equals(edited.device(), base.device())) {
                    // the port is opened when the router starts: show running types back, a change is refused
                    throw new ScriptError(
                            i.span(),
                            "interface " + i.name() + " is on " + base.driver()
                                    + (base.device() != null ? " device \"" + base.device() + "\"" : "")
                                    + "; its driver and device are the router's to open when it starts, not part of"
                                    + " a commit");
                }
                replace(draft.interfaces, x -> x.name().equals(i.name()), edited);
            }
            case Stmt.RouterProperty p -> encap(p, r, draft);
            case Stmt.SrDomainDecl d -> draft.srDomain = r.srDomain;
            case Stmt.Locator l ->
                throw new ScriptError(
                        l.span(),
                        "the locator is where the router is deployed (its script, its daemon's configuration),"
                                + " not part of its forwarding configuration");
            default -> throw new ScriptError(item.span(), "this is not a router item");
        }
    }

    private void encap(Stmt.RouterProperty p, Desired.Router r, Draft draft) {
        String key = p.property().key();
        if (!key.startsWith("encap ")) {
            throw new ScriptError(
                    p.span(),
                    "'" + key + "' is a deployment setting (its script's), not part of the router's forwarding"
                            + " configuration");
        }
        DataplaneConfig.Encap old = draft.encap;
        if (key.equals("encap hoplimit")) {
            Inet6Address source = old != null ? old.source() : transitAddress(draft, p.span());
            draft.encap = new DataplaneConfig.Encap(source, r.encapHopLimit);
            return;
        }
        Inet6Address source = r.encapSource == null
                ? transitAddress(draft, p.span())
                : (Inet6Address) ((Value.Addr) r.encapSource).address();
        draft.encap = new DataplaneConfig.Encap(source, old != null ? old.hopLimit() : r.encapHopLimit);
    }

    /** {@code encap source auto}: the transit interface's IPv6 address, as the backends choose it. */
    private Inet6Address transitAddress(Draft draft, Span span) {
        return draft.interfaces.stream()
                .filter(i -> i.name().equals("transit"))
                .flatMap(i -> i.addresses().stream())
                .map(Prefix::address)
                .filter(a -> a instanceof Inet6Address)
                .map(a -> (Inet6Address) a)
                .findFirst()
                .orElseThrow(() -> new ScriptError(
                        span,
                        "router " + router + "'s transit interface has no IPv6 address to encapsulate from:"
                                + " write 'encap source ADDRESS'"));
    }

    /** Where a SID goes: its {@code at}, or in the locator by its name, around the functions taken. */
    private Inet6Address sidAddress(Desired.Sid s, Draft draft) {
        if (s.at() != null && !s.atSuffix()) {
            return locator == null
                    ? (Inet6Address) ((Value.Addr) s.at()).address()
                    : Binder.placed(router, s, needLocator(s.span(), ""));
        }
        Prefix loc = needLocator(s.span(), "give the SID's address with 'at ADDRESS'");
        if (s.atSuffix()) {
            return Binder.placed(router, s, loc);
        }
        return Binder.allocate("sid " + s.name(), loc, used(draft, "sid", s.name()));
    }

    private Inet6Address bsid(Desired.Policy p, Draft draft) {
        if (p.bsid() == null) {
            Prefix loc = needLocator(p.span(), "give the policy's binding SID with 'bsid ADDRESS'");
            return Binder.allocate("policy " + p.name(), loc, used(draft, "policy", p.name()));
        }
        if (p.bsid() instanceof Value.Addr a && a.address() instanceof Inet6Address b6) {
            return b6;
        }
        throw new ScriptError(p.span(), "a bsid is an IPv6 address");
    }

    private Prefix needLocator(Span span, String instead) {
        if (locator == null) {
            throw new ScriptError(
                    span,
                    "router " + router + "'s locator is not known to this shell, so nothing can be placed in it: "
                            + instead);
        }
        return locator;
    }

    /** The functions of the locator that SIDs and binding SIDs hold, but for the item {@code kind name} being replaced. */
    private Set<Integer> used(Draft draft, String kind, String name) {
        Set<Integer> used = new HashSet<>();
        used.add(0);
        for (DataplaneConfig.Sid s : draft.sids) {
            if (!(kind.equals("sid") && s.name().equals(name)) && locator.contains(s.address())) {
                used.add(Binder.function(locator, s.address()));
            }
        }
        for (DataplaneConfig.Policy p : draft.policies) {
            if (!(kind.equals("policy") && p.name().equals(name)) && p.bsid() != null && locator.contains(p.bsid())) {
                used.add(Binder.function(locator, p.bsid()));
            }
        }
        return used;
    }

    private static <T> void replace(List<T> items, Predicate<T> same, T item) {
        for (int i = 0; i < items.size(); i++) {
            if (same.test(items.get(i))) {
                items.set(i, item);
                return;
            }
        }
        items.add(item);
    }

    // ---- removal (the router shell's 'no' statements) --------------------------------------------

    /** Router {@code c} without SID {@code name}, or null when it has none. */
    public static DataplaneConfig withoutSid(DataplaneConfig c, String name) {
        return without(c, d -> d.sids.removeIf(s -> s.name().equals(name)));
    }

    /** Router {@code c} without policy {@code name}, or null when it has none. */
    public static DataplaneConfig withoutPolicy(DataplaneConfig c, String name) {
        return without(c, d -> d.policies.removeIf(p -> p.name().equals(name)));
    }

    /** Router {@code c} without the steering of {@code prefix} in {@code table}, or null when it has none. */
    public static DataplaneConfig withoutSteer(DataplaneConfig c, Prefix prefix, int table) {
        return without(c, d -> d.steering.removeIf(s -> s.table() == table && prefix.equals(s.prefix())));
    }

    /** Router {@code c} without the route to {@code prefix} in {@code table}, or null when it has none. */
    public static DataplaneConfig withoutRoute(DataplaneConfig c, Prefix prefix, int table) {
        return without(
                c, d -> d.routes.removeIf(r -> r.table() == table && r.prefix().equals(prefix)));
    }

    /** Router {@code c} without the static neighbor {@code address}, or null when it has none. */
    public static DataplaneConfig withoutNeighbor(DataplaneConfig c, InetAddress address) {
        return without(c, d -> d.neighbors.removeIf(n -> n.address().equals(address)));
    }

    private static DataplaneConfig without(DataplaneConfig c, Predicate<Draft> remove) {
        Draft d = new Draft(c);
        return remove.test(d) ? d.config() : null;
    }

    /** The router shell's names: addresses only, and this router's own SIDs. */
    private final class ShellLookup implements Lookup {
        private final Draft draft;

        ShellLookup(Draft draft) {
            this.draft = draft;
        }

        @Override
        public InetAddress host(String name, Span span) {
            throw new ScriptError(
                    span,
                    "'" + name + "' is not an address: the router shell knows this router only, not the hosts"
                            + " and VPCs of a script; write the address");
        }

        @Override
        public Prefix vpc(String name) {
            return null;
        }

        @Override
        public Inet6Address sid(String owner, String sid, Span span) {
            if (!owner.equals(router)) {
                throw new ScriptError(
                        span,
                        "the router shell knows router " + router + "'s own SIDs only; write the address of " + owner
                                + "." + sid);
            }
            return draft.sids.stream()
                    .filter(s -> s.name().equals(sid))
                    .map(DataplaneConfig.Sid::address)
                    .findFirst()
                    .orElseThrow(() -> new ScriptError(
                            span,
                            "router " + router + " has no SID '" + sid + "'",
                            Names.suggest(
                                    sid,
                                    draft.sids.stream()
                                            .map(DataplaneConfig.Sid::name)
                                            .toList())));
        }
    }

    /** A configuration being edited: its items as lists that an edit may change. */
    private static final class Draft {
        final String router;
        final List<DataplaneConfig.Interface> interfaces;
        final List<DataplaneConfig.Route> routes;
        final List<DataplaneConfig.Neighbor> neighbors;
        final List<DataplaneConfig.Sid> sids;
        final List<DataplaneConfig.Policy> policies;
        final List<DataplaneConfig.Steer> steering;
        DataplaneConfig.Encap encap;
        DataplaneConfig.SrDomain srDomain;

        Draft(DataplaneConfig c) {
            router = c.router();
            interfaces = new ArrayList<>(c.interfaces());
            routes = new ArrayList<>(c.routes());
            neighbors = new ArrayList<>(c.neighbors());
            sids = new ArrayList<>(c.sids());
            policies = new ArrayList<>(c.policies());
            steering = new ArrayList<>(c.steering());
            encap = c.encap();
            srDomain = c.srDomain();
        }

        DataplaneConfig config() {
            return new DataplaneConfig(
                    router, interfaces, routes, neighbors, sids, policies, steering, encap, srDomain);
        }
    }
}
