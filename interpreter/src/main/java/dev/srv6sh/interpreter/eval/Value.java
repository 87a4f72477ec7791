package dev.srv6sh.interpreter.eval;

import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.ast.Stmt;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;

/** The values a script computes with. */
public sealed interface Value {

    /** The type name used in messages ("a duration", "a host"). */
    String describe();

    record Num(double value) implements Value {
        public String describe() {
            return "a number";
        }
    }

    /** A quantity in the dimension's base unit (seconds, bits/s, packets/s, bytes, percent). */
    record Qty(double value, Dim dim) implements Value {
        public String describe() {
            return dim.article();
        }
    }

    record Str(String value) implements Value {
        public String describe() {
            return "a string";
        }
    }

    record Bool(boolean value) implements Value {
        public String describe() {
            return "a boolean";
        }
    }

    record Addr(InetAddress address) implements Value {
        public String describe() {
            return address instanceof java.net.Inet6Address ? "an IPv6 address" : "an IPv4 address";
        }
    }

    record Pfx(Prefix prefix) implements Value {
        public String describe() {
            return prefix.isIpv6() ? "an IPv6 prefix" : "an IPv4 prefix";
        }
    }

    record Mac(MacAddress mac) implements Value {
        public String describe() {
            return "a MAC address";
        }
    }

    record ListV(List<Value> items) implements Value {
        public String describe() {
            return "a list";
        }
    }

    /** Keys keep insertion order so that keys() and for over a map are deterministic. */
    record MapV(LinkedHashMap<String, Value> entries) implements Value {
        public String describe() {
            return "a map";
        }
    }

    /** An operation's result (PingResult, RttResult, ...). */
    record Rec(String type, LinkedHashMap<String, Value> fields) implements Value {
        public String describe() {
            return "a " + type;
        }
    }

    /** A declared resource: kind is region, vpc, host or router. */
    record Res(String kind, String name) implements Value {
        public String describe() {
            return "a " + kind;
        }
    }

    /** The base name of an indexed family ({@code gw} of {@code gw[s]}); indexing gives a member. */
    record Family(String kind, String base) implements Value {
        public String describe() {
            return "a family of " + kind + "s";
        }
    }

    /** {@code router.sid}: resolved to an address once the router's locator is known. */
    record SidRef(String router, String sid, Span span) implements Value {
        public String describe() {
            return "a SID";
        }
    }

    /** A name used before its declaration, in a place where declarations may refer ahead. */
    record Forward(String name, Span span) implements Value {
        public String describe() {
            return "'" + name + "'";
        }
    }

    record Fn(Stmt.FnDecl decl, Env closure) implements Value {
        public String describe() {
            return "a function";
        }
    }

    /** The result of an operation while checking (no effects happen): its type only. */
    record Unknown(String type) implements Value {
        public String describe() {
            return "a " + type;
        }
    }

    record Nil() implements Value {
        public String describe() {
            return "nothing";
        }
    }

    Nil NIL = new Nil();
}
