package dev.srv6sh.cloud.netns;

import dev.srv6sh.cloud.local.Jitter;
import dev.srv6sh.cloud.model.FlowKey;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Ip4;
import dev.srv6sh.dataplane.proto.Ip6;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.util.Arrays;

/**
 * The link daemon's decisions, apart from its ports so that they are tested without root: which VPC
 * a frame is for ({@link #destination}: the VPC whose IPv6 block holds its IPv6 destination, or
 * whose host has its IPv4 destination as public address), and when a frame that leaves one VPC for
 * another arrives ({@link #arrival}): half the regions' RTT plus the link's seeded jitter ({@link
 * Jitter}, as the local backend's {@code Internet}), and never before the frame before it on the
 * same link (local's default model keeps a link's frames in order). Before its delay, such a frame
 * passes its flow's shaper ({@link #depart}: {@link FlowKey} and a {@link FlowTable}, as local's
 * {@code Internet} shapes each flow before the link delays it). Nothing here allocates after
 * construction.
 *
 * <p>One difference from local: the jitter's n-th value goes to the link's n-th frame, not to the
 * n-th frame of each flow, so two flows that share a link draw from one sequence (a ±25 µs jitter,
 * far below what a ping on netns resolves).
 */
final class LinkTable {
    private final long[] v6Hi;
    private final long[] v6Lo;
    private final long[] maskHi;
    private final long[] maskLo;
    /** The public IPv4 addresses, sorted, and the VPC each belongs to. */
    private final int[] publics;

    private final int[] publicOwner;
    private final long[][] oneWay;
    private final long[][] links;
    private final long[][] crossed;
    private final long[][] lastArrival;
    private final Jitter jitter;
    private final FlowTable flows;

    LinkTable(LinksConfig c) {
        this(c, FlowTable.DEFAULT_CAPACITY);
    }

    /** With a flow table of {@code flowCapacity} slots (a power of two). */
    LinkTable(LinksConfig c, int flowCapacity) {
        flows = new FlowTable(c.flow(), flowCapacity);
        int n = c.wires().size();
        v6Hi = new long[n];
        v6Lo = new long[n];
        maskHi = new long[n];
        maskLo = new long[n];
        int count = 0;
        for (LinksConfig.Wire w : c.wires()) {
            count += w.publics().size();
        }
        long[] owned = new long[count]; // address << 32 | owner, sorted by address
        int k = 0;
        for (int i = 0; i < n; i++) {
            LinksConfig.Wire w = c.wires().get(i);
            BigInteger a = new BigInteger(1, w.ipv6().address().getAddress());
            int len = w.ipv6().length();
            maskHi[i] = len == 0 ? 0 : len >= 64 ? -1L : -1L << (64 - len);
            maskLo[i] = len <= 64 ? 0 : len == 128 ? -1L : -1L << (128 - len);
            v6Hi[i] = a.shiftRight(64).longValue() & maskHi[i];
            v6Lo[i] = a.longValue() & maskLo[i];
            for (Inet4Address p : w.publics()) {
                owned[k++] = ((long) Addresses.toInt(p) << 32) | i;
            }
        }
        Arrays.sort(owned);
        publics = new int[count];
        publicOwner = new int[count];
        for (int x = 0; x < count; x++) {
            publics[x] = (int) (owned[x] >> 32);
            publicOwner[x] = (int) owned[x];
        }
        oneWay = c.oneWayNanos();
        jitter = new Jitter(c.seed(), c.jitterNanos());
        links = new long[n][n];
        crossed = new long[n][n];
        lastArrival = new long[n][n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(lastArrival[i], Long.MIN_VALUE);
            for (int j = 0; j < n; j++) {
                links[i][j] =
                        jitter.link(c.wires().get(i).vpc(), c.wires().get(j).vpc());
            }
        }
    }

    /**
     * The VPC (its wire's index) that the Ethernet frame of {@code length} bytes at {@code off} in
     * {@code m} is addressed to, or -1: not IP, too short, or an address no VPC owns (a link address
     * of the uplinks, a multicast group), which the daemon passes at once.
     */
    int destination(MemorySegment m, long off, int length) {
        if (length < Ethernet.LENGTH) {
            return -1;
        }
        int type = Ethernet.type(m, off);
        long ip = off + Ethernet.LENGTH;
        if (type == Ethernet.TYPE_IP6 && length >= Ethernet.LENGTH + Ip6.LENGTH) {
            long hi = Ip6.dstHi(m, ip);
            long lo = Ip6.dstLo(m, ip);
            for (int i = 0; i < v6Hi.length; i++) {
                if ((hi & maskHi[i]) == v6Hi[i] && (lo & maskLo[i]) == v6Lo[i]) {
                    return i;
                }
            }
            return -1;
        }
        if (type == Ethernet.TYPE_IP4 && length >= Ethernet.LENGTH + Ip4.MIN_LENGTH) {
            int x = Arrays.binarySearch(publics, Ip4.dst(m, ip));
            return x >= 0 ? publicOwner[x] : -1;
        }
        return -1;
    }

    /**
     * When the frame of {@code length} bytes at {@code off} in {@code m}, which left its VPC at
     * {@code now} (ns) for another, leaves its flow's shaper: {@code now} when the flow is within its
     * rate, later when the flow's queue holds frames ahead of it, or -1 when that queue is full and
     * the frame is dropped ({@link #shapedDrops}).
     */
    long depart(MemorySegment m, long off, int length, long now) {
        return flows.admit(FlowKey.of(m, off, length), now, length);
    }

    /** Frames dropped by their flow's shaper so far. */
    long shapedDrops() {
        return flows.dropped();
    }

    /** Flows whose slot a new flow took while they were active (the flow table was full). */
    long flowsEvicted() {
        return flows.evictedActive();
    }

    /** The delay of a frame from VPC {@code from} to VPC {@code to}, jitter aside (ns). */
    long oneWay(int from, int to) {
        return oneWay[from][to];
    }

    /**
     * When a frame that left VPC {@code from} for VPC {@code to}'s shaper at {@code now} (ns, any
     * clock; its {@link #depart}) arrives: the one-way delay plus the link's next jitter, and no
     * earlier than the link's previous frame.
     */
    long arrival(int from, int to, long now) {
        long d = oneWay[from][to];
        long at = now + d + jitter.of(links[from][to], crossed[from][to]++, d);
        at = Math.max(at, lastArrival[from][to]);
        lastArrival[from][to] = at;
        return at;
    }
}
