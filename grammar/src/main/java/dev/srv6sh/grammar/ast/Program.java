package dev.srv6sh.grammar.ast;

import java.util.List;

/** One parsed file. */
public record Program(String file, List<Stmt> statements, Span span) implements Node {}
