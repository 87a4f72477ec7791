package dev.srv6sh.dataplane;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The CPU's clock and model, for clocks per packet ({@code show runtime}, {@code srv6sh bench}). */
public final class Cpu {
    private Cpu() {}

    private static volatile double ghz = -1;

    /** The clock in GHz from /proc/cpuinfo's first "cpu MHz" line; NaN where it is not known. */
    public static double ghz() {
        double g = ghz;
        if (g < 0) {
            g = Double.NaN;
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("cpu mhz")) {
                        g = Double.parseDouble(
                                        line.substring(line.indexOf(':') + 1).trim())
                                / 1000;
                        break;
                    }
                }
            } catch (Exception e) {
                // not Linux, or unreadable: clocks are reported as unknown
            }
            ghz = g;
        }
        return g;
    }

    /** The CPU's model name from /proc/cpuinfo, or the JVM's architecture. */
    public static String model() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception e) {
            // fall through
        }
        return System.getProperty("os.arch");
    }
}
