package dev.srv6sh.grammar.ast;

import java.util.List;

/** Expressions. Operations that return a result ({@code ping}, {@code measure}) are expressions. */
public sealed interface Expr extends Node {

    record Ident(String name, Span span) implements Expr {}

    /** {@code 42}, {@code 0x2a}, {@code 3.5}. */
    record NumberLit(double value, String text, Span span) implements Expr {}

    /** A number immediately followed by a unit: {@code 9.4ms}, {@code 10Gbps}, {@code 0%}. */
    record QuantityLit(double value, String unit, String text, Span span) implements Expr {}

    /** A string; parts are literal text ({@link Text}) and {@code ${expr}} interpolations ({@link Interpolation}). */
    record StringLit(List<Expr> parts, Span span) implements Expr {}

    /** A literal piece of a string (escapes already resolved). */
    record Text(String value, Span span) implements Expr {}

    record Interpolation(Expr expr, Span span) implements Expr {}

    record BoolLit(boolean value, Span span) implements Expr {}

    /** An IPv4 or IPv6 address exactly as written. */
    record AddressLit(String text, Span span) implements Expr {}

    /** An IPv4 or IPv6 prefix exactly as written ({@code 10.11.0.0/16}). */
    record PrefixLit(String text, Span span) implements Expr {}

    record MacLit(String text, Span span) implements Expr {}

    record ListLit(List<Expr> elements, Span span) implements Expr {}

    record MapLit(List<MapEntry> entries, Span span) implements Expr {}

    /** {@code target.name}: a record field or a router's SID/policy ({@code lr.dx4}). */
    record Member(Expr target, String name, Span span) implements Expr {}

    record Index(Expr target, Expr index, Span span) implements Expr {}

    /** {@code xs[from:to]}; from and to may be null. */
    record Slice(Expr target, Expr from, Expr to, Span span) implements Expr {}

    record Call(Expr callee, List<Expr> args, Span span) implements Expr {}

    /** op is {@code -} or {@code not}. */
    record Unary(String op, Expr operand, Span span) implements Expr {}

    /** op is one of {@code + - * / | == != < <= > >= and or in}. */
    record Binary(String op, Expr left, Expr right, Span span) implements Expr {}

    /** {@code ping FROM -> TO [count N] [interval D] [size S] [direct]}; direct is also in options. */
    record Ping(Expr from, Expr to, List<Arg> options, Span span) implements Expr {}

    /**
     * {@code measure rtt FROM -> TO ...} (proto null) or {@code measure throughput udp|tcp FROM -> TO ...}.
     */
    record Measure(String metric, String proto, Expr from, Expr to, List<Arg> options, Span span) implements Expr {}
}
