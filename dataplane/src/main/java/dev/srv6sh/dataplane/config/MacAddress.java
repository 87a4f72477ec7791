package dev.srv6sh.dataplane.config;

import java.util.HexFormat;

/** A 48-bit Ethernet address, kept in the low 48 bits of a long. */
public record MacAddress(long value) {

    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);

    public MacAddress {
        if ((value & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits");
        }
    }

    /** Parses {@code 02:00:5e:00:53:01}. */
    public static MacAddress parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException(
                    "not a MAC address: '" + text + "' (six pairs of hex digits separated by ':')");
        }
        long v = 0;
        for (String p : parts) {
            if (p.length() != 2 || !HexFormat.isHexDigit(p.charAt(0)) || !HexFormat.isHexDigit(p.charAt(1))) {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'");
            }
            v = (v << 8) | Integer.parseInt(p, 16);
        }
        return new MacAddress(v);
    }

    /** A locally administered unicast address (02:...) derived from a number, for emulated interfaces. */
    public static MacAddress local(long n) {
        return new MacAddress(0x0200_0000_0000L | (n & 0xff_ffff_ffffL));
    }

    public byte[] bytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (value >>> (40 - 8 * i));
        }
        return b;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02x", (value >>> (40 - 8 * i)) & 0xff));
        }
        return sb.toString();
    }
}
