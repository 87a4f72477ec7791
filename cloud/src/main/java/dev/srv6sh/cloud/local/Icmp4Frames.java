package dev.srv6sh.cloud.local;

import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.proto.Checksum;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;

/** Builds and reads Ethernet/IPv4/ICMP echo frames for the emulated hosts. */
final class Icmp4Frames {
    private static final int IP = Frames.ETH;
    private static final int ICMP = IP + 20;

    private Icmp4Frames() {}

    static byte[] echo(
            MacAddress src,
            MacAddress dst,
            Inet4Address from,
            Inet4Address to,
            int ttl,
            int type,
            int id,
            int seq,
            int payload) {
        byte[] f = new byte[ICMP + 8 + payload];
        Frames.setMacs(f, dst, src);
        f[12] = 0x08;
        f[13] = 0x00;
        int total = 20 + 8 + payload;
        f[IP] = 0x45;
        put16(f, IP + 2, total);
        put16(f, IP + 4, seq);
        f[IP + 6] = 0x40; // don't fragment, as Linux ping sets it
        f[IP + 8] = (byte) ttl;
        f[IP + 9] = 1;
        System.arraycopy(from.getAddress(), 0, f, IP + 12, 4);
        System.arraycopy(to.getAddress(), 0, f, IP + 16, 4);
        put16(f, IP + 10, checksum(f, IP, 20));
        f[ICMP] = (byte) type;
        put16(f, ICMP + 4, id);
        put16(f, ICMP + 6, seq);
        for (int i = 0; i < payload; i++) {
            f[ICMP + 8 + i] = (byte) (0x10 + i);
        }
        put16(f, ICMP + 2, checksum(f, ICMP, 8 + payload));
        return f;
    }

    /** An echo reply to {@code request}: addresses swapped, the same id, sequence and data. */
    static byte[] reply(byte[] request, MacAddress src, MacAddress dst, int ttl) {
        int total = get16(request, IP + 2);
        byte[] f = new byte[IP + total];
        System.arraycopy(request, 0, f, 0, f.length);
        Frames.setMacs(f, dst, src);
        System.arraycopy(request, IP + 16, f, IP + 12, 4);
        System.arraycopy(request, IP + 12, f, IP + 16, 4);
        f[IP + 8] = (byte) ttl;
        put16(f, IP + 10, 0);
        put16(f, IP + 10, checksum(f, IP, 20));
        f[ICMP] = 0;
        put16(f, ICMP + 2, 0);
        put16(f, ICMP + 2, checksum(f, ICMP, total - 20));
        return f;
    }

    /** Version 4, IHL 5, lengths consistent with the frame, header checksum correct. */
    static boolean headerValid(byte[] f) {
        if (f.length < IP + 20 || (f[IP] & 0xff) != 0x45) {
            return false;
        }
        int total = get16(f, IP + 2);
        return total >= 20 && IP + total <= f.length && checksum(f, IP, 20) == 0;
    }

    static boolean isIcmp(byte[] f) {
        return f[IP + 9] == 1 && get16(f, IP + 2) >= 28;
    }

    static int icmpType(byte[] f) {
        return f[ICMP] & 0xff;
    }

    static int identifier(byte[] f) {
        return get16(f, ICMP + 4);
    }

    static int sequence(byte[] f) {
        return get16(f, ICMP + 6);
    }

    static int ttl(byte[] f) {
        return f[IP + 8] & 0xff;
    }

    private static int checksum(byte[] f, int off, int len) {
        return Checksum.internet(MemorySegment.ofArray(f), off, len);
    }

    private static int get16(byte[] f, int off) {
        return ((f[off] & 0xff) << 8) | (f[off + 1] & 0xff);
    }

    private static void put16(byte[] f, int off, int v) {
        f[off] = (byte) (v >>> 8);
        f[off + 1] = (byte) v;
    }
}
