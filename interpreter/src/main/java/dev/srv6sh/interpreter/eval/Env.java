package dev.srv6sh.interpreter.eval;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A lexical scope: {@code let} binds here, {@code NAME = E} rebinds the nearest enclosing binding. */
public final class Env {
    private final Env parent;
    private final Map<String, Value> vars = new LinkedHashMap<>();

    Env(Env parent) {
        this.parent = parent;
    }

    Value lookup(String name) {
        for (Env e = this; e != null; e = e.parent) {
            Value v = e.vars.get(name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    boolean definedHere(String name) {
        return vars.containsKey(name);
    }

    void define(String name, Value v) {
        vars.put(name, v);
    }

    /** Rebinds an existing name; false when no enclosing scope has it. */
    boolean assign(String name, Value v) {
        for (Env e = this; e != null; e = e.parent) {
            if (e.vars.containsKey(name)) {
                e.vars.put(name, v);
                return true;
            }
        }
        return false;
    }

    /** This scope's bindings, copied (the REPL restores them when an entry fails). */
    Map<String, Value> snapshot() {
        return new LinkedHashMap<>(vars);
    }

    void restore(Map<String, Value> snapshot) {
        vars.clear();
        vars.putAll(snapshot);
    }

    /** Every visible name, for "did you mean". */
    Set<String> names() {
        Set<String> all = new java.util.LinkedHashSet<>();
        for (Env e = this; e != null; e = e.parent) {
            all.addAll(e.vars.keySet());
        }
        return all;
    }
}
