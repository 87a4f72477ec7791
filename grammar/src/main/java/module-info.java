/** The srv6sh language front end: ANTLR stays inside; only the AST, diagnostics and the parser facade are exported. */
module srv6sh.grammar {
    requires org.antlr.antlr4.runtime;
    requires antlr4.c3; // REPL completion: which tokens and rules fit at a caret (parse.Completion)
    requires java.logging; // antlr4-c3 logs through java.util.logging; an automatic module cannot say so

    exports dev.srv6sh.grammar.ast;
    exports dev.srv6sh.grammar.diag;
    exports dev.srv6sh.grammar.parse;
}
