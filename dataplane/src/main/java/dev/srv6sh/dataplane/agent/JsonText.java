package dev.srv6sh.dataplane.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON (RFC 8259) the state file needs: {@link #parse} gives maps, lists, strings,
 * numbers (as Double), booleans and null, and throws {@link IllegalArgumentException} with the
 * offset on anything else; {@link #string} writes a string with the escapes §7 requires. The
 * interpreter's reports and JSON output write their strings with it too.
 */
public final class JsonText {
    private final String s;
    private final boolean exact;
    private int i;

    private JsonText(String s, boolean exact) {
        this.s = s;
        this.exact = exact;
    }

    public static Object parse(String text) {
        return parse(text, false);
    }

    /**
     * As {@link #parse}, but numbers come as {@link java.math.BigDecimal}, exactly as written: a
     * counter beyond 2^53 survives (the agent's records carry 64-bit counters).
     */
    public static Object parseExact(String text) {
        return parse(text, true);
    }

    private static Object parse(String text, boolean exact) {
        JsonText p = new JsonText(text, exact);
        Object v = p.value();
        p.ws();
        if (p.i != text.length()) {
            throw p.error("trailing text");
        }
        return v;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at offset " + i);
    }

    private void ws() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private char peek() {
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        return s.charAt(i);
    }

    /** How deep arrays and objects may nest: deeper input is refused, not a stack overflow. */
    static final int MAX_DEPTH = 64;

    private int depth;

    private Object value() {
        ws();
        char c = peek();
        if ((c == '{' || c == '[') && depth >= MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
        if (c == '{' || c == '[') {
            depth++;
            try {
                return c == '{' ? object() : array();
            } finally {
                depth--;
            }
        }
        return scalar(c);
    }

    private Object object() {
        char c = '{';
        if (c == '{') {
            i++;
            Map<String, Object> m = new LinkedHashMap<>();
            ws();
            if (peek() == '}') {
                i++;
                return m;
            }
            do {
                ws();
                String k = string();
                ws();
                expect(':');
                m.put(k, value());
                ws();
            } while (comma());
            expect('}');
            return m;
        }
        throw error("expected '{'");
    }

    private Object array() {
        char c = '[';
        if (c == '[') {
            i++;
            List<Object> l = new ArrayList<>();
            ws();
            if (peek() == ']') {
                i++;
                return l;
            }
            do {
                l.add(value());
                ws();
            } while (comma());
            expect(']');
            return l;
        }
        throw error("expected '['");
    }

    private Object scalar(char c) {
        if (c == '"') {
            return string();
        }
        for (String word : new String[] {"true", "false", "null"}) {
            if (s.startsWith(word, i)) {
                i += word.length();
                return word.equals("null") ? null : Boolean.valueOf(word);
            }
        }
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        try {
            return exact ? new java.math.BigDecimal(s.substring(start, i)) : Double.parseDouble(s.substring(start, i));
        } catch (NumberFormatException e) {
            i = start;
            throw error("not a JSON value");
        }
    }

    private boolean comma() {
        if (i < s.length() && s.charAt(i) == ',') {
            i++;
            return true;
        }
        return false;
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (peek() != '"') {
            char c = s.charAt(i++);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = peek();
            i++;
            switch (e) {
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    if (i + 4 > s.length()) {
                        throw error("short \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    } catch (NumberFormatException x) {
                        throw error("bad \\u escape");
                    }
                    i += 4;
                }
                default -> sb.append(e);
            }
        }
        i++;
        return sb.toString();
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        i++;
    }

    /** {@code s} as a JSON string. */
    public static String string(String v) {
        if (v == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int k = 0; k < v.length(); k++) {
            char ch = v.charAt(k);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
