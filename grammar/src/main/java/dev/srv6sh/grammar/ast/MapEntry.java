package dev.srv6sh.grammar.ast;

/** {@code key: value} in a map literal; keys are identifiers or strings. */
public record MapEntry(String key, Expr value, Span span) implements Node {}
