package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.config.DataplaneConfig.Flavor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One endpoint behavior, declared once beside the node that runs it ({@code EndDx4.SPEC}) and listed
 * in {@link Behaviors}: everything else that knows about behaviors reads it. {@link FibBuilder}
 * validates and compiles a SID through it, and the language's checker, completion, {@code :help} and
 * the behavior table of {@code docs/language.md} are made from it.
 *
 * <p>A SID's own {@link #arguments} are of the kinds the FIB resolves ({@link Kind#resolved}): a next
 * hop becomes an adjacency (through the SID's interface argument if it has one), an interface alone
 * an adjacency out of it, a table its slot, a policy its index; so a behavior whose arguments are of
 * these kinds needs no compiling code of its own. The parameters every SID shares (flavors, count,
 * the NEXT-CSID lengths) follow from {@link #flavors} and are not declared ({@link #params}).
 *
 * @param name the RFC name, as scripts and configurations spell it ({@code End.DX4})
 * @param aliases other names it is known by (Linux's, VPP's), accepted as the name
 * @param node the name of its graph node ({@code end-dx4}), as counters and traces show it
 * @param reference where it is defined ({@code RFC 8986 §4.5})
 * @param summary one line of help
 * @param example a {@code sid} statement using it, as written in a router block
 * @param arguments what a SID of it carries, in the order they are listed
 * @param flavors the flavors it takes (RFC 8986 §4.16 PSP, USP, USD; RFC 9800 NEXT-CSID)
 */
public record BehaviorSpec(
        String name,
        List<String> aliases,
        String node,
        String reference,
        String summary,
        String example,
        List<Param> arguments,
        Set<Flavor> flavors) {

    /** What an argument is, and so what the FIB makes of it and what the language accepts for it. */
    public enum Kind {
        IPV4_NEXT_HOP("an IPv4 next hop"),
        IPV6_NEXT_HOP("an IPv6 next hop"),
        TABLE("a table number"),
        INTERFACE("an outgoing interface"),
        POLICY("a policy of this router"),
        FLAVORS("flavors"),
        BITS("a length in bits"),
        BOOL("true or false");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        /** What a value of this kind is, for messages ({@code an IPv4 next hop}). */
        public String description() {
            return description;
        }

        /** Whether the FIB resolves it (a SID's own arguments); the others are the shared parameters'. */
        public boolean resolved() {
            return switch (this) {
                case IPV4_NEXT_HOP, IPV6_NEXT_HOP, TABLE, INTERFACE, POLICY -> true;
                case FLAVORS, BITS, BOOL -> false;
            };
        }
    }

    /** A parameter: its key in a {@code sid} statement and in {@code Sid.args}, its kind, and a line of help. */
    public record Param(String key, Kind kind, boolean required, String help) {
        public Param {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(help, "help");
        }

        /** A parameter a SID of the behavior must have. */
        public static Param needs(String key, Kind kind, String help) {
            return new Param(key, kind, true, help);
        }

        /** A parameter a SID of the behavior may have. */
        public static Param mayTake(String key, Kind kind, String help) {
            return new Param(key, kind, false, help);
        }
    }

    /**
     * The flavors of a SID whose behavior takes any, as the language writes them ({@code psp, usd});
     * {@link #params} gives each behavior's, whose help names the flavors it takes.
     */
    public static final Param FLAVORS = Param.mayTake("flavors", Kind.FLAVORS, "the flavors it takes");

    public static final Param COUNT =
            Param.mayTake("count", Kind.BOOL, "ask for the SID's counters (RFC 8986 §6); every SID is counted");
    /** NEXT-CSID's Locator-Block and Locator-Node + Function lengths, as Linux names them. */
    public static final Param LBLEN = Param.mayTake("lblen", Kind.BITS, "NEXT-CSID locator-block length (default 32)");

    public static final Param NFLEN =
            Param.mayTake("nflen", Kind.BITS, "NEXT-CSID node-function (C-SID) length (default 16)");

    public BehaviorSpec {
        aliases = List.copyOf(aliases);
        arguments = List.copyOf(arguments);
        flavors = Set.copyOf(flavors);
        for (String s : new String[] {name, node, reference, summary, example}) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException(
                        "behavior " + name + ": name, node, reference, summary and " + "example are all needed");
            }
        }
        Set<String> keys = new HashSet<>();
        for (Param p : arguments) {
            if (!p.kind().resolved() || !keys.add(p.key())) {
                throw new IllegalArgumentException("behavior " + name + ": argument '" + p.key()
                        + "' is a duplicate or of a kind the FIB does not resolve (" + p.kind() + ")");
            }
        }
    }

    /** A behavior known by its RFC name only. */
    public BehaviorSpec(
            String name,
            String node,
            String reference,
            String summary,
            String example,
            List<Param> arguments,
            Set<Flavor> flavors) {
        this(name, List.of(), node, reference, summary, example, arguments, flavors);
    }

    /**
     * Everything a {@code sid} of this behavior may take, in the order it is listed: its own arguments,
     * then {@code flavors} where it takes any, {@code count}, and {@code lblen}, {@code nflen} where it
     * takes NEXT-CSID.
     */
    public List<Param> params() {
        List<Param> all = new ArrayList<>(arguments);
        if (!flavors.isEmpty()) {
            all.add(Param.mayTake(
                    FLAVORS.key(),
                    FLAVORS.kind(),
                    "any of " + String.join(", ", flavorWords()) + " (RFC 8986 §4.16"
                            + (flavors.contains(Flavor.NEXT_CSID) ? "; next-csid: RFC 9800" : "") + ")"));
        }
        all.add(COUNT);
        if (flavors.contains(Flavor.NEXT_CSID)) {
            all.add(LBLEN);
            all.add(NFLEN);
        }
        return List.copyOf(all);
    }

    /** The parameter of that key ({@link #params}), or null. */
    public Param param(String key) {
        for (Param p : params()) {
            if (p.key().equals(key)) {
                return p;
            }
        }
        return null;
    }

    /** Its own argument of that key, or null. */
    public Param argument(String key) {
        for (Param p : arguments) {
            if (p.key().equals(key)) {
                return p;
            }
        }
        return null;
    }

    /** The flavors it takes as the language writes them ({@code psp}, {@code next-csid}), in the RFCs' order. */
    public List<String> flavorWords() {
        return java.util.Arrays.stream(Flavor.values())
                .filter(flavors::contains)
                .map(BehaviorSpec::word)
                .toList();
    }

    /** A flavor as the language writes it: {@code psp}, {@code usp}, {@code usd}, {@code next-csid}. */
    public static String word(Flavor f) {
        return f.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The flavor a word names, in any case ({@code NEXT-CSID}), or null. */
    public static Flavor flavor(String word) {
        for (Flavor f : Flavor.values()) {
            if (word(f).equalsIgnoreCase(word)) {
                return f;
            }
        }
        return null;
    }

    /** Whether {@code word} names it: its name or an alias, in any case. */
    public boolean isNamed(String word) {
        return name.equalsIgnoreCase(word) || aliases.stream().anyMatch(a -> a.equalsIgnoreCase(word));
    }
}
