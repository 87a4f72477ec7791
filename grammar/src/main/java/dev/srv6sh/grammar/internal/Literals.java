package dev.srv6sh.grammar.internal;

import java.util.List;
import java.util.Optional;

/**
 * Checks the literals the lexer accepts loosely on purpose (addresses, prefixes, quantities), so a
 * malformed one gets a message that names it: {@code '2001:db8:::1' is not a valid IPv6 address}.
 * Each check returns the problem, or empty when the text is valid.
 */
final class Literals {
    private Literals() {}

    static final List<String> UNITS = List.of(
            "us", "ms", "s", "m", "h", "bps", "kbps", "Mbps", "Gbps", "pps", "kpps", "Mpps", "B", "KB", "KiB", "MB",
            "MiB", "GB", "GiB", "%");

    static final String UNIT_NOTE = "units: us ms s m h, bps kbps Mbps Gbps, pps kpps Mpps, B KB KiB MB MiB GB GiB, %";

    /** Splits {@code 9.4ms} into its number and unit. */
    static int unitStart(String quantity) {
        int i = 0;
        while (i < quantity.length() && (Character.isDigit(quantity.charAt(i)) || quantity.charAt(i) == '.')) {
            i++;
        }
        return i;
    }

    static double number(String text) {
        if (text.startsWith("0x") || text.startsWith("0X")) {
            return new java.math.BigInteger(text.substring(2), 16).doubleValue();
        }
        return Double.parseDouble(text);
    }

    static Optional<String> ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        boolean ok = parts.length == 4;
        for (String p : parts) {
            ok &= !p.isEmpty() && p.length() <= 3 && Integer.parseInt(p) <= 255;
        }
        return ok ? Optional.empty() : Optional.of("'" + text + "' is not a valid IPv4 address");
    }

    /** RFC 4291 §2.2: eight 16-bit groups, one {@code ::} at most, an IPv4 tail counting for two. */
    static Optional<String> ipv6(String text) {
        return validIpv6(text) ? Optional.empty() : Optional.of("'" + text + "' is not a valid IPv6 address");
    }

    private static boolean validIpv6(String text) {
        int groups = 0;
        String rest = text;
        int lastColon = rest.lastIndexOf(':');
        if (rest.indexOf('.') >= 0) {
            if (ipv4(rest.substring(lastColon + 1)).isPresent()) {
                return false;
            }
            groups += 2;
            // keep the ':' before the IPv4 tail so '::1.2.3.4' still reads as '::'
            rest = rest.substring(0, lastColon + 1);
            if (rest.endsWith(":") && !rest.endsWith("::")) {
                rest = rest.substring(0, rest.length() - 1);
            }
        }
        int compressed = rest.indexOf("::");
        if (compressed >= 0 && rest.indexOf("::", compressed + 1) >= 0) {
            return false;
        }
        String[] sides = compressed >= 0
                ? new String[] {rest.substring(0, compressed), rest.substring(compressed + 2)}
                : new String[] {rest};
        for (String side : sides) {
            if (side.isEmpty()) {
                continue;
            }
            for (String group : side.split(":", -1)) {
                if (group.isEmpty() || group.length() > 4) {
                    return false;
                }
                groups++;
            }
        }
        return compressed >= 0 ? groups <= 7 : groups == 8;
    }

    static Optional<String> prefix(String text) {
        int slash = text.indexOf('/');
        String address = text.substring(0, slash);
        boolean v6 = address.indexOf(':') >= 0;
        Optional<String> bad = v6 ? ipv6(address) : ipv4(address);
        if (bad.isPresent()) {
            return bad;
        }
        String length = text.substring(slash + 1);
        int max = v6 ? 128 : 32;
        if (length.length() > 3 || Integer.parseInt(length) > max) {
            return Optional.of("'" + text + "': the prefix length must be at most " + max);
        }
        return Optional.empty();
    }
}
