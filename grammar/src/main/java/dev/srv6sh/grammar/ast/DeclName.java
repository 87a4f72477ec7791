package dev.srv6sh.grammar.ast;

/** The name a declaration introduces: {@code pc}, or an indexed family member {@code gw[s]}. */
public record DeclName(String name, Expr index, Span span) implements Node {
    public boolean indexed() {
        return index != null;
    }
}
