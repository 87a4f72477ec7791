/**
 * The srv6sh abstract syntax tree: records under two sealed interfaces, every node with a {@link
 * dev.srv6sh.grammar.ast.Span}.
 *
 * <pre>
 * Program ── Stmt* ── (declarations: RegionDecl VpcDecl HostDecl RouterDecl{Locator SidDecl PolicyDecl SteerDecl ...})
 *                  ── (structure:    ParamDecl LetDecl Assign ForStmt IfStmt FnDecl ReturnStmt ImportStmt)
 *                  ── (operations:   ApplyStmt PrintStmt ExpectStmt ShowStmt ...)  ── Expr (Ping, Measure, ...)
 * </pre>
 */
package dev.srv6sh.grammar.ast;
