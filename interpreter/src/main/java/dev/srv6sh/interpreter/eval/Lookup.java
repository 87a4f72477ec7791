package dev.srv6sh.interpreter.eval;

import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.grammar.ast.Span;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * What the names a router's program may use stand for once it is deployed: a host's address, a VPC's
 * CIDR, a router's SID. A deployment knows them all ({@link Binder}); the router shell knows only its
 * own router's SIDs and says so for the rest ({@link RouterEdit}). Lowering one item asks only this,
 * so that a script and the router shell lower items with the same code.
 */
interface Lookup {
    /** The address of host {@code name}, written at {@code span} (null where a checked value has none). */
    InetAddress host(String name, Span span);

    /** The CIDR of VPC {@code name}, or null when {@code name} is not a VPC. */
    Prefix vpc(String name);

    /** The address of router {@code router}'s SID {@code sid}, written at {@code span}. */
    Inet6Address sid(String router, String sid, Span span);
}
