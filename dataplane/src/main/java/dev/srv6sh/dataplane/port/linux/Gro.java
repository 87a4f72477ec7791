package dev.srv6sh.dataplane.port.linux;

import dev.srv6sh.dataplane.port.BufferPool;
import dev.srv6sh.dataplane.port.RxBurst;
import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Checksum;
import java.lang.foreign.MemorySegment;

/**
 * Receive coalescing (GRO) within one receive burst: consecutive TCP segments of one flow become one
 * large send in a large buffer ({@link BufferPool#allocateLarge}), which the graph forwards once and a
 * port cuts again on the way out, exactly into the segments it was made of (or a device does:
 * {@link dev.srv6sh.dataplane.port.Port#takesLargeSends}). Linux's GRO, for the frames an SRv6 router
 * carries: TCP over IPv4 or IPv6, bare or inside IPv6 with an SRH (H.Encaps), up to {@value
 * #MAX_LAYERS} IP headers deep.
 *
 * <p>A segment joins the flow's large send only when nothing would be lost by cutting it again
 * (Linux's rules): every header byte the same as the first segment's but the IP lengths, IPv4's
 * identification (the first's plus the segment's place) and header checksum, TCP's sequence number
 * (where the previous segment ended), its PSH flag and its checksum, which must be right; TCP flags
 * ACK and at most PSH; no IPv4 fragment or option; a payload of the first segment's size, or smaller
 * for the last, which, like one with PSH, ends the send. Anything else ends the flow's send and starts
 * another. A send is at most {@value #MAX_L3} bytes of IP, so that an encapsulation still fits an IPv6
 * packet. The coalesced send's TCP checksum is the pseudo-header's sum over its length, left for the
 * cutting to complete per segment ({@code CHECKSUM_PARTIAL}).
 *
 * <p>One per port, on the engine's thread, no allocation.
 */
public final class Gro {
    static final int MAX_FLOWS = 8;
    static final int MAX_LAYERS = 3;
    /** The most IP bytes (outermost header on) of a coalesced send. */
    static final int MAX_L3 = 65_535 - 1024;

    private static final int ETH_IP4 = 0x0800;
    private static final int ETH_IP6 = 0x86dd;
    private static final int TCP_ACK = 0x10;
    private static final int TCP_PSH = 0x08;

    private final BufferPool pool;
    private final MemorySegment memory;

    // the frame parsed last (offer), kept to open a flow with if it found none
    private final int[] ip = new int[MAX_LAYERS];
    private final boolean[] v4 = new boolean[MAX_LAYERS];
    private int layers;
    private int l4;
    private int payload; // where the TCP payload starts
    private int end; // where the outermost IP packet ends
    private boolean candidate;

    // the open flows: rx index, buffer (large once a segment joined), and the first segment's shape
    private int flows;
    private final int[] index = new int[MAX_FLOWS];
    private final int[] large = new int[MAX_FLOWS];
    private final int[] segments = new int[MAX_FLOWS];
    private final int[] size = new int[MAX_FLOWS];
    private final int[] length = new int[MAX_FLOWS];
    private final int[] nextSeq = new int[MAX_FLOWS];
    private final boolean[] closed = new boolean[MAX_FLOWS];
    private final boolean[] push = new boolean[MAX_FLOWS];
    private final int[][] flowIp = new int[MAX_FLOWS][MAX_LAYERS];
    private final boolean[][] flowV4 = new boolean[MAX_FLOWS][MAX_LAYERS];
    private final int[] flowLayers = new int[MAX_FLOWS];
    private final int[] flowL4 = new int[MAX_FLOWS];
    private final int[] flowPayload = new int[MAX_FLOWS];
    /** Whether the kernel vouched for each flow's first segment's TCP checksum, and for the frame offered last's. */
    private final boolean[] headValid = new boolean[MAX_FLOWS];

    private boolean valid;

    private long coalesced;
    private long sends;

    public Gro(BufferPool pool) {
        this.pool = pool;
        this.memory = pool.memory();
    }

    /** Segments that joined a large send, and the large sends made. */
    public long coalesced() {
        return coalesced;
    }

    public long sends() {
        return sends;
    }

    /**
     * Offers a received frame ({@code snap} bytes at {@code frame} in {@code from}, its checksum
     * complete, no VLAN tag taken off): true when it joined an open flow's large send (the caller
     * takes it no further); false when the caller adds it to the burst as usual and then calls {@link
     * #added}. {@code checksumValid} when the kernel vouches for the frame's TCP checksum ({@link
     * Offload#DATA_VALID}), which is then not computed again, as Linux's GRO trusts {@code
     * CHECKSUM_UNNECESSARY}; IPv4 header checksums are checked all the same.
     */
    public boolean offer(RxBurst rx, MemorySegment from, long frame, int snap, boolean checksumValid) {
        valid = checksumValid;
        l4 = -1;
        candidate = parse(from, frame, snap);
        if (!candidate) {
            if (l4 >= 0) {
                // a TCP segment that does not join (an ACK alone, a SYN, a FIN...): the open send of
                // its connection ends, so that no later segment of it overtakes this one
                closeConnection(rx, from, frame);
            }
            return false;
        }
        for (int f = 0; f < flows; f++) {
            if (closed[f] || flowPayload[f] != payload || flowLayers[f] != layers) {
                continue;
            }
            long head = large[f] >= 0 ? BufferPool.frameOffset(large[f]) : frameAt(rx, index[f]);
            if (!sameFlow(from, frame, head)) {
                continue;
            }
            if (join(rx, f, from, frame, head)) {
                return true;
            }
            closed[f] = true; // out of order, or not of the send's shape: the send ends, this one starts the next
            return false;
        }
        closeConnection(rx, from, frame); // its connection's headers changed (a window update...)
        return false;
    }

    /** Ends the open sends whose TCP ports are those of the segment parsed last (addresses aside: the cheaper test). */
    private void closeConnection(RxBurst rx, MemorySegment from, long frame) {
        int ports = Bytes.u32(from, frame + l4);
        for (int f = 0; f < flows; f++) {
            long head = large[f] >= 0 ? BufferPool.frameOffset(large[f]) : frameAt(rx, index[f]);
            if (Bytes.u32(memory, head + flowL4[f]) == ports) {
                closed[f] = true;
            }
        }
    }

    /** The frame {@link #offer} declined is now frame {@code k} of the burst: it may start a flow's send. */
    public void added(RxBurst rx, int k) {
        if (!candidate || flows == MAX_FLOWS || rx.buffer(k) < 0) {
            return;
        }
        int f = flows++;
        index[f] = k;
        large[f] = -1;
        segments[f] = 1;
        size[f] = end - payload;
        length[f] = end;
        closed[f] = (Bytes.u8(memory, frameAt(rx, k) + l4 + 13) & TCP_PSH) != 0 || end > MAX_L3;
        push[f] = false;
        nextSeq[f] = Bytes.u32(memory, frameAt(rx, k) + l4 + 4) + size[f];
        System.arraycopy(ip, 0, flowIp[f], 0, layers);
        System.arraycopy(v4, 0, flowV4[f], 0, layers);
        flowLayers[f] = layers;
        flowL4[f] = l4;
        flowPayload[f] = payload;
        headValid[f] = valid;
    }

    /** Ends every flow's send of the burst: each coalesced one gets its headers for its whole length. */
    public void finish(RxBurst rx) {
        for (int f = 0; f < flows; f++) {
            if (large[f] >= 0) {
                seal(f);
            }
        }
        flows = 0;
    }

    private static long frameAt(RxBurst rx, int k) {
        return (long) rx.buffer(k) * BufferPool.BUFFER_SIZE + rx.offset(k);
    }

    /**
     * Parses a frame into {@link #ip}, {@link #l4}, {@link #payload} and {@link #end}: true when it is
     * a TCP segment with data that may join a send.
     */
    private boolean parse(MemorySegment m, long frame, int snap) {
        if (snap < 14 + 20 + 20) {
            return false;
        }
        int type = Bytes.u16(m, frame + 12);
        int pos = 14;
        layers = 0;
        end = -1;
        while (true) {
            if (layers == MAX_LAYERS || pos + 40 > snap) {
                return false;
            }
            int nh;
            int ipEnd;
            if (type == ETH_IP4) {
                int first = Bytes.u8(m, frame + pos);
                if (first != 0x45
                        || (Bytes.u16(m, frame + pos + 6) & 0xbfff) != 0x0000
                        || (Bytes.u16(m, frame + pos + 6) & 0x4000) == 0) {
                    return false; // options, a fragment, or DF clear
                }
                ipEnd = pos + Bytes.u16(m, frame + pos + 2);
                v4[layers] = true;
                ip[layers++] = pos;
                nh = Bytes.u8(m, frame + pos + 9);
                pos += 20;
            } else if (type == ETH_IP6) {
                if (Bytes.u8(m, frame + pos) >>> 4 != 6) {
                    return false;
                }
                ipEnd = pos + 40 + Bytes.u16(m, frame + pos + 4);
                v4[layers] = false;
                ip[layers++] = pos;
                nh = Bytes.u8(m, frame + pos + 6);
                pos += 40;
                if (nh == 43 && layers == 1) { // an SRH, in an outer header only
                    if (pos + 8 > snap) {
                        return false;
                    }
                    nh = Bytes.u8(m, frame + pos);
                    pos += (Bytes.u8(m, frame + pos + 1) + 1) * 8;
                }
            } else {
                return false;
            }
            if (end < 0) {
                end = ipEnd;
                if (end != snap) {
                    return false; // padding, or a length that does not hold
                }
            } else if (ipEnd != end) {
                return false;
            }
            if (nh == 4) {
                type = ETH_IP4;
            } else if (nh == 41) {
                type = ETH_IP6;
            } else if (nh == 6) {
                if (pos + 20 > snap) {
                    return false;
                }
                int flags = Bytes.u8(m, frame + pos + 13);
                int doff = (Bytes.u8(m, frame + pos + 12) >>> 4) * 4;
                l4 = pos; // a TCP segment, joining or not
                if ((flags & ~TCP_PSH) != TCP_ACK || doff < 20 || pos + doff >= snap) {
                    return false; // not plain data (SYN, FIN, RST, URG, ECE, CWR), or no payload
                }
                l4 = pos;
                payload = pos + doff;
                return true;
            } else {
                return false;
            }
        }
    }

    /** Whether the frame parsed last is of flow {@code head}'s: every header byte but those that differ per segment. */
    private boolean sameFlow(MemorySegment from, long frame, long head) {
        int at = 0;
        for (int j = 0; j < layers; j++) {
            int p = ip[j];
            if (v4[j]) {
                // ver..tos | (total length) | (identification) | flags..protocol | (checksum) | addresses
                if (!same(from, frame, head, at, p + 2) || !same(from, frame, head, p + 6, p + 10)) {
                    return false;
                }
                at = p + 12;
            } else {
                // ver..flow label | (payload length) | next header.. addresses, and an SRH
                if (!same(from, frame, head, at, p + 4)) {
                    return false;
                }
                at = p + 6;
            }
        }
        // ports | (sequence) | acknowledgment, offset | (flags) | window | (checksum) | urgent, options
        return same(from, frame, head, at, l4 + 4)
                && same(from, frame, head, l4 + 8, l4 + 13)
                && same(from, frame, head, l4 + 14, l4 + 16)
                && same(from, frame, head, l4 + 18, payload);
    }

    private boolean same(MemorySegment from, long frame, long head, int a, int b) {
        return a >= b || MemorySegment.mismatch(from, frame + a, frame + b, memory, head + a, head + b) < 0;
    }

    /** Appends the frame parsed last to flow {@code f}'s send; false when it may not join. */
    private boolean join(RxBurst rx, int f, MemorySegment from, long frame, long head) {
        int bytes = end - payload;
        if (Bytes.u32(from, frame + l4 + 4) != nextSeq[f]
                || bytes > size[f]
                || length[f] + bytes > MAX_L3
                || !idsFollow(from, frame, head, segments[f])) {
            return false;
        }
        int to = -1;
        if (large[f] < 0) {
            to = pool.allocateLarge();
            if (to < 0) {
                return false; // none free: no checksum computed for nothing
            }
        }
        if (!headersRight(from, frame, end, valid)
                || (to >= 0 && !headersRight(memory, head, length[f], headValid[f]))) {
            if (to >= 0) {
                pool.release(to);
            }
            return false;
        }
        if (to >= 0) {
            int small = rx.buffer(index[f]);
            MemorySegment.copy(memory, head, memory, BufferPool.frameOffset(to), length[f]);
            rx.replace(
                    index[f],
                    to,
                    length[f],
                    v4[layers - 1] ? BufferPool.GSO_TCPV4 : BufferPool.GSO_TCPV6,
                    size[f],
                    payload);
            pool.release(small);
            large[f] = to;
            head = BufferPool.frameOffset(to);
        }
        MemorySegment.copy(from, frame + payload, memory, head + length[f], bytes);
        length[f] += bytes;
        rx.grow(index[f], length[f]);
        segments[f]++;
        nextSeq[f] += bytes;
        coalesced++;
        boolean psh = (Bytes.u8(from, frame + l4 + 13) & TCP_PSH) != 0;
        if (psh || bytes < size[f]) {
            push[f] = psh;
            closed[f] = true;
        }
        return true;
    }

    /** Whether each IPv4 header's identification is the first segment's plus {@code n}, as a cut send's are. */
    private boolean idsFollow(MemorySegment from, long frame, long head, int n) {
        for (int j = 0; j < layers; j++) {
            if (v4[j] && Bytes.u16(from, frame + ip[j] + 4) != ((Bytes.u16(memory, head + ip[j] + 4) + n) & 0xffff)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a segment's IPv4 header checksums and TCP checksum are right (a joining one's, and the
     * first one's once it becomes a send): their headers are rewritten once they are a send, which
     * would make a corrupt one look sound. It has the shape of the frame parsed last (the same flow).
     * The TCP checksum is taken as right when the kernel vouched for it ({@code checksumValid}).
     */
    private boolean headersRight(MemorySegment m, long frame, int frameEnd, boolean checksumValid) {
        for (int j = 0; j < layers; j++) {
            if (v4[j] && Checksum.internet(m, frame + ip[j], 20) != 0) {
                return false;
            }
        }
        return checksumValid || checksumRightAt(m, frame, frameEnd);
    }

    /** Whether the TCP checksum of the segment parsed last, {@code frameEnd} bytes at {@code frame}, is right. */
    private boolean checksumRightAt(MemorySegment m, long frame, int frameEnd) {
        int tcpLength = frameEnd - l4;
        int p = ip[layers - 1];
        long sum = pseudo(m, frame + p, v4[layers - 1], tcpLength) + Checksum.sum(m, frame + l4, tcpLength);
        return Checksum.fold(sum) == 0xffff;
    }

    /** The pseudo-header's sum (unfolded) of the IP header at {@code at}, for {@code tcpLength} bytes of TCP. */
    private static long pseudo(MemorySegment m, long at, boolean v4, int tcpLength) {
        long sum = 6 + tcpLength;
        long from = at + (v4 ? 12 : 8);
        int words = v4 ? 4 : 16;
        for (int w = 0; w < words; w++) {
            sum += Bytes.u16(m, from + 2 * w);
        }
        return sum;
    }

    /**
     * Gives flow {@code f}'s coalesced send its headers: every IP length its own, IPv4 header
     * checksums again, PSH if its last segment had it, and the TCP checksum field the pseudo-header's
     * sum over the send's length.
     */
    private void seal(int f) {
        long head = BufferPool.frameOffset(large[f]);
        int n = flowLayers[f];
        int total = length[f];
        for (int j = 0; j < n; j++) {
            Offload.ipLength(memory, head + flowIp[f][j], total - flowIp[f][j], 0);
        }
        long tcp = head + flowL4[f];
        if (push[f]) {
            Bytes.u8(memory, tcp + 13, Bytes.u8(memory, tcp + 13) | TCP_PSH);
        }
        // the pseudo-header of the innermost IP header (what parse left in ip/v4 may be another frame's)
        long sum = pseudo(memory, head + flowIp[f][n - 1], flowV4[f][n - 1], total - flowL4[f]);
        Bytes.u16(memory, tcp + 16, Checksum.fold(sum));
        sends++;
    }
}
