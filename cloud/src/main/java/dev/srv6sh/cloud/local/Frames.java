package dev.srv6sh.cloud.local;

import dev.srv6sh.dataplane.config.MacAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Just enough Ethernet/IP header reading for the emulated fabric to route frames by destination. */
final class Frames {
    static final int ETH = 14;
    static final int ETHERTYPE_IP4 = 0x0800;
    static final int ETHERTYPE_IP6 = 0x86dd;

    private Frames() {}

    static int etherType(byte[] f) {
        return f.length < ETH ? -1 : ((f[12] & 0xff) << 8) | (f[13] & 0xff);
    }

    /** The IPv4 or IPv6 destination, or null when the frame is too short or not IP. */
    static InetAddress destination(byte[] f) {
        try {
            return switch (etherType(f)) {
                case ETHERTYPE_IP4 -> f.length >= ETH + 20 ? InetAddress.getByAddress(slice(f, ETH + 16, 4)) : null;
                case ETHERTYPE_IP6 -> f.length >= ETH + 40 ? InetAddress.getByAddress(slice(f, ETH + 24, 16)) : null;
                default -> null;
            };
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static void setMacs(byte[] f, MacAddress dst, MacAddress src) {
        System.arraycopy(dst.bytes(), 0, f, 0, 6);
        System.arraycopy(src.bytes(), 0, f, 6, 6);
    }

    private static byte[] slice(byte[] f, int off, int len) {
        byte[] b = new byte[len];
        System.arraycopy(f, off, b, 0, len);
        return b;
    }
}
