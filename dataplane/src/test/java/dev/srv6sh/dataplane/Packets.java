package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.proto.Checksum;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/** Packet builders for the behavior tests: IPv6 with or without an SRH, UDP over IPv4 and IPv6, frames. */
final class Packets {
    private Packets() {}

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] addr(String a) {
        return Addresses.parse(a).getAddress();
    }

    /** An IPv6 header (traffic class and flow label 0) followed by {@code payload}. */
    static byte[] ip6(String src, String dst, int hopLimit, int nextHeader, byte[] payload) {
        byte[] h = new byte[40];
        h[0] = 0x60;
        h[4] = (byte) (payload.length >>> 8);
        h[5] = (byte) payload.length;
        h[6] = (byte) nextHeader;
        h[7] = (byte) hopLimit;
        System.arraycopy(addr(src), 0, h, 8, 16);
        System.arraycopy(addr(dst), 0, h, 24, 16);
        return concat(h, payload);
    }

    /** An SRH (flags and tag 0, LE = list length − 1) with Segment List[0] first, then {@code rest}. */
    static byte[] srh(int nextHeader, int segmentsLeft, byte[] rest, String... list) {
        byte[] h = new byte[8 + 16 * list.length];
        h[0] = (byte) nextHeader;
        h[1] = (byte) (2 * list.length);
        h[2] = 4;
        h[3] = (byte) segmentsLeft;
        h[4] = (byte) (list.length - 1);
        for (int i = 0; i < list.length; i++) {
            System.arraycopy(addr(list[i]), 0, h, 8 + 16 * i, 16);
        }
        return concat(h, rest);
    }

    /** UDP 1234 → 5678 with {@code size} bytes of counting payload (checksum left 0: routers do not check it). */
    static byte[] udp(int size) {
        byte[] u = new byte[8 + size];
        u[0] = 0x04;
        u[1] = (byte) 0xd2;
        u[2] = 0x16;
        u[3] = 0x2e;
        u[4] = (byte) (u.length >>> 8);
        u[5] = (byte) u.length;
        for (int i = 0; i < size; i++) {
            u[8 + i] = (byte) i;
        }
        return u;
    }

    /** IPv6/UDP of {@code size} payload bytes. */
    static byte[] udp6(String src, String dst, int hopLimit, int size) {
        return ip6(src, dst, hopLimit, 17, udp(size));
    }

    /** IPv4/UDP with a correct header checksum; DF when {@code df}. */
    static byte[] udp4(String src, String dst, int ttl, boolean df, int size) {
        byte[] u = udp(size);
        byte[] h = new byte[20];
        h[0] = 0x45;
        int total = 20 + u.length;
        h[2] = (byte) (total >>> 8);
        h[3] = (byte) total;
        h[6] = (byte) (df ? 0x40 : 0);
        h[8] = (byte) ttl;
        h[9] = 17;
        System.arraycopy(addr(src), 0, h, 12, 4);
        System.arraycopy(addr(dst), 0, h, 16, 4);
        int c = Checksum.internet(MemorySegment.ofArray(h), 0, 20);
        h[10] = (byte) (c >>> 8);
        h[11] = (byte) c;
        return concat(h, u);
    }

    /** An Ethernet frame to {@code dst} from {@code src} of any EtherType. */
    static byte[] ethernet(byte[] dst, byte[] src, int type, byte[] payload) {
        byte[] h = new byte[14];
        System.arraycopy(dst, 0, h, 0, 6);
        System.arraycopy(src, 0, h, 6, 6);
        h[12] = (byte) (type >>> 8);
        h[13] = (byte) type;
        return concat(h, payload);
    }

    static byte[] range(byte[] p, int from, int to) {
        return Arrays.copyOfRange(p, from, to);
    }
}
