package dev.srv6sh.grammar.ast;

/**
 * A {@code key value} argument: behavior arguments ({@code nh pc}), operation options ({@code count
 * 10}). {@code value} is null for a bare flag such as {@code direct}.
 */
public record Arg(String key, Expr value, Span span) implements Node {}
