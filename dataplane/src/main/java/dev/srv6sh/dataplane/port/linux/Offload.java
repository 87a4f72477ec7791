package dev.srv6sh.dataplane.port.linux;

import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Checksum;
import java.lang.foreign.MemorySegment;

/**
 * What a NIC would have done to a frame the kernel left to offload, done in the engine's buffer once
 * the frame is copied there: the kernel passes frames between namespaces (veth), or to a packet
 * socket, before their last checksum is computed and before a large TCP send is cut into segments,
 * and says so in the frame's {@code virtio_net_hdr}. A router that forwarded such a frame as it is
 * would send a wrong checksum (the next host drops the packet) or a 64 KiB "frame" (the next link
 * drops it); turning the offloads off on every veth would be everyone's chore. So a port finishes
 * the work, as Linux's own software fallbacks ({@code skb_checksum_help}, GSO) do.
 *
 * <p>Both follow {@code CHECKSUM_PARTIAL}'s contract: the checksum field already holds the folded
 * sum of the pseudo-header (with the whole upper-layer length), and what is left is the one's
 * complement sum from {@code csum_start} to the end, stored at {@code csum_start + csum_offset}.
 * Nothing here needs to know the pseudo-header's addresses, so it holds behind any IPv6 extension
 * header (an SRH, whose last segment is the pseudo-header's destination). Static methods over the
 * engine's memory, no allocation.
 */
public final class Offload {
    private Offload() {}

    /** {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}: the checksum from csum_start on is still to be computed. */
    public static final int NEEDS_CSUM = 1;
    /**
     * virtio_net_hdr's {@code VIRTIO_NET_HDR_F_DATA_VALID}: the kernel vouches for the frame's
     * checksum ({@code CHECKSUM_UNNECESSARY}: a NIC checked it, or a veth's peer made it).
     */
    public static final int DATA_VALID = 2;

    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    /** UFO, IPv4 fragmentation of a large UDP datagram: gone from Linux since 4.14. */
    public static final int GSO_UDP = 3;

    public static final int GSO_TCPV6 = 4;
    /** A large UDP send cut into datagrams of gso_size ({@code UDP_SEGMENT}). */
    public static final int GSO_UDP_L4 = 5;
    /** Set with a TCP GSO type when the segments carry ECN's CWR only in the first. */
    public static final int GSO_ECN = 0x80;

    private static final int TCP_FIN = 0x01;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_CWR = 0x80;

    /**
     * Where the IP packet that starts at {@code l3} ends in a frame of {@code length} bytes: its own
     * length field says, Ethernet padding aside; the frame's end when the header says nothing usable.
     */
    static int ipEnd(MemorySegment m, long frame, int length, int l3) {
        if (l3 + 20 > length) {
            return length;
        }
        int version = Bytes.u8(m, frame + l3) >>> 4;
        int end =
                switch (version) {
                    case 4 -> l3 + Bytes.u16(m, frame + l3 + 2);
                    case 6 -> l3 + 40 + Bytes.u16(m, frame + l3 + 4);
                    default -> length;
                };
        return end > length || end < l3 + 20 ? length : end;
    }

    /**
     * Completes the checksum of a frame of {@code length} bytes whose IP header is at {@code l3}: the
     * one's complement sum from {@code start} to the IP packet's end (the field at {@code start +
     * offset} holding the pseudo-header sum), complemented, stored in the field; 0 is sent as 0xffff,
     * as for UDP it must be (RFC 768) and for TCP it may be. False, and the frame untouched, when the
     * offsets do not fall inside the packet.
     */
    public static boolean complete(MemorySegment m, long frame, int length, int l3, int start, int offset) {
        int end = ipEnd(m, frame, length, l3);
        if (start < l3 || offset < 0 || start + offset + 2 > end) {
            return false;
        }
        int sum = Checksum.sum(m, frame + start, end - start);
        int check = ~sum & 0xffff;
        Bytes.u16(m, frame + start + offset, check == 0 ? 0xffff : check);
        return true;
    }

    /**
     * Makes the IP header at {@code ip} (either version) that of a packet of {@code length} bytes:
     * IPv6's payload length, or IPv4's total length, its identification plus {@code idDelta} (a
     * segment's place in its large send) and its header checksum again.
     */
    public static void ipLength(MemorySegment m, long ip, int length, int idDelta) {
        if (Bytes.u8(m, ip) >>> 4 == 4) {
            int ihl = (Bytes.u8(m, ip) & 0xf) * 4;
            Bytes.u16(m, ip + 2, length);
            Bytes.u16(m, ip + 4, (Bytes.u16(m, ip + 4) + idDelta) & 0xffff);
            Bytes.u16(m, ip + 10, 0);
            Bytes.u16(m, ip + 10, Checksum.internet(m, ip, ihl));
        } else {
            Bytes.u16(m, ip + 4, length - 40);
        }
    }

    /**
     * Makes segment {@code index} of a large send a packet of its own, in place: the headers copied
     * from the large frame (IP at {@code l3}, TCP or UDP at {@code l4}), then {@code length} bytes in
     * all with its share of the payload, which starts {@code payloadOffset} bytes into the large
     * frame's payload. Sets the IP length (and, for IPv4, the identification, the large frame's plus
     * the segment's index, and the header checksum), TCP's sequence number and flags (FIN and PSH only
     * on the last segment, CWR only on the first) or UDP's length, and the checksum: {@code partial}
     * is the large frame's checksum field, the pseudo-header sum over {@code wholeL4} bytes, which the
     * segment's own length replaces.
     */
    public static void segment(
            MemorySegment m,
            long frame,
            int length,
            int l3,
            int l4,
            boolean tcp,
            int index,
            int payloadOffset,
            boolean last,
            int partial,
            int wholeL4) {
        ipLength(m, frame + l3, length - l3, index);
        long upper = frame + l4;
        int upperLength = length - l4;
        int field;
        if (tcp) {
            Bytes.u32(m, upper + 4, Bytes.u32(m, upper + 4) + payloadOffset);
            int flags = Bytes.u8(m, upper + 13);
            if (!last) {
                flags &= ~(TCP_FIN | TCP_PSH);
            }
            if (index > 0) {
                flags &= ~TCP_CWR;
            }
            Bytes.u8(m, upper + 13, flags);
            field = 16;
        } else {
            Bytes.u16(m, upper + 4, upperLength);
            field = 6;
        }
        // one's complement: take the whole length out of the pseudo-header sum, put the segment's in
        int pseudo = Checksum.fold((long) partial + (~wholeL4 & 0xffff) + upperLength);
        Bytes.u16(m, upper + field, pseudo);
        int check = ~Checksum.sum(m, upper, upperLength) & 0xffff;
        // 0 as 0xffff for UDP only, where 0 means none (RFC 768); TCP's stays as computed, as the
        // kernel's TCP segmentation leaves it, so that a segment cut again is the segment that came
        Bytes.u16(m, upper + field, check == 0 && !tcp ? 0xffff : check);
    }
}
