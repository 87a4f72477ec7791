package dev.srv6sh.dataplane.agent;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON encoding of the agent's records (and of {@code DataplaneConfig}'s): a record is an object
 * of its components by name; a member of a sealed interface also carries {@code "@type"}, its simple
 * name; lists and sets are arrays; maps (string keys) objects; enums their name; addresses, prefixes
 * and MAC addresses their text ({@code 2001:db8::1}, {@code 10.0.0.0/8}, {@code 02:00:00:00:00:01});
 * durations and instants ISO-8601; byte arrays base64; 64-bit counters exact. Reading ignores
 * members it does not know (a newer peer may send more) and gives a missing one null, 0 or false.
 * Whatever is wrong with the input comes back as an {@link IllegalArgumentException} naming where.
 */
public final class AgentJson {
    private AgentJson() {}

    private static final Map<Class<?>, Constructor<?>> CONSTRUCTORS = new ConcurrentHashMap<>();

    /** {@code value} as JSON, its type being its own class. */
    public static String write(Object value) {
        return write(value, value == null ? Object.class : value.getClass());
    }

    /** {@code value} as JSON, written as {@code type} (a sealed interface's member gets its {@code "@type"}). */
    public static String write(Object value, Type type) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, type);
        return sb.toString();
    }

    /** Reads {@code json} as a {@code type}. */
    public static <T> T read(String json, Class<T> type) {
        return type.cast(read(json, (Type) type));
    }

    /** Reads {@code json} as a {@code type} (a parameterized one: {@code List<CommitInfo>}). */
    public static Object read(String json, Type type) {
        return fromTree(JsonText.parseExact(json), type, "$");
    }

    /** Converts a parsed JSON tree ({@link JsonText#parseExact}) into a {@code type}. */
    public static Object fromTree(Object tree, Type type, String where) {
        try {
            return convert(tree, type, where);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) { // a record's own validation, an address that is not one
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static void write(StringBuilder sb, Object v, Type type) {
        Class<?> raw = rawClass(type);
        switch (v) {
            case null -> sb.append("null");
            case String s -> sb.append(JsonText.string(s));
            case Boolean b -> sb.append(b);
            case Double d -> sb.append(Double.isFinite(d) ? d.toString() : "null");
            case Float f -> sb.append(Float.isFinite(f) ? f.toString() : "null");
            case Number n -> sb.append(n);
            case Character c -> sb.append(JsonText.string(c.toString()));
            case Enum<?> e -> sb.append(JsonText.string(e.name()));
            case InetAddress a -> sb.append(JsonText.string(Addresses.format(a)));
            case Prefix p -> sb.append(JsonText.string(p.toString()));
            case MacAddress m -> sb.append(JsonText.string(m.toString()));
            case Duration d -> sb.append(JsonText.string(d.toString()));
            case Instant t -> sb.append(JsonText.string(t.toString()));
            case byte[] bytes -> sb.append(JsonText.string(Base64.getEncoder().encodeToString(bytes)));
            case Collection<?> c -> {
                Type element = typeArgument(type, 0);
                sb.append('[');
                boolean first = true;
                for (Object o : c) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    write(sb, o, element);
                }
                sb.append(']');
            }
            case Map<?, ?> m -> {
                Type value = typeArgument(type, 1);
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    sb.append(JsonText.string(String.valueOf(e.getKey()))).append(':');
                    write(sb, e.getValue(), value);
                }
                sb.append('}');
            }
            case Record r -> {
                sb.append('{');
                boolean first = true;
                if (raw.isInterface()) {
                    sb.append("\"@type\":").append(JsonText.string(r.getClass().getSimpleName()));
                    first = false;
                }
                for (RecordComponent c : r.getClass().getRecordComponents()) {
                    Object cv;
                    try {
                        cv = c.getAccessor().invoke(r);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass(), e);
                    }
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    sb.append(JsonText.string(c.getName())).append(':');
                    write(sb, cv, c.getGenericType());
                }
                sb.append('}');
            }
            default ->
                throw new IllegalArgumentException(
                        "no JSON encoding for " + v.getClass().getName());
        }
    }

    private static Object convert(Object tree, Type type, String where) {
        Class<?> raw = rawClass(type);
        if (tree == null) {
            return defaultValue(raw);
        }
        if (raw == Object.class) {
            return tree;
        }
        if (raw == String.class) {
            return string(tree, where);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (tree instanceof Boolean b) {
                return b;
            }
            throw new IllegalArgumentException(where + ": expected true or false");
        }
        if (raw == int.class || raw == Integer.class) {
            return number(tree, where).intValueExact();
        }
        if (raw == long.class || raw == Long.class) {
            return number(tree, where).longValueExact();
        }
        if (raw == short.class || raw == Short.class) {
            return number(tree, where).shortValueExact();
        }
        if (raw == byte.class || raw == Byte.class) {
            return number(tree, where).byteValueExact();
        }
        if (raw == double.class || raw == Double.class) {
            return number(tree, where).doubleValue();
        }
        if (raw == float.class || raw == Float.class) {
            return number(tree, where).floatValue();
        }
        if (raw.isEnum()) {
            String name = string(tree, where);
            for (Object c : raw.getEnumConstants()) {
                if (((Enum<?>) c).name().equals(name)) {
                    return c;
                }
            }
            throw new IllegalArgumentException(where + ": '" + name + "' is not a " + raw.getSimpleName());
        }
        if (InetAddress.class.isAssignableFrom(raw)) {
            InetAddress a = Addresses.parse(string(tree, where));
            if (!raw.isInstance(a)) {
                throw new IllegalArgumentException(where + ": not an " + raw.getSimpleName());
            }
            return a;
        }
        if (raw == Prefix.class) {
            return Prefix.parse(string(tree, where));
        }
        if (raw == MacAddress.class) {
            return MacAddress.parse(string(tree, where));
        }
        if (raw == Duration.class) {
            return Duration.parse(string(tree, where));
        }
        if (raw == Instant.class) {
            return Instant.parse(string(tree, where));
        }
        if (raw == byte[].class) {
            return Base64.getDecoder().decode(string(tree, where));
        }
        if (List.class.isAssignableFrom(raw) || Set.class.isAssignableFrom(raw)) {
            if (!(tree instanceof List<?> l)) {
                throw new IllegalArgumentException(where + ": expected an array");
            }
            Type element = typeArgument(type, 0);
            Collection<Object> out = Set.class.isAssignableFrom(raw) ? new LinkedHashSet<>() : new ArrayList<>();
            for (int k = 0; k < l.size(); k++) {
                out.add(convert(l.get(k), element, where + "[" + k + "]"));
            }
            return out;
        }
        if (Map.class.isAssignableFrom(raw)) {
            Map<?, ?> m = object(tree, where);
            Type value = typeArgument(type, 1);
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put((String) e.getKey(), convert(e.getValue(), value, where + "." + e.getKey()));
            }
            return out;
        }
        if (raw.isSealed() && raw.isInterface()) {
            Map<?, ?> m = object(tree, where);
            String name = m.get("@type") instanceof String s ? s : null;
            for (Class<?> sub : raw.getPermittedSubclasses()) {
                if (sub.getSimpleName().equals(name)) {
                    return convert(tree, sub, where);
                }
            }
            throw new IllegalArgumentException(
                    where + ": '@type' " + name + " is not a kind of " + raw.getSimpleName());
        }
        if (raw.isRecord()) {
            Map<?, ?> m = object(tree, where);
            RecordComponent[] cs = raw.getRecordComponents();
            Object[] args = new Object[cs.length];
            for (int k = 0; k < cs.length; k++) {
                args[k] = convert(m.get(cs[k].getName()), cs[k].getGenericType(), where + "." + cs[k].getName());
            }
            try {
                return constructor(raw, cs).newInstance(args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                Throwable cause = e.getCause();
                throw new IllegalArgumentException(where + ": " + (cause != null ? cause.getMessage() : e), cause);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot build a " + raw.getName(), e);
            }
        }
        throw new IllegalArgumentException(where + ": no JSON decoding for " + raw.getName());
    }

    private static Constructor<?> constructor(Class<?> raw, RecordComponent[] cs) throws NoSuchMethodException {
        Constructor<?> c = CONSTRUCTORS.get(raw);
        if (c == null) {
            Class<?>[] types = new Class<?>[cs.length];
            for (int k = 0; k < cs.length; k++) {
                types[k] = cs[k].getType();
            }
            c = raw.getDeclaredConstructor(types);
            CONSTRUCTORS.put(raw, c);
        }
        return c;
    }

    private static Object defaultValue(Class<?> raw) {
        if (raw == boolean.class) {
            return false;
        }
        if (raw == int.class) {
            return 0;
        }
        if (raw == long.class) {
            return 0L;
        }
        if (raw == double.class) {
            return 0.0;
        }
        if (raw == float.class) {
            return 0.0f;
        }
        if (raw == short.class) {
            return (short) 0;
        }
        if (raw == byte.class) {
            return (byte) 0;
        }
        if (List.class == raw) {
            return List.of();
        }
        if (Set.class == raw) {
            return Set.of();
        }
        if (Map.class == raw) {
            return Map.of();
        }
        return null;
    }

    private static String string(Object tree, String where) {
        if (tree instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(where + ": expected a string");
    }

    private static BigDecimal number(Object tree, String where) {
        if (tree instanceof BigDecimal d) {
            return d;
        }
        if (tree instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        throw new IllegalArgumentException(where + ": expected a number");
    }

    private static Map<?, ?> object(Object tree, String where) {
        if (tree instanceof Map<?, ?> m) {
            return m;
        }
        throw new IllegalArgumentException(where + ": expected an object");
    }

    private static Class<?> rawClass(Type t) {
        return switch (t) {
            case Class<?> c -> c;
            case ParameterizedType p -> (Class<?>) p.getRawType();
            case WildcardType w -> rawClass(w.getUpperBounds()[0]);
            case GenericArrayType g -> Object[].class;
            default -> Object.class;
        };
    }

    private static Type typeArgument(Type t, int index) {
        if (t instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }

    /** A parameterized type for reading: {@code listOf(CommitInfo.class)} is {@code List<CommitInfo>}. */
    public static ParameterizedType listOf(Class<?> element) {
        return new ParameterizedType() {
            @Override
            public Type[] getActualTypeArguments() {
                return new Type[] {element};
            }

            @Override
            public Type getRawType() {
                return List.class;
            }

            @Override
            public Type getOwnerType() {
                return null;
            }
        };
    }
}
