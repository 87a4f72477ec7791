package dev.srv6sh.interpreter.eval;

import dev.srv6sh.dataplane.BehaviorSpec;
import dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.grammar.ast.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The desired state a script's declarations build: pure data, no I/O. Values inside it may still be
 * {@link Value.SidRef} or {@link Value.Forward} until {@link Resolver} checks them against the whole
 * program (declarations may refer ahead: router pr's policy names lr.dx4 before lr is declared).
 */
public final class Desired {
    record Region(String name, String kind, String code, Span span) {}

    record Rtt(String a, String b, Duration rtt, Span span) {}

    record Vpc(String name, String region, Prefix cidr, String zone, Prefix ipv6, Span span) {}

    record Host(String name, String vpc, java.net.InetAddress ip, String instance, String image, Span span) {}

    /**
     * A local SID: {@code at} is null (allocate by name), an absolute address or a ::suffix; {@code
     * args} by key, each checked against its parameter in the behavior's spec.
     */
    record Sid(String name, BehaviorSpec behavior, Value at, boolean atSuffix, Map<String, Value> args, Span span) {}

    record Policy(
            String name, PolicyMode mode, Value bsid, List<List<Value>> lists, List<Integer> weights, Span span) {}

    record Steer(Value match, String policy, Span policySpan, Span span) {}

    record Route(Value prefix, Value via, int table, Span span) {}

    record Neighbor(Value address, Value mac, String iface, Span span) {}

    /** Settings of an interface the backend creates ({@code inside}, {@code transit}) or a new one. */
    record Interface(String name, Map<String, Value> settings, Span span) {}

    static final class Router {
        final String name;
        final String vpc;
        final Span span;
        Prefix locator; // null = auto
        Value encapSource; // null = auto
        int encapHopLimit = 64;
        String instance = "m5.2xlarge";
        String image;
        Span ssh; // where 'ssh ADDRESS:PORT' was asked for, or null
        java.net.InetSocketAddress sshEndpoint; // what it asked for, or null
        final Map<String, Sid> sids = new LinkedHashMap<>();
        final Map<String, Policy> policies = new LinkedHashMap<>();
        final List<Steer> steering = new ArrayList<>();
        final List<Route> routes = new ArrayList<>();
        final List<Neighbor> neighbors = new ArrayList<>();
        final Map<String, Interface> interfaces = new LinkedHashMap<>();

        Router(String name, String vpc, Span span) {
            this.name = name;
            this.vpc = vpc;
            this.span = span;
        }

        /** A deep copy: the REPL restores one when an entry fails halfway. */
        Router copy() {
            Router c = new Router(name, vpc, span);
            c.locator = locator;
            c.encapSource = encapSource;
            c.encapHopLimit = encapHopLimit;
            c.instance = instance;
            c.image = image;
            c.ssh = ssh;
            c.sshEndpoint = sshEndpoint;
            c.sids.putAll(sids);
            c.policies.putAll(policies);
            c.steering.addAll(steering);
            c.routes.addAll(routes);
            c.neighbors.addAll(neighbors);
            c.interfaces.putAll(interfaces);
            return c;
        }

        /**
         * When a REPL entry redeclares this router, the SIDs, policies and steering that other entries
         * added with {@code on ROUTER} stay; what the old block itself declared is replaced by the new
         * block. Items are told apart by the file of their span: every REPL entry is its own file.
         */
        void adoptOutsideItems(Router old) {
            String block = old.span.file();
            old.sids.values().stream()
                    .filter(s -> !s.span().file().equals(block))
                    .forEach(s -> sids.putIfAbsent(s.name(), s));
            old.policies.values().stream()
                    .filter(p -> !p.span().file().equals(block))
                    .forEach(p -> policies.putIfAbsent(p.name(), p));
            old.steering.stream().filter(s -> !s.span().file().equals(block)).forEach(steering::add);
        }
    }

    final Map<String, Region> regions = new LinkedHashMap<>();
    final List<Rtt> rtts = new ArrayList<>();
    final Map<String, Vpc> vpcs = new LinkedHashMap<>();
    final Map<String, Host> hosts = new LinkedHashMap<>();
    final Map<String, Router> routers = new LinkedHashMap<>();

    /** A deep copy, so that a REPL entry that fails halfway leaves the declarations as they were. */
    Desired copy() {
        Desired c = new Desired();
        c.regions.putAll(regions);
        c.rtts.addAll(rtts);
        c.vpcs.putAll(vpcs);
        c.hosts.putAll(hosts);
        routers.forEach((n, r) -> c.routers.put(n, r.copy()));
        return c;
    }

    /** Puts {@code other}'s declarations in place of these (undoing a failed REPL entry). */
    void restore(Desired other) {
        regions.clear();
        regions.putAll(other.regions);
        rtts.clear();
        rtts.addAll(other.rtts);
        vpcs.clear();
        vpcs.putAll(other.vpcs);
        hosts.clear();
        hosts.putAll(other.hosts);
        routers.clear();
        routers.putAll(other.routers);
    }

    /** Forgets a top-level resource (a REPL redeclaration replaces it, whatever its kind was). */
    void remove(String name) {
        regions.remove(name);
        vpcs.remove(name);
        hosts.remove(name);
        routers.remove(name);
    }

    /** Where a top-level resource name was declared, for "declared twice" errors. */
    Span declared(String name) {
        if (regions.containsKey(name)) {
            return regions.get(name).span();
        }
        if (vpcs.containsKey(name)) {
            return vpcs.get(name).span();
        }
        if (hosts.containsKey(name)) {
            return hosts.get(name).span();
        }
        return routers.containsKey(name) ? routers.get(name).span : null;
    }
}
