package dev.srv6sh.dataplane.bench;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Builds the benchmark's input packets: IPv4 or IPv6 with a UDP payload, optionally inside an outer
 * IPv6 header with an SRH, padded to a requested size. Checksums are filled in where a receiver
 * checks them (the IPv4 header); UDP checksums are zero, which the data plane does not inspect.
 */
final class Craft {
    private Craft() {}

    static final int UDP = 17;

    /** An IPv4/UDP packet of exactly {@code size} bytes (at least 28). */
    static byte[] ip4(String src, String dst, int size) {
        return ip4(Transport.UDP, src, dst, size);
    }

    /** An IPv4 packet carrying {@code l4} of exactly {@code size} bytes (at least its headers). */
    static byte[] ip4(Transport l4, String src, String dst, int size) {
        int len = Math.max(20 + l4.headerBytes(), size);
        ByteBuffer b = ByteBuffer.allocate(len);
        b.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) len)
                .putShort((short) 0x1234)
                .putShort((short) 0x4000);
        b.put((byte) 64).put((byte) l4.protocol4()).putShort((short) 0);
        b.putInt(Addresses.toInt(Addresses.parse4(src))).putInt(Addresses.toInt(Addresses.parse4(dst)));
        transport(b, l4, false, len - 20);
        byte[] p = b.array();
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        int c = ~sum & 0xffff;
        p[10] = (byte) (c >>> 8);
        p[11] = (byte) c;
        return p;
    }

    /** An IPv6/UDP packet of exactly {@code size} bytes (at least 48). */
    static byte[] ip6(String src, String dst, int size) {
        return ip6(Transport.UDP, src, dst, size);
    }

    /** An IPv6 packet carrying {@code l4} of exactly {@code size} bytes (at least its headers). */
    static byte[] ip6(Transport l4, String src, String dst, int size) {
        int len = Math.max(40 + l4.headerBytes(), size);
        ByteBuffer b = ByteBuffer.allocate(len);
        header6(b, len - 40, l4.protocol6(), 64, src, dst);
        transport(b, l4, true, len - 40);
        return b.array();
    }

    /** The transport header (checksums left zero: nothing on a benchmark's path verifies them). */
    private static void transport(ByteBuffer b, Transport l4, boolean v6, int length) {
        switch (l4) {
            case UDP -> udp(b, length);
            case TCP ->
                b.putShort((short) 40000)
                        .putShort((short) 5201)
                        .putInt(1)
                        .putInt(1)
                        .put((byte) 0x50)
                        .put((byte) 0x10) // ACK
                        .putShort((short) 65535)
                        .putShort((short) 0)
                        .putShort((short) 0);
            case ICMP ->
                b.put((byte) (v6 ? 128 : 8)) // echo request
                        .put((byte) 0)
                        .putShort((short) 0)
                        .putShort((short) 0x5a5a)
                        .putShort((short) 1);
        }
    }

    /**
     * An outer IPv6 header with an SRH around {@code inner}: the segment list is given in path order
     * (the first segment first) and stored reversed as RFC 8754 does; the destination is the active
     * segment {@code segments[sl]} counting from the end, as on the wire.
     */
    static byte[] srv6(String src, List<String> path, int segmentsLeft, int innerNh, byte[] inner) {
        int n = path.size();
        int srh = 8 + 16 * n;
        ByteBuffer b = ByteBuffer.allocate(40 + srh + inner.length);
        String active = path.get(n - 1 - segmentsLeft);
        header6(b, srh + inner.length, 43, 64, src, active);
        b.put((byte) innerNh).put((byte) (2 * n)).put((byte) 4).put((byte) segmentsLeft);
        b.put((byte) (n - 1)).put((byte) 0).putShort((short) 0);
        for (int i = n - 1; i >= 0; i--) {
            b.put(Addresses.parse6(path.get(i)).getAddress());
        }
        b.put(inner);
        return b.array();
    }

    /** Pads (or keeps) an inner packet so that the whole packet built around it has {@code size} bytes. */
    static int innerSize(int size, int overhead, int minimum) {
        return Math.max(minimum, size - overhead);
    }

    static byte[] frame(MacAddress dst, MacAddress src, byte[] ip) {
        byte[] f = new byte[14 + ip.length];
        System.arraycopy(dst.bytes(), 0, f, 0, 6);
        System.arraycopy(src.bytes(), 0, f, 6, 6);
        int type = (ip[0] >>> 4) == 4 ? 0x0800 : 0x86dd;
        f[12] = (byte) (type >>> 8);
        f[13] = (byte) type;
        System.arraycopy(ip, 0, f, 14, ip.length);
        return f;
    }

    private static void header6(ByteBuffer b, int payload, int nh, int hlim, String src, String dst) {
        b.putInt(0x6000_0000).putShort((short) payload).put((byte) nh).put((byte) hlim);
        b.put(Addresses.parse6(src).getAddress()).put(Addresses.parse6(dst).getAddress());
    }

    private static void udp(ByteBuffer b, int length) {
        b.putShort((short) 40000).putShort((short) 9).putShort((short) length).putShort((short) 0);
    }
}
