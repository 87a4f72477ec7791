package dev.srv6sh.interpreter.eval;

import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.diag.Names;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * What a resource stands for where an address or prefix is expected (language.md §2, {@code in}): a
 * host its IPv4 address, a VPC its IPv4 CIDR (its IPv6 block next to an IPv6 address or prefix), a
 * router its locator, a SID reference {@code r.dx4} its address and a policy's {@code r.p} its BSID.
 *
 * <p>Once applied, what the backend chose counts, as for every operation; before that, what the
 * script declares (a host's {@code ip}, an explicit {@code locator} or {@code ipv6} block); what only
 * the backend allocates is a runtime error that says so. While checking nothing is allocated, so an
 * addressable resource is an {@link Value.Unknown} of the right type, and a SID reference names a
 * SID or policy of its router.
 */
final class Addressing {
    private final Evaluator ev;

    Addressing(Evaluator ev) {
        this.ev = ev;
    }

    /** Whether {@code v} is a resource that converts to an address or prefix. */
    static boolean addressable(Value v) {
        return v instanceof Value.SidRef
                || v instanceof Value.Res r
                        && (r.kind().equals("host")
                                || r.kind().equals("vpc")
                                || r.kind().equals("router"));
    }

    /** {@code v} as an address or prefix (a SID or host: an address; a VPC or router: a prefix); else {@code v}. */
    Value address(Value v, Span span) {
        if (!addressable(v)) {
            return v;
        }
        if (ev.checkOnly()) {
            checkSid(v, span);
            return new Value.Unknown("address");
        }
        return switch (v) {
            case Value.SidRef s -> new Value.Addr(sid(s, span));
            case Value.Res r when r.kind().equals("host") -> new Value.Addr(host(r.name(), span));
            case Value.Res r when r.kind().equals("vpc") -> new Value.Pfx(cidr(r.name()));
            case Value.Res r -> new Value.Pfx(locator(r.name(), span));
            default -> v;
        };
    }

    /**
     * {@code v} as a prefix, next to {@code other} (an address or prefix, which picks a VPC's IPv4
     * CIDR or IPv6 block): a host or SID is its address as a /32 or /128; else {@code v}.
     */
    Value prefix(Value v, Span span, Value other) {
        if (!addressable(v)) {
            return v;
        }
        if (ev.checkOnly()) {
            checkSid(v, span);
            return new Value.Unknown("prefix");
        }
        boolean v6 = other instanceof Value.Addr a && a.address() instanceof Inet6Address
                || other instanceof Value.Pfx p && p.prefix().isIpv6();
        if (v instanceof Value.Res r && r.kind().equals("vpc")) {
            return new Value.Pfx(v6 ? ipv6(r.name(), span) : cidr(r.name()));
        }
        Value a = address(v, span);
        if (a instanceof Value.Addr x) {
            return new Value.Pfx(new Prefix(x.address(), x.address() instanceof Inet6Address ? 128 : 32));
        }
        return a;
    }

    private Deployment deployed() {
        return ev.ops().deployed();
    }

    private InetAddress host(String name, Span span) {
        InetAddress a = knownHost(name);
        if (a == null) {
            throw new RuntimeFailure(
                    span,
                    "host " + name + " has no address before 'apply': the backend allocates it"
                            + " (or give it one: host " + name + " in VPC { ip ADDRESS })");
        }
        return a;
    }

    /** A host's address: the deployed one, else the declared {@code ip}; null when only the backend knows. */
    InetAddress knownHost(String name) {
        Deployment dep = deployed();
        if (dep != null && dep.host(name) != null) {
            return dep.host(name).address();
        }
        Desired.Host h = ev.desired().hosts.get(name);
        return h == null ? null : h.ip();
    }

    /** A VPC's IPv4 CIDR (always declared; the deployed one wins, as everywhere). */
    Prefix cidr(String vpc) {
        Deployment dep = deployed();
        if (dep != null && dep.vpc(vpc) != null) {
            return dep.vpc(vpc).cidr();
        }
        return ev.desired().vpcs.get(vpc).cidr();
    }

    private Prefix ipv6(String vpc, Span span) {
        Deployment dep = deployed();
        if (dep != null && dep.vpc(vpc) != null && dep.vpc(vpc).ipv6() != null) {
            return dep.vpc(vpc).ipv6();
        }
        Desired.Vpc v = ev.desired().vpcs.get(vpc);
        if (v != null && v.ipv6() != null) {
            return v.ipv6();
        }
        throw new RuntimeFailure(
                span, "vpc " + vpc + " has no IPv6 block before 'apply': the backend allocates it (ipv6 auto)");
    }

    private Prefix locator(String router, Span span) {
        Prefix p = knownLocator(router);
        if (p == null) {
            throw new RuntimeFailure(
                    span,
                    "router " + router + " has no locator before 'apply': 'locator auto' is allocated by the backend");
        }
        return p;
    }

    /** A router's locator: the deployed one, else the declared one; null for 'locator auto' before apply. */
    Prefix knownLocator(String router) {
        Deployment dep = deployed();
        if (dep != null && dep.router(router) != null) {
            return dep.router(router).locator();
        }
        Desired.Router r = ev.desired().routers.get(router);
        return r == null ? null : r.locator;
    }

    /** Where router r's SIDs and BSIDs go; null while its locator is not known. */
    Binder.Allocation knownAllocation(Desired.Router r) {
        Prefix locator = knownLocator(r.name);
        return locator == null ? null : Binder.allocate(r, locator);
    }

    private Inet6Address sid(Value.SidRef s, Span span) {
        Desired.Router r = router(s, span);
        Binder.Allocation a = Binder.allocate(r, locator(r.name, span));
        Inet6Address addr = a.sids().containsKey(s.sid())
                ? a.sids().get(s.sid())
                : a.bsids().get(s.sid());
        if (addr == null) {
            throw noSid(r, s, span);
        }
        return addr;
    }

    /** While checking: a SID reference to a declared router names one of its SIDs or policies. */
    private void checkSid(Value v, Span span) {
        if (v instanceof Value.SidRef s && ev.desired().routers.containsKey(s.router())) {
            Desired.Router r = ev.desired().routers.get(s.router());
            if (!r.sids.containsKey(s.sid()) && !r.policies.containsKey(s.sid())) {
                throw noSid(r, s, span);
            }
        }
    }

    private Desired.Router router(Value.SidRef s, Span span) {
        Desired.Router r = ev.desired().routers.get(s.router());
        if (r == null) {
            throw new ScriptError(span, "unknown router '" + s.router() + "'");
        }
        return r;
    }

    private static ScriptError noSid(Desired.Router r, Value.SidRef s, Span span) {
        java.util.List<String> names = new java.util.ArrayList<>(r.sids.keySet());
        names.addAll(r.policies.keySet());
        return new ScriptError(
                span, "router " + r.name + " has no SID or policy '" + s.sid() + "'", Names.suggest(s.sid(), names));
    }
}
