package dev.srv6sh.grammar.ast;

import java.util.List;

/**
 * Statements: declarations build the desired state, operations observe or change the world.
 * Optional parts are null when absent; lists are never null.
 */
public sealed interface Stmt extends Node {

    // ---- topology -------------------------------------------------------------------------------

    /** {@code region NAME aws "CODE"} or {@code region NAME local}; code is null for local. */
    record RegionDecl(DeclName name, String kind, Expr code, Span span) implements Stmt {}

    /** {@code rtt A B DURATION}. */
    record RttDecl(Expr a, Expr b, Expr rtt, Span span) implements Stmt {}

    /** {@code vpc NAME in REGION { cidr P; zone "AZ"; ipv6 auto|P }}. */
    record VpcDecl(DeclName name, Expr region, List<Property> properties, Span span) implements Stmt {}

    /** {@code host NAME in VPC [{ ip A; instance "T"; image "AMI" }]}. */
    record HostDecl(DeclName name, Expr vpc, List<Property> properties, Span span) implements Stmt {}

    /**
     * {@code router NAME in VPC { ... }}. The body holds {@link Locator}, {@link RouterProperty},
     * {@link InterfaceDecl}, {@link RouteDecl}, {@link NeighborDecl}, {@link SrDomainDecl}, {@link SidDecl}, {@link
     * PolicyDecl} and {@link SteerDecl} (the last three with {@code on == null}).
     */
    record RouterDecl(DeclName name, Expr vpc, List<Stmt> body, Span span) implements Stmt {}

    /** {@code locator auto} (prefix == null) or {@code locator PREFIX}. */
    record Locator(Expr prefix, Span span) implements Stmt {}

    /** A router setting: {@code encap source auto}, {@code encap hoplimit 64}, {@code instance "m5.2xlarge"}, ... */
    record RouterProperty(Property property, Span span) implements Stmt {}

    /** {@code interface NAME [{ address P; mac M; mtu N; driver D; device "veth0" }]}. */
    record InterfaceDecl(String name, List<Property> properties, Span span) implements Stmt {}

    /** {@code route PREFIX via ADDRESS|IFACE [oif IFACE] [table N]}; oif is null without it. */
    record RouteDecl(Expr prefix, Expr via, String oif, Expr table, Span span) implements Stmt {}

    /**
     * {@code sr-domain [edge IFACE, ...] [trusted PREFIX, ...]}: the SR domain's edge, each part a
     * property ({@code edge}, {@code trusted}) with its values; no parts: no edge.
     */
    record SrDomainDecl(List<Property> parts, Span span) implements Stmt {}

    /** {@code neighbor ADDRESS MAC IFACE}. */
    record NeighborDecl(Expr address, Expr mac, String iface, Span span) implements Stmt {}

    /**
     * {@code sid NAME [at ADDRESS|::SUFFIX] BEHAVIOR [ARG VALUE]... [on ROUTER]}. The behavior is kept
     * as written ({@code End.DX4}); the checker matches it case-insensitively.
     */
    record SidDecl(DeclName name, Expr at, String behavior, Span behaviorSpan, List<Arg> args, Expr on, Span span)
            implements Stmt {}

    /** {@code policy NAME [bsid A] MODE [SIDs] [on R]} or with weighted lists in braces. */
    record PolicyDecl(DeclName name, Expr bsid, String mode, Span modeSpan, List<SegmentList> lists, Expr on, Span span)
            implements Stmt {}

    /** {@code steer PREFIX|VPC|HOST -> POLICY [table N] [on ROUTER]}; table is null without it. */
    record SteerDecl(Expr match, Expr policy, Expr table, Expr on, Span span) implements Stmt {}

    // ---- program structure ----------------------------------------------------------------------

    record ParamDecl(String name, Expr value, Span span) implements Stmt {}

    record LetDecl(String name, Expr value, Span span) implements Stmt {}

    /** {@code NAME = EXPR}: rebinds the nearest enclosing let. */
    record Assign(String name, Expr value, Span span) implements Stmt {}

    /** {@code for X in E { }} or {@code for X, I in E { }}; indexVar is null without index. */
    record ForStmt(String var, String indexVar, Expr iterable, List<Stmt> body, Span span) implements Stmt {}

    /** {@code if C { } else { }}; otherwise is empty without else (an else-if is a nested IfStmt). */
    record IfStmt(Expr condition, List<Stmt> then, List<Stmt> otherwise, Span span) implements Stmt {}

    record FnDecl(String name, List<String> params, List<Stmt> body, Span span) implements Stmt {}

    /** value is null for a bare return. */
    record ReturnStmt(Expr value, Span span) implements Stmt {}

    record ImportStmt(String path, Span span) implements Stmt {}

    // ---- operations -----------------------------------------------------------------------------

    record PlanStmt(Span span) implements Stmt {}

    record ApplyStmt(boolean auto, Span span) implements Stmt {}

    record DestroyStmt(boolean auto, Span span) implements Stmt {}

    /** {@code show WHAT [TARGET]}: what is topology, plan, state, sids, policies, steering, fib, ... */
    record ShowStmt(String what, Expr target, Span span) implements Stmt {}

    record TraceStmt(Expr router, Expr count, Span span) implements Stmt {}

    record CaptureStmt(Expr router, String iface, Expr file, Expr duration, Span span) implements Stmt {}

    record ExpectStmt(Expr condition, Expr message, Span span) implements Stmt {}

    record PrintStmt(Expr value, Span span) implements Stmt {}

    record SaveStmt(Expr file, Expr value, Span span) implements Stmt {}

    /** {@code chart FILE bar|line DATA x F y F [err F] [title T]}; err and title may be null. */
    record ChartStmt(Expr file, String kind, Expr data, String x, String y, String err, Expr title, Span span)
            implements Stmt {}

    /** An expression used as a statement, such as a bare {@code ping a -> b}. */
    record ExprStmt(Expr expr, Span span) implements Stmt {}
}
