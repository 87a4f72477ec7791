package dev.srv6sh.interpreter.eval;

import dev.srv6sh.dataplane.config.DataplaneConfig.Behavior;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One row per RFC 8986 behavior: which arguments it needs and which it may take. Behaviors are data,
 * not grammar ({@code End.DX4 nh pc} parses as a name plus key/value pairs); this table checks them.
 */
final class BehaviorTable {
    /** An argument: its key and what it must be, in words for error messages. */
    record Param(String key, Kind kind) {}

    enum Kind {
        IPV4_NH("an IPv4 address or host"),
        IPV6_NH("an IPv6 address"),
        TABLE("a table number"),
        IFACE("an interface name"),
        POLICY("a policy of this router"),
        FLAVORS("flavors such as psp,usp,usd,next-csid"),
        BITS("a length in bits"),
        BOOL("true or false");

        final String words;

        Kind(String words) {
            this.words = words;
        }
    }

    record Row(Behavior behavior, List<Param> required, List<Param> optional) {
        Set<String> keys() {
            Set<String> k = new java.util.LinkedHashSet<>();
            required.forEach(p -> k.add(p.key()));
            optional.forEach(p -> k.add(p.key()));
            return k;
        }

        Param param(String key) {
            for (Param p : required) {
                if (p.key().equals(key)) {
                    return p;
                }
            }
            for (Param p : optional) {
                if (p.key().equals(key)) {
                    return p;
                }
            }
            return null;
        }
    }

    private static final Param COUNT = new Param("count", Kind.BOOL);
    private static final Param FLAVORS = new Param("flavors", Kind.FLAVORS);
    /** NEXT-CSID (RFC 9800): the Locator-Block and Locator-Node + Function lengths, as Linux names them. */
    private static final Param LBLEN = new Param("lblen", Kind.BITS);

    private static final Param NFLEN = new Param("nflen", Kind.BITS);
    private static final Map<Behavior, Row> ROWS = new EnumMap<>(Behavior.class);

    static {
        row(Behavior.END, List.of(), List.of(FLAVORS, COUNT, LBLEN, NFLEN));
        row(
                Behavior.END_X,
                List.of(new Param("nh", Kind.IPV6_NH)),
                List.of(new Param("oif", Kind.IFACE), FLAVORS, COUNT, LBLEN, NFLEN));
        row(Behavior.END_T, List.of(new Param("table", Kind.TABLE)), List.of(FLAVORS, COUNT));
        row(Behavior.END_DX2, List.of(new Param("oif", Kind.IFACE)), List.of(COUNT));
        row(Behavior.END_DX4, List.of(new Param("nh", Kind.IPV4_NH)), List.of(COUNT));
        row(Behavior.END_DX6, List.of(new Param("nh", Kind.IPV6_NH)), List.of(COUNT));
        row(Behavior.END_DT4, List.of(), List.of(new Param("table", Kind.TABLE), COUNT));
        row(Behavior.END_DT6, List.of(), List.of(new Param("table", Kind.TABLE), COUNT));
        row(Behavior.END_DT46, List.of(), List.of(new Param("table", Kind.TABLE), COUNT));
        for (Behavior b : List.of(
                Behavior.END_B6_ENCAPS,
                Behavior.END_B6_ENCAPS_RED,
                Behavior.END_B6_INSERT,
                Behavior.END_B6_INSERT_RED)) {
            row(b, List.of(new Param("policy", Kind.POLICY)), List.of(COUNT));
        }
    }

    private BehaviorTable() {}

    private static void row(Behavior b, List<Param> required, List<Param> optional) {
        ROWS.put(b, new Row(b, required, optional));
    }

    static Row row(Behavior b) {
        return ROWS.get(b);
    }

    static List<String> names() {
        return java.util.Arrays.stream(Behavior.values()).map(Behavior::text).toList();
    }
}
