package dev.srv6sh.interpreter.eval;

import java.util.Locale;
import java.util.Map;

/** Dimensions of quantities and the units that write them. Values are kept in the base unit. */
public enum Dim {
    DURATION("a duration", "s"),
    RATE("a rate", "bps"),
    PACKET_RATE("a packet rate", "pps"),
    SIZE("a size", "B"),
    PERCENT("a percentage", "%");

    private final String article;
    private final String base;

    Dim(String article, String base) {
        this.article = article;
        this.base = base;
    }

    public String article() {
        return article;
    }

    /** The base unit values are kept in: s, bps, pps, B or %. */
    public String base() {
        return base;
    }

    record Unit(Dim dim, double factor) {}

    private static final Map<String, Unit> UNITS = Map.ofEntries(
            Map.entry("ns", new Unit(DURATION, 1e-9)),
            Map.entry("us", new Unit(DURATION, 1e-6)),
            Map.entry("µs", new Unit(DURATION, 1e-6)),
            Map.entry("ms", new Unit(DURATION, 1e-3)),
            Map.entry("s", new Unit(DURATION, 1)),
            Map.entry("m", new Unit(DURATION, 60)),
            Map.entry("h", new Unit(DURATION, 3600)),
            Map.entry("bps", new Unit(RATE, 1)),
            Map.entry("kbps", new Unit(RATE, 1e3)),
            Map.entry("Mbps", new Unit(RATE, 1e6)),
            Map.entry("Gbps", new Unit(RATE, 1e9)),
            Map.entry("pps", new Unit(PACKET_RATE, 1)),
            Map.entry("kpps", new Unit(PACKET_RATE, 1e3)),
            Map.entry("Mpps", new Unit(PACKET_RATE, 1e6)),
            Map.entry("B", new Unit(SIZE, 1)),
            Map.entry("KB", new Unit(SIZE, 1e3)),
            Map.entry("MB", new Unit(SIZE, 1e6)),
            Map.entry("GB", new Unit(SIZE, 1e9)),
            Map.entry("KiB", new Unit(SIZE, 1024)),
            Map.entry("MiB", new Unit(SIZE, 1024 * 1024)),
            Map.entry("GiB", new Unit(SIZE, 1024 * 1024 * 1024)),
            Map.entry("%", new Unit(PERCENT, 1)));

    /** The unit a literal suffix names, or null. */
    static Unit unit(String suffix) {
        return UNITS.get(suffix);
    }

    /**
     * A duration as the language writes it ({@code 30s}, {@code 500ms}, {@code 2m}), or null when
     * {@code text} is not one: for the router shell's {@code commit confirmed D} and {@code capture ...
     * for D}, which are read outside the grammar.
     */
    public static java.time.Duration duration(String text) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(\\p{L}+)").matcher(text);
        if (!m.matches() || unit(m.group(2)) == null || unit(m.group(2)).dim() != DURATION) {
            return null;
        }
        double seconds = Double.parseDouble(m.group(1)) * unit(m.group(2)).factor();
        return seconds > 1e9 ? null : java.time.Duration.ofNanos(Math.round(seconds * 1e9));
    }

    static java.util.Set<String> unitNames() {
        return UNITS.keySet();
    }

    /** A quantity written the way an engineer reads it: {@code 9.512 ms}, {@code 85 µs}, {@code 1.2 Gbps}. */
    static String format(double v, Dim dim) {
        return switch (dim) {
            case DURATION -> {
                double a = Math.abs(v);
                if (a == 0) {
                    yield "0 s";
                } else if (a < 1e-3) {
                    yield num(v * 1e6) + " µs";
                } else if (a < 1) {
                    yield num(v * 1e3) + " ms";
                } else {
                    yield num(v) + " s";
                }
            }
            case RATE -> scaled(v, new String[] {"bps", "kbps", "Mbps", "Gbps"});
            case PACKET_RATE -> scaled(v, new String[] {"pps", "kpps", "Mpps", "Gpps"});
            case SIZE -> num(v) + " B";
            case PERCENT -> num(v) + "%";
        };
    }

    private static String scaled(double v, String[] names) {
        int i = 0;
        while (i < names.length - 1 && Math.abs(v) >= 1000) {
            v /= 1000;
            i++;
        }
        return num(v) + " " + names[i];
    }

    /** At most three decimals, no trailing zeros. */
    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
