package dev.srv6sh.grammar.parse;

import dev.srv6sh.grammar.ast.Node;
import dev.srv6sh.grammar.ast.Span;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic dump of an AST for golden tests and {@code srv6sh check --ast}:
 *
 * <pre>
 * (SidDecl behavior="End.DX4"@10:11 @10:3
 *   name: (DeclName name="dx4" @10:7)
 *   args:
 *     (Arg key="nh" @10:19
 *       value: (Ident name="pc" @10:22)))
 * </pre>
 *
 * Scalars come first as {@code name=value}, then {@code @line:col}, then child nodes by component
 * name; nulls and empty lists are left out. It walks the record components by reflection so that
 * it can never fall behind the AST: a new record or component shows up without touching this class.
 */
public final class AstPrinter {
    private AstPrinter() {}

    public static String print(Node node) {
        StringBuilder out = new StringBuilder();
        node(node, 0, out);
        return out.toString();
    }

    private static void node(Node node, int indent, StringBuilder out) {
        Record record = (Record) node;
        out.append('(').append(record.getClass().getSimpleName());
        List<String> children = new ArrayList<>();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            Object value = read(c, record);
            String name = c.getName();
            switch (value) {
                case null -> {}
                case Span s when name.equals("span") -> {}
                case Span s -> out.append(' ').append(name).append('=').append(at(s));
                case Node n -> children.add(child(name, n, indent));
                case List<?> list when list.isEmpty() -> {}
                case List<?> list -> children.add(list(name, list, indent));
                case String s -> out.append(' ').append(name).append('=').append(quote(s));
                case Double d -> out.append(' ').append(name).append('=').append(number(d));
                default -> out.append(' ').append(name).append('=').append(value);
            }
        }
        out.append(' ').append(at(node.span()));
        children.forEach(out::append);
        out.append(')');
    }

    private static String child(String name, Node n, int indent) {
        StringBuilder out = new StringBuilder("\n")
                .append("  ".repeat(indent + 1))
                .append(name)
                .append(": ");
        node(n, indent + 1, out);
        return out.toString();
    }

    private static String list(String name, List<?> list, int indent) {
        StringBuilder out = new StringBuilder("\n")
                .append("  ".repeat(indent + 1))
                .append(name)
                .append(':');
        for (Object item : list) {
            out.append('\n').append("  ".repeat(indent + 2));
            if (item instanceof Node n) {
                node(n, indent + 2, out);
            } else {
                out.append(item instanceof String s ? quote(s) : String.valueOf(item));
            }
        }
        return out.toString();
    }

    private static Object read(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String at(Span s) {
        return "@" + s.line() + ":" + s.column();
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
