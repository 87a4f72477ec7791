package dev.srv6sh.grammar.internal;

import java.util.ArrayList;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * The parse tree's node class (the grammar's {@code contextSuperClass}): ANTLR gives every node a
 * child list of ten slots, while most of ours, the links of the expression chain above all, have one
 * or two children. Allocating what they need halves the garbage a long script's parse makes.
 */
public class LeanContext extends ParserRuleContext {
    public LeanContext() {}

    public LeanContext(ParserRuleContext parent, int invokingStateNumber) {
        super(parent, invokingStateNumber);
    }

    @Override
    public <T extends ParseTree> T addAnyChild(T t) {
        if (children == null) {
            children = new ArrayList<>(2);
        }
        children.add(t);
        return t;
    }
}
