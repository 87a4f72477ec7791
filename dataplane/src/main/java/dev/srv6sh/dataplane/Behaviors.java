package dev.srv6sh.dataplane;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The endpoint behaviors this data plane implements, one line each: the behavior's spec (declared in
 * its node class) and how the engine makes its node, as Linux's {@code seg6_action_table}. It is the
 * one list of behaviors: the engine builds a node for each ({@link Node#FIXED} + its place here),
 * {@link SidCompiler} validates and compiles SIDs by it and sr-localsid dispatches to the node it
 * chose; the interpreter checks {@code sid} statements, the REPL completes and {@code :help} explains
 * from it, and a test holds {@code docs/language.md}'s behavior table to it. A behavior not listed is
 * refused by name when a configuration uses it, never silently ignored.
 *
 * <p>Adding a behavior is its node class, with its {@code SPEC}, one line here, and their tests
 * ({@code docs/architecture.md}, "Adding a behavior").
 */
public final class Behaviors {
    /** A behavior as the graph runs it: what it is, and its node. */
    private record Entry(BehaviorSpec spec, Function<Engine, Node> node) {}

    // The order is the graph's (the nodes run in it, right after sr-localsid) and the one the
    // behaviors are listed in everywhere: completion, :help, the docs table.
    private static final List<Entry> ENTRIES = List.of(
            new Entry(End.SPEC, End::new),
            new Entry(EndX.SPEC, EndX::new),
            new Entry(EndT.SPEC, EndT::new),
            new Entry(EndB6Encaps.SPEC, e -> new EndB6Encaps(e, false)),
            new Entry(EndB6Encaps.RED, e -> new EndB6Encaps(e, true)),
            new Entry(EndB6Insert.SPEC, e -> new EndB6Insert(e, false)),
            new Entry(EndB6Insert.RED, e -> new EndB6Insert(e, true)),
            new Entry(EndDx2.SPEC, EndDx2::new),
            new Entry(EndDx4.SPEC, EndDx4::new),
            new Entry(EndDx6.SPEC, EndDx6::new),
            new Entry(EndDt4.SPEC, EndDt4::new),
            new Entry(EndDt6.SPEC, EndDt6::new),
            new Entry(EndDt46.SPEC, EndDt46::new));

    private static final List<BehaviorSpec> ALL =
            ENTRIES.stream().map(Entry::spec).toList();

    static {
        Set<String> names = new HashSet<>();
        Set<String> nodes = new HashSet<>();
        for (BehaviorSpec s : ALL) {
            List<String> all = new ArrayList<>(s.aliases());
            all.add(s.name());
            for (String n : all) {
                if (!names.add(n.toLowerCase(Locale.ROOT))) {
                    throw new IllegalStateException("two behaviors are named " + n);
                }
            }
            if (!nodes.add(s.node())) {
                throw new IllegalStateException("two behaviors run in node " + s.node());
            }
        }
    }

    private Behaviors() {}

    /** Every behavior, in the registry's order. */
    public static List<BehaviorSpec> all() {
        return ALL;
    }

    /** Their RFC names ({@code End.DX4}), in the registry's order. */
    public static List<String> names() {
        return ALL.stream().map(BehaviorSpec::name).toList();
    }

    /** The behavior of that name or alias, in any case ({@code end.dx4}), or null. */
    public static BehaviorSpec byName(String name) {
        for (BehaviorSpec s : ALL) {
            if (s.isNamed(name)) {
                return s;
            }
        }
        return null;
    }

    static int count() {
        return ENTRIES.size();
    }

    /** The id of the node that runs {@code spec}. */
    static int node(BehaviorSpec spec) {
        int i = ALL.indexOf(spec);
        if (i < 0) {
            throw new IllegalArgumentException(spec.name() + " is not in the registry");
        }
        return Node.FIXED + i;
    }

    /** Makes every behavior's node for engine {@code e}, each at its id in {@code nodes}. */
    static void createNodes(Engine e, Node[] nodes) {
        for (int i = 0; i < ENTRIES.size(); i++) {
            nodes[Node.FIXED + i] = ENTRIES.get(i).node().apply(e);
        }
    }
}
