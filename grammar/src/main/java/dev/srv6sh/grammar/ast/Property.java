package dev.srv6sh.grammar.ast;

import java.util.List;

/**
 * One item of a declaration block: {@code cidr 10.11.0.0/16}, {@code ipv6 auto}, {@code encap source
 * auto}, {@code mtu 1500}. The key is the leading word(s) joined by a space ({@code "encap source"});
 * the word {@code auto} is the identifier {@code auto}.
 */
public record Property(String key, List<Expr> values, Span span) implements Node {}
