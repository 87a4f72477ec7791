package dev.srv6sh.grammar.ast;

/** Every AST node knows where it came from. */
public sealed interface Node permits Program, Stmt, Expr, DeclName, Arg, Property, SegmentList, MapEntry {
    Span span();
}
