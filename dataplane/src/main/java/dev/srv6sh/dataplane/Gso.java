package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.port.BufferPool;
import dev.srv6sh.dataplane.port.linux.Offload;
import dev.srv6sh.dataplane.proto.Bytes;
import java.lang.foreign.MemorySegment;

/**
 * Cutting a large send (a buffer with {@link Buffers#gsoSize}) into the packets it stands for, for a
 * port that does not take it whole ({@link dev.srv6sh.dataplane.port.Port#takesLargeSends}) or a frame
 * its device could not cut (a tunnel's: an SRv6 encapsulation in front of the TCP/IP packet). What
 * Linux's GSO does in software ({@code skb_gso_segment}), tunnels included, for the headers this data
 * plane writes: Ethernet (a VLAN tag), IPv4, IPv6 with Hop-by-Hop, Routing (the SRH) and Destination
 * Options headers, IPv4 or IPv6 or Ethernet inside IPv6 (H.Encaps, H.Encaps.L2), then TCP or UDP.
 *
 * <p>Each segment is a small buffer: the large frame's headers, then its share of the payload. Every
 * IP header's length is its own segment's, every IPv4 header gets the large one's identification
 * plus the segment's index and its checksum again; TCP gets its sequence number, FIN and PSH on the
 * last segment only and CWR on the first only, UDP its length; and the transport checksum, which a
 * large send carries as the pseudo-header's sum over its whole length ({@code CHECKSUM_PARTIAL}, as
 * the kernel hands it over), is completed for the segment. The engine's thread, no allocation.
 */
public final class Gso {
    private static final int MAX_LAYERS = 4;
    private static final int ETH_IP4 = 0x0800;
    private static final int ETH_IP6 = 0x86dd;
    private static final int ETH_VLAN = 0x8100;
    private static final int ETH_QINQ = 0x88a8;
    static final int TCP = 6;
    static final int UDP = 17;

    /** The IP headers of the frame walked last, outermost first (bytes from the frame's start), and their versions. */
    private final int[] ip = new int[MAX_LAYERS];

    private final boolean[] v4 = new boolean[MAX_LAYERS];
    private int layers;
    /** The transport header of the frame walked last, and its protocol. */
    private int l4;

    private int transport;
    /**
     * Whether the frame walked last has one IP header with no extension header, right behind an
     * Ethernet header with no tag.
     */
    private boolean plain;

    private boolean extensions;

    /**
     * Walks the headers of the frame of {@code length} bytes at {@code frame} up to {@code payload}
     * (bytes from its start): true when they are headers this class cuts, ending with TCP or UDP
     * exactly there.
     */
    public boolean walk(MemorySegment m, long frame, int length, int payload) {
        layers = 0;
        plain = false;
        extensions = false;
        if (payload > length || payload < 14 + 20 + 8) {
            return false;
        }
        int pos = 12;
        int type = Bytes.u16(m, frame + pos);
        boolean tagged = false;
        if (type == ETH_VLAN || type == ETH_QINQ) {
            tagged = true;
            pos += 4;
            type = Bytes.u16(m, frame + pos);
        }
        pos += 2;
        while (true) {
            int nh;
            if (layers == MAX_LAYERS || pos + 20 > payload) {
                return false;
            }
            if (type == ETH_IP4) {
                int first = Bytes.u8(m, frame + pos);
                int ihl = (first & 0xf) * 4;
                if (first >>> 4 != 4 || ihl < 20 || (Bytes.u16(m, frame + pos + 6) & 0x3fff) != 0) {
                    return false; // not IPv4, or a fragment
                }
                v4[layers] = true;
                ip[layers++] = pos;
                nh = Bytes.u8(m, frame + pos + 9);
                pos += ihl;
            } else if (type == ETH_IP6) {
                if (Bytes.u8(m, frame + pos) >>> 4 != 6 || pos + 40 > payload) {
                    return false;
                }
                v4[layers] = false;
                ip[layers++] = pos;
                nh = Bytes.u8(m, frame + pos + 6);
                pos += 40;
                while (nh == 0 || nh == 43 || nh == 60) {
                    if (pos + 8 > payload) {
                        return false;
                    }
                    extensions = true;
                    int next = Bytes.u8(m, frame + pos);
                    pos += (Bytes.u8(m, frame + pos + 1) + 1) * 8;
                    nh = next;
                }
            } else {
                return false;
            }
            switch (nh) {
                case 4 -> type = ETH_IP4;
                case 41 -> type = ETH_IP6;
                case 143 -> {
                    if (pos + 14 > payload) {
                        return false;
                    }
                    type = Bytes.u16(m, frame + pos + 12);
                    pos += 14;
                }
                case TCP -> {
                    if (pos + 20 > payload || pos + (Bytes.u8(m, frame + pos + 12) >>> 4) * 4 != payload) {
                        return false;
                    }
                    return found(pos, TCP, tagged);
                }
                case UDP -> {
                    return pos + 8 == payload && found(pos, UDP, tagged);
                }
                default -> {
                    return false;
                }
            }
        }
    }

    private boolean found(int at, int protocol, boolean tagged) {
        l4 = at;
        transport = protocol;
        plain = layers == 1 && !tagged && !extensions;
        return true;
    }

    /**
     * Whether the frame walked last is one a device cuts itself ({@code virtio_net_hdr}): one IP
     * header behind an untagged Ethernet header, then straight the transport of the large send's
     * {@code kind}.
     */
    boolean plain(int kind) {
        if (!plain) {
            return false;
        }
        return switch (kind) {
            case BufferPool.GSO_TCPV4 -> transport == TCP && v4[0];
            case BufferPool.GSO_TCPV6 -> transport == TCP && !v4[0];
            case BufferPool.GSO_UDP_L4 -> transport == UDP;
            default -> false;
        };
    }

    /**
     * Whether the frame walked last carries the transport of a large send of {@code kind} on the IP
     * version it names, as its innermost IP header: a tunnel's large send names its inner packet's.
     */
    public boolean carries(int kind) {
        return switch (kind) {
            case BufferPool.GSO_TCPV4 -> transport == TCP && v4[layers - 1];
            case BufferPool.GSO_TCPV6 -> transport == TCP && !v4[layers - 1];
            case BufferPool.GSO_UDP_L4 -> transport == UDP;
            default -> false;
        };
    }

    /** The transport header of the frame walked last, from its start. */
    public int l4() {
        return l4;
    }

    /** TCP or UDP. */
    int transport() {
        return transport;
    }

    /**
     * How many segments of at most {@code size} payload bytes a large frame walked last has, with
     * {@code payload} bytes of headers in {@code length}; the size a segment gets is {@link #size}.
     */
    static int count(int length, int payload, int size) {
        int bytes = length - payload;
        return Math.max(1, (bytes + size - 1) / size);
    }

    /**
     * The payload per segment: the large send's own, or less for TCP when a segment with its headers
     * would not fit a buffer (a byte stream may be cut anywhere); 0 when it cannot be cut to fit.
     */
    int size(int gsoSize, int payload) {
        int room = BufferPool.MAX_FRAME - payload;
        if (gsoSize <= room) {
            return gsoSize;
        }
        return transport == TCP && room > 0 ? room : 0;
    }

    /**
     * Writes segment {@code index} of the large frame walked last ({@code length} bytes at {@code
     * frame}, headers up to {@code payload}) at {@code to}: its headers, {@code bytes} bytes of payload
     * from {@code offset}, and every header field that differs from the large frame's.
     */
    void segment(
            MemorySegment m,
            long frame,
            int length,
            int payload,
            int index,
            int offset,
            int bytes,
            boolean last,
            long to) {
        MemorySegment.copy(m, frame, m, to, payload);
        MemorySegment.copy(m, frame + payload + offset, m, to + payload, bytes);
        fields(m, to, 0, payload + bytes, length, index, offset, last);
    }

    /**
     * Sets the header fields of segment {@code index} of the large frame walked last ({@code length}
     * bytes): {@code segLength} bytes at {@code to}, its headers and then its payload from {@code
     * offset}, every header {@code shift} bytes further than in the large frame (a VLAN tag put back
     * in front): every IP header's length, and the transport's header and checksum
     * ({@link Offload#segment}).
     */
    public void fields(
            MemorySegment m, long to, int shift, int segLength, int length, int index, int offset, boolean last) {
        for (int j = 0; j < layers - 1; j++) {
            Offload.ipLength(m, to + shift + ip[j], segLength - shift - ip[j], index);
        }
        // the transport's own IP header, the transport and its checksum
        int inner = ip[layers - 1];
        int wholeL4 = length - l4;
        int partial = Bytes.u16(m, to + shift + l4 + (transport == TCP ? 16 : 6));
        Offload.segment(
                m, to, segLength, inner + shift, l4 + shift, transport == TCP, index, offset, last, partial, wholeL4);
    }
}
