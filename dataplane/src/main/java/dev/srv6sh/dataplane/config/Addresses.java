package dev.srv6sh.dataplane.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/** Literal address parsing and RFC 5952 formatting; never touches DNS. */
public final class Addresses {
    private Addresses() {}

    /** Parses an IPv4 dotted quad or any RFC 4291 IPv6 text form; rejects names. */
    public static InetAddress parse(String text) {
        if (text.isEmpty()
                || !(text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        if (text.indexOf(':') >= 0) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (!(c == ':' || c == '.' || HexFormat.isHexDigit(c))) {
                    throw new IllegalArgumentException("not an IPv6 address: '" + text + "'");
                }
            }
        } else if (text.split("\\.", -1).length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
    }

    public static Inet6Address parse6(String text) {
        if (parse(text) instanceof Inet6Address a) {
            return a;
        }
        throw new IllegalArgumentException("not an IPv6 address: '" + text + "'");
    }

    public static Inet4Address parse4(String text) {
        if (parse(text) instanceof Inet4Address a) {
            return a;
        }
        throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
    }

    /** IPv4 dotted quad, or IPv6 in the RFC 5952 canonical form (lower case, longest zero run as ::). */
    public static String format(InetAddress a) {
        if (a instanceof Inet4Address) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }

    public static Inet6Address v6(byte[] sixteen) {
        try {
            return (Inet6Address) InetAddress.getByAddress(sixteen);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static Inet4Address v4(int value) {
        byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }
}
