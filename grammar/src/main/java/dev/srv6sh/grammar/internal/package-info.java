/**
 * The ANTLR side of the front end; nothing here is exported.
 *
 * <pre>
 * text ─► Srv6Lexer ─► NewlineFilter ─► Srv6Parser ─► AstBuilder + ExprBuilder ─► ast.Program
 *                        │ (which newlines       │ SyntaxErrorStrategy      │ Literals, StringDecoder
 *                        │  end a statement)     │ (messages in words)      │ (checks, ${expr} re-parse)
 *                        └──────────────► DiagnosticSink ◄──────────────────┘
 * FrontEnd wires them for one text; parse.Parser is its public face.
 * </pre>
 */
package dev.srv6sh.grammar.internal;
