/** The srv6sh language front end: ANTLR stays inside; only the AST, diagnostics and the parser facade are exported. */
module srv6sh.grammar {
    requires org.antlr.antlr4.runtime;

    exports dev.srv6sh.grammar.ast;
    exports dev.srv6sh.grammar.diag;
    exports dev.srv6sh.grammar.parse;
}
