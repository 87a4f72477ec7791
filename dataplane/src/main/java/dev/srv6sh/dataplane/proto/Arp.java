package dev.srv6sh.dataplane.proto;

import java.lang.foreign.MemorySegment;

/**
 * ARP for IPv4 over Ethernet (RFC 826): hardware type, protocol type, their address lengths, the
 * opcode, then sender MAC and IPv4 address and target MAC and IPv4 address; 28 bytes behind the
 * Ethernet header (EtherType {@link Ethernet#TYPE_ARP}).
 */
public final class Arp {
    private Arp() {}

    public static final int LENGTH = 28;
    public static final int HARDWARE_ETHERNET = 1;
    public static final int REQUEST = 1;
    public static final int REPLY = 2;

    public static int hardwareType(MemorySegment s, long off) {
        return Bytes.u16(s, off);
    }

    public static int protocolType(MemorySegment s, long off) {
        return Bytes.u16(s, off + 2);
    }

    public static int hardwareLength(MemorySegment s, long off) {
        return Bytes.u8(s, off + 4);
    }

    public static int protocolLength(MemorySegment s, long off) {
        return Bytes.u8(s, off + 5);
    }

    public static int opcode(MemorySegment s, long off) {
        return Bytes.u16(s, off + 6);
    }

    public static long senderMac(MemorySegment s, long off) {
        return mac(s, off + 8);
    }

    public static int senderIp(MemorySegment s, long off) {
        return Bytes.u32(s, off + 14);
    }

    public static long targetMac(MemorySegment s, long off) {
        return mac(s, off + 18);
    }

    public static int targetIp(MemorySegment s, long off) {
        return Bytes.u32(s, off + 24);
    }

    /** Writes a whole Ethernet/IPv4 ARP message of {@code opcode}. */
    public static void write(
            MemorySegment s, long off, int opcode, long senderMac, int senderIp, long targetMac, int targetIp) {
        Bytes.u16(s, off, HARDWARE_ETHERNET);
        Bytes.u16(s, off + 2, Ethernet.TYPE_IP4);
        Bytes.u8(s, off + 4, 6);
        Bytes.u8(s, off + 5, 4);
        Bytes.u16(s, off + 6, opcode);
        mac(s, off + 8, senderMac);
        Bytes.u32(s, off + 14, senderIp);
        mac(s, off + 18, targetMac);
        Bytes.u32(s, off + 24, targetIp);
    }

    private static long mac(MemorySegment s, long off) {
        return ((long) Bytes.u16(s, off) << 32) | (Bytes.u32(s, off + 2) & 0xffff_ffffL);
    }

    private static void mac(MemorySegment s, long off, long mac) {
        Bytes.u16(s, off, (int) (mac >>> 32));
        Bytes.u32(s, off + 2, (int) mac);
    }
}
