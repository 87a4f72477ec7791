package dev.srv6sh.interpreter.eval;

import dev.srv6sh.dataplane.BehaviorSpec;
import dev.srv6sh.dataplane.BehaviorSpec.Kind;
import dev.srv6sh.dataplane.BehaviorSpec.Param;
import dev.srv6sh.dataplane.Behaviors;
import dev.srv6sh.dataplane.config.DataplaneConfig.Flavor;
import dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.grammar.ast.Arg;
import dev.srv6sh.grammar.ast.DeclName;
import dev.srv6sh.grammar.ast.Expr;
import dev.srv6sh.grammar.ast.Property;
import dev.srv6sh.grammar.ast.SegmentList;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.ast.Stmt;
import dev.srv6sh.grammar.diag.Names;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Declarations → {@link Desired}: every value checked for kind and type where it is written. */
final class Declarations {
    private final Evaluator ev;

    Declarations(Evaluator ev) {
        this.ev = ev;
    }

    private Desired d() {
        return ev.desired();
    }

    private String declare(DeclName n, Env env, String kind, Span span) {
        String name = ev.declName(n, env);
        Span first = d().declared(name);
        if (first != null && ev.replacing()) {
            d().remove(name); // a REPL session: the new declaration replaces the earlier one
        } else if (first != null) {
            throw new ScriptError(n.span(), "'" + name + "' is declared twice", "first declared at " + first);
        }
        if (n.indexed() && env.lookup(n.name()) == null) {
            ev.globals().define(n.name(), new Value.Family(kind, n.name()));
        }
        ev.globals().define(name, new Value.Res(kind, name));
        return name;
    }

    void region(Stmt.RegionDecl r, Env env) {
        String code = null;
        if (r.code() != null) {
            code = string(ev.exprs().eval(r.code(), env, false), r.code().span(), "an AWS region code");
        }
        String name = declare(r.name(), env, "region", r.span());
        d().regions.put(name, new Desired.Region(name, r.kind(), code, r.span()));
    }

    void rtt(Stmt.RttDecl r, Env env) {
        String a = resource(ev.exprs().eval(r.a(), env, true), r.a().span(), "region");
        String b = resource(ev.exprs().eval(r.b(), env, true), r.b().span(), "region");
        Value v = ev.exprs().eval(r.rtt(), env, false);
        if (!(v instanceof Value.Qty q && q.dim() == Dim.DURATION) || q.value() <= 0) {
            throw new ScriptError(r.rtt().span(), "rtt needs a positive duration such as 9.4ms, not " + v.describe());
        }
        d().rtts.add(new Desired.Rtt(a, b, Duration.ofNanos(Math.round(q.value() * 1e9)), r.span()));
    }

    void vpc(Stmt.VpcDecl v, Env env) {
        String region =
                resource(ev.exprs().eval(v.region(), env, true), v.region().span(), "region");
        Prefix cidr = null;
        Prefix ipv6 = null;
        String zone = null;
        for (Property p : v.properties()) {
            Value x = single(p, env);
            switch (p.key()) {
                case "cidr" -> cidr = prefix(x, p, false);
                case "zone" -> zone = string(x, p.span(), "an availability zone name");
                case "ipv6" -> ipv6 = isAuto(p) ? null : prefix(x, p, true);
                default ->
                    throw new ScriptError(
                            p.span(),
                            "a vpc has no setting '" + p.key() + "'",
                            Names.suggest(p.key(), List.of("cidr", "zone", "ipv6")));
            }
        }
        if (cidr == null) {
            throw new ScriptError(v.name().span(), "vpc needs a 'cidr' (for example { cidr 10.11.0.0/16 })");
        }
        String name = declare(v.name(), env, "vpc", v.span());
        d().vpcs.put(name, new Desired.Vpc(name, region, cidr.network(), zone, ipv6, v.span()));
    }

    void host(Stmt.HostDecl h, Env env) {
        String vpc = resource(ev.exprs().eval(h.vpc(), env, true), h.vpc().span(), "vpc");
        InetAddress ip = null;
        String instance = "t3.micro";
        String image = null;
        for (Property p : h.properties()) {
            Value x = single(p, env);
            switch (p.key()) {
                case "ip" -> {
                    if (!Exprs.isV4(x)) {
                        throw new ScriptError(p.span(), "a host's 'ip' is an IPv4 address, not " + x.describe());
                    }
                    ip = ((Value.Addr) x).address();
                    Prefix cidr = d().vpcs.get(vpc).cidr();
                    if (!cidr.contains(ip)) {
                        throw new ScriptError(
                                p.span(),
                                "host address " + Render.text(x) + " is outside vpc " + vpc + " (" + cidr + ")");
                    }
                }
                case "instance" -> instance = string(x, p.span(), "an instance type");
                case "image" -> image = string(x, p.span(), "an AMI id");
                default ->
                    throw new ScriptError(
                            p.span(),
                            "a host has no setting '" + p.key() + "'",
                            Names.suggest(p.key(), List.of("ip", "instance", "image")));
            }
        }
        String name = declare(h.name(), env, "host", h.span());
        d().hosts.put(name, new Desired.Host(name, vpc, ip, instance, image, h.span()));
    }

    void router(Stmt.RouterDecl r, Env env) {
        String vpc = resource(ev.exprs().eval(r.vpc(), env, true), r.vpc().span(), "vpc");
        Desired.Router old = ev.replacing() ? d().routers.get(ev.declName(r.name(), env)) : null;
        String name = declare(r.name(), env, "router", r.span());
        Desired.Router router = new Desired.Router(name, vpc, r.span());
        d().routers.put(name, router);
        Env scope = new Env(env);
        for (Stmt s : r.body()) {
            ev.exec(s, scope, router);
        }
        if (old != null) {
            router.adoptOutsideItems(old);
        }
    }

    void locator(Stmt.Locator l, Env env, Desired.Router r) {
        if (l.prefix() == null) {
            r.locator = null;
            return;
        }
        Value v = ev.exprs().eval(l.prefix(), env, false);
        if (!(v instanceof Value.Pfx p && p.prefix().isIpv6()) || p.prefix().length() > 112) {
            throw new ScriptError(l.prefix().span(), "a locator is an IPv6 prefix of at most /112, or 'auto'");
        }
        r.locator = p.prefix().network();
    }

    void property(Stmt.RouterProperty rp, Env env, Desired.Router r) {
        Property p = rp.property();
        switch (p.key()) {
            case "encap source" -> {
                Value v = single(p, env);
                if (isAuto(p)) {
                    r.encapSource = null;
                } else if (v instanceof Value.Addr a && a.address() instanceof java.net.Inet6Address) {
                    r.encapSource = v;
                } else {
                    throw new ScriptError(p.span(), "'encap source' is an IPv6 address or 'auto'");
                }
            }
            case "encap hoplimit" -> {
                int n = Builtins.whole(p.span(), single(p, env));
                if (n < 1 || n > 255) {
                    throw new ScriptError(p.span(), "'encap hoplimit' is 1..255");
                }
                r.encapHopLimit = n;
            }
            case "instance" -> r.instance = string(single(p, env), p.span(), "an instance type");
            case "image" -> r.image = string(single(p, env), p.span(), "an AMI id");
            case "ssh" -> {
                r.ssh = p.span();
                r.sshEndpoint = sshEndpoint(p, env);
            }
            default ->
                throw new ScriptError(
                        p.span(),
                        "a router has no setting '" + p.key() + "'",
                        Names.suggest(
                                p.key(),
                                List.of(
                                        "locator",
                                        "encap source",
                                        "encap hoplimit",
                                        "instance",
                                        "image",
                                        "ssh",
                                        "interface",
                                        "route",
                                        "neighbor",
                                        "sid",
                                        "policy",
                                        "steer")));
        }
    }

    void iface(Stmt.InterfaceDecl i, Env env, Desired.Router r) {
        Map<String, Value> settings = new LinkedHashMap<>();
        for (Property p : i.properties()) {
            if (!List.of("address", "mac", "mtu", "driver", "device").contains(p.key())) {
                throw new ScriptError(
                        p.span(),
                        "an interface has no setting '" + p.key() + "'",
                        Names.suggest(p.key(), List.of("address", "mac", "mtu", "driver", "device")));
            }
            settings.put(p.key(), p.key().equals("driver") ? new Value.Str(word(p)) : single(p, env));
        }
        if (r.interfaces.put(i.name(), new Desired.Interface(i.name(), settings, i.span())) != null) {
            throw new ScriptError(i.span(), "interface '" + i.name() + "' is declared twice on router " + r.name);
        }
    }

    void route(Stmt.RouteDecl rd, Env env, Desired.Router r) {
        Value p = ev.exprs().eval(rd.prefix(), env, false);
        if (!(p instanceof Value.Pfx)) {
            throw new ScriptError(rd.prefix().span(), "a route needs a prefix, not " + p.describe());
        }
        Value via = rd.via() instanceof Expr.Ident id
                        && List.of("inside", "transit", "mgmt").contains(id.name())
                ? new Value.Str(id.name())
                : ev.exprs().eval(rd.via(), env, true);
        int table = rd.table() == null
                ? 0
                : Builtins.whole(rd.table().span(), ev.exprs().eval(rd.table(), env, false));
        r.routes.add(new Desired.Route(p, via, table, rd.span()));
    }

    void neighbor(Stmt.NeighborDecl n, Env env, Desired.Router r) {
        Value a = ev.exprs().eval(n.address(), env, false);
        Value m = ev.exprs().eval(n.mac(), env, false);
        if (!(a instanceof Value.Addr) || !(m instanceof Value.Mac)) {
            throw new ScriptError(n.span(), "neighbor takes an address, a MAC address and an interface");
        }
        r.neighbors.add(new Desired.Neighbor(a, m, n.iface(), n.span()));
    }

    private Desired.Router owner(Expr on, Env env, Desired.Router inBlock, Span span, String what) {
        if (inBlock != null) {
            if (on != null) {
                throw new ScriptError(on.span(), "'on' is for a " + what + " outside a router block");
            }
            return inBlock;
        }
        if (on == null) {
            throw new ScriptError(span, "a " + what + " outside a router block needs 'on ROUTER'");
        }
        String name = resource(ev.exprs().eval(on, env, true), on.span(), "router");
        return d().routers.get(name);
    }

    void sid(Stmt.SidDecl s, Env env, Desired.Router inBlock) {
        Desired.Router r = owner(s.on(), env, inBlock, s.span(), "sid");
        BehaviorSpec b = Behaviors.byName(s.behavior());
        if (b == null) {
            throw new ScriptError(
                    s.behaviorSpan(),
                    "unknown behavior '" + s.behavior() + "'",
                    Names.suggest(s.behavior(), Behaviors.names()));
        }
        List<String> keys = b.params().stream().map(Param::key).toList();
        Map<String, Value> args = new LinkedHashMap<>();
        for (Arg a : s.args()) {
            Param p = b.param(a.key());
            if (p == null) {
                throw new ScriptError(
                        a.span(),
                        b.name() + " takes no argument '" + a.key() + "'"
                                + (keys.isEmpty() ? "" : "; it takes " + String.join(", ", keys)),
                        Names.suggest(a.key(), keys));
            }
            if (args.containsKey(a.key())) {
                throw new ScriptError(a.span(), "argument '" + a.key() + "' is given twice");
            }
            args.put(a.key(), argument(a, p, b, env));
        }
        for (Param p : b.params()) {
            if (p.required() && !args.containsKey(p.key())) {
                throw new ScriptError(
                        s.behaviorSpan(), b.name() + " needs '" + p.key() + "' (" + words(p.kind()) + ")");
            }
        }
        Value at = s.at() == null ? null : ev.exprs().eval(s.at(), env, false);
        boolean suffix = s.at() instanceof Expr.AddressLit lit && lit.text().startsWith("::");
        if (at != null && !(at instanceof Value.Addr a && a.address() instanceof java.net.Inet6Address)) {
            throw new ScriptError(s.at().span(), "'at' takes an IPv6 address or a ::suffix, not " + at.describe());
        }
        String name = ev.declName(s.name(), env);
        if (r.sids.containsKey(name) && !ev.replacing()) {
            throw new ScriptError(
                    s.name().span(),
                    "router " + r.name + " already has a SID '" + name + "'",
                    "first declared at " + r.sids.get(name).span());
        }
        r.sids.put(name, new Desired.Sid(name, b, at, suffix, args, s.span()));
    }

    /** What the language accepts for an argument of a kind, in words for messages. */
    static String words(Kind kind) {
        return switch (kind) {
            case IPV4_NEXT_HOP -> "an IPv4 address or host";
            case IPV6_NEXT_HOP -> "an IPv6 address";
            case TABLE -> "a table number";
            case INTERFACE -> "an interface name";
            case POLICY -> "a policy of this router";
            case FLAVORS -> "flavors such as psp,usp,usd,next-csid";
            case BITS -> "a length in bits";
            case BOOL -> "true or false";
        };
    }

    /** An argument's value, of the type its parameter's kind asks for: a word, a number, a truth, an address. */
    private Value argument(Arg a, Param p, BehaviorSpec b, Env env) {
        if (a.value() == null) {
            throw new ScriptError(a.span(), "'" + a.key() + "' needs a value (" + words(p.kind()) + ")");
        }
        return switch (p.kind()) {
            case INTERFACE, POLICY ->
                new Value.Str(
                        a.value() instanceof Expr.Ident id
                                ? id.name()
                                : ev.sourceOf(a.value().span()));
            case FLAVORS -> flavors(a, b);
            case TABLE, BITS ->
                new Value.Num(Builtins.whole(a.value().span(), ev.exprs().eval(a.value(), env, false)));
            case BOOL -> {
                Value v = ev.exprs().eval(a.value(), env, false);
                if (!(v instanceof Value.Bool)) {
                    throw new ScriptError(a.value().span(), "'" + a.key() + "' is true or false");
                }
                yield v;
            }
            case IPV4_NEXT_HOP, IPV6_NEXT_HOP -> {
                Value v = ev.exprs().eval(a.value(), env, true);
                boolean ok =
                        switch (v) {
                            case Value.Addr addr ->
                                (addr.address() instanceof java.net.Inet4Address) == (p.kind() == Kind.IPV4_NEXT_HOP);
                            case Value.Res res -> res.kind().equals("host") && p.kind() == Kind.IPV4_NEXT_HOP;
                            case Value.Forward f -> true;
                            default -> false;
                        };
                if (!ok) {
                    throw new ScriptError(
                            a.value().span(), "'" + a.key() + "' must be " + words(p.kind()) + ", not " + v.describe());
                }
                yield v;
            }
        };
    }

    /** {@code flavors psp, usd}: each word a flavor the behavior takes (the data plane would refuse it). */
    private Value flavors(Arg a, BehaviorSpec b) {
        String text = a.value() instanceof Expr.Ident id
                ? id.name()
                : ev.sourceOf(a.value().span());
        for (String word : text.split("[,\\s]+")) {
            Flavor f = BehaviorSpec.flavor(word);
            if (f == null) {
                throw new ScriptError(
                        a.value().span(),
                        "unknown flavor '" + word + "'; " + b.name() + " takes " + String.join(", ", b.flavorWords()),
                        Names.suggest(word, b.flavorWords()));
            }
            if (!b.flavors().contains(f)) {
                throw new ScriptError(
                        a.value().span(),
                        b.name() + " does not take " + word + "; it takes " + String.join(", ", b.flavorWords()));
            }
        }
        return new Value.Str(text);
    }

    void policy(Stmt.PolicyDecl p, Env env, Desired.Router inBlock) {
        Desired.Router r = owner(p.on(), env, inBlock, p.span(), "policy");
        PolicyMode mode = PolicyMode.byName(p.mode());
        if (mode == null) {
            throw new ScriptError(
                    p.modeSpan(),
                    "unknown policy mode '" + p.mode() + "'",
                    Names.suggest(
                            p.mode(),
                            Arrays.stream(PolicyMode.values())
                                    .map(PolicyMode::text)
                                    .toList()));
        }
        Value bsid = p.bsid() == null ? null : ev.exprs().eval(p.bsid(), env, false);
        List<List<Value>> lists = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        for (SegmentList sl : p.lists()) {
            if (sl.sids().isEmpty()) {
                throw new ScriptError(sl.span(), "a SID list needs at least one SID");
            }
            List<Value> sids = new ArrayList<>();
            for (Expr e : sl.sids()) {
                Value v = ev.exprs().eval(e, env, true);
                if (!(v instanceof Value.SidRef
                        || v instanceof Value.Addr a && a.address() instanceof java.net.Inet6Address)) {
                    throw new ScriptError(
                            e.span(), "a SID list holds SIDs (router.sid) or IPv6 addresses, not " + v.describe());
                }
                sids.add(v);
            }
            lists.add(sids);
            int w = sl.weight() == null
                    ? 1
                    : Builtins.whole(sl.weight().span(), ev.exprs().eval(sl.weight(), env, false));
            if (w < 1) {
                throw new ScriptError(sl.weight().span(), "a weight is a whole number of at least 1");
            }
            weights.add(w);
        }
        String name = ev.declName(p.name(), env);
        if (r.policies.containsKey(name) && !ev.replacing()) {
            throw new ScriptError(
                    p.name().span(),
                    "router " + r.name + " already has a policy '" + name + "'",
                    "first declared at " + r.policies.get(name).span());
        }
        r.policies.put(name, new Desired.Policy(name, mode, bsid, lists, weights, p.span()));
    }

    void steer(Stmt.SteerDecl s, Env env, Desired.Router inBlock) {
        Desired.Router r = owner(s.on(), env, inBlock, s.span(), "steer");
        Value match = ev.exprs().eval(s.match(), env, true);
        boolean ok = match instanceof Value.Pfx
                || match instanceof Value.Forward
                || match instanceof Value.Res res
                        && (res.kind().equals("vpc") || res.kind().equals("host"));
        if (!ok) {
            throw new ScriptError(s.match().span(), "steer takes a prefix, a VPC or a host, not " + match.describe());
        }
        String policy =
                switch (s.policy()) {
                    case Expr.Ident id -> id.name();
                    case Expr.Index ix
                    when ix.target() instanceof Expr.Ident base ->
                        Evaluator.memberName(base.name(), ev.exprs().eval(ix.index(), env, false));
                    default ->
                        throw new ScriptError(s.policy().span(), "steer names a policy of this router after '->'");
                };
        r.steering.add(new Desired.Steer(match, policy, s.policy().span(), s.span()));
    }

    // ---- small checks ---------------------------------------------------------------------------

    /**
     * {@code ssh ADDRESS:PORT}: where the router's shell listens. The address is one of this machine's
     * (IPv4; loopback unless the script says otherwise), the port 1..65535.
     */
    private java.net.InetSocketAddress sshEndpoint(Property p, Env env) {
        Value a = ev.exprs().eval(p.values().get(0), env, false);
        if (!(a instanceof Value.Addr addr && addr.address() instanceof java.net.Inet4Address)) {
            throw new ScriptError(
                    p.values().get(0).span(), "'ssh' listens on an IPv4 address, as in 'ssh 127.0.0.1:2222'");
        }
        if (p.values().size() < 2) {
            throw new ScriptError(
                    p.span(),
                    "'ssh' needs a port: 'ssh " + dev.srv6sh.dataplane.config.Addresses.format(addr.address())
                            + ":2222'");
        }
        int port = Builtins.whole(
                p.values().get(1).span(), ev.exprs().eval(p.values().get(1), env, false));
        if (port < 1 || port > 65535) {
            throw new ScriptError(p.values().get(1).span(), "an SSH port is 1..65535, not " + port);
        }
        return new java.net.InetSocketAddress(addr.address(), port);
    }

    private Value single(Property p, Env env) {
        if (p.values().size() != 1) {
            throw new ScriptError(p.span(), "'" + p.key() + "' takes one value");
        }
        Expr e = p.values().getFirst();
        if (e instanceof Expr.Ident id && id.name().equals("auto")) {
            return new Value.Str("auto");
        }
        return ev.exprs().eval(e, env, false);
    }

    private static boolean isAuto(Property p) {
        return p.values().size() == 1
                && p.values().getFirst() instanceof Expr.Ident id
                && id.name().equals("auto");
    }

    private static String word(Property p) {
        if (p.values().size() == 1 && p.values().getFirst() instanceof Expr.Ident id) {
            return id.name();
        }
        throw new ScriptError(p.span(), "'" + p.key() + "' takes one word");
    }

    private static Prefix prefix(Value v, Property p, boolean v6) {
        if (v instanceof Value.Pfx x && x.prefix().isIpv6() == v6) {
            return x.prefix();
        }
        throw new ScriptError(
                p.span(),
                "'" + p.key() + "' takes an " + (v6 ? "IPv6" : "IPv4") + " prefix" + (v6 ? " or 'auto'" : "") + ", not "
                        + v.describe());
    }

    private static String string(Value v, Span span, String what) {
        if (v instanceof Value.Str s) {
            return s.value();
        }
        throw new ScriptError(span, "expected " + what + " as a string, not " + v.describe());
    }

    private String resource(Value v, Span span, String kind) {
        if (v instanceof Value.Res r && r.kind().equals(kind)) {
            return r.name();
        }
        if (v instanceof Value.Forward f) {
            throw new ScriptError(
                    span, "unknown " + kind + " '" + f.name() + "'", Names.suggest(f.name(), names(kind)));
        }
        throw new ScriptError(span, "expected a " + kind + ", but '" + Render.text(v) + "' is " + v.describe());
    }

    private List<String> names(String kind) {
        return switch (kind) {
            case "region" -> List.copyOf(d().regions.keySet());
            case "vpc" -> List.copyOf(d().vpcs.keySet());
            case "host" -> List.copyOf(d().hosts.keySet());
            default -> List.copyOf(d().routers.keySet());
        };
    }
}
