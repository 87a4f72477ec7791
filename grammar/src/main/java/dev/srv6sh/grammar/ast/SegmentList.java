package dev.srv6sh.grammar.ast;

import java.util.List;

/** One SID list of a policy, {@code [a, b] weight 2}; weight is null when not given. */
public record SegmentList(List<Expr> sids, Expr weight, Span span) implements Node {}
