/**
 * The public face of the grammar module.
 *
 * <pre>
 * Parser.parse(file, text) ──► internal.FrontEnd ──► ParseResult(Program, List&lt;Diagnostic&gt;)
 * Parser.isComplete(text)  ──► internal.Brackets: is a { [ ( still open? if none is, the same run:
 *                              "does the first error sit at the end of the input?"
 * AstPrinter.print(node)   ──► indented dump of any ast.Node, for golden tests
 * </pre>
 */
package dev.srv6sh.grammar.parse;
