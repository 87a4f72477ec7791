package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.model.FlowKey;
import dev.srv6sh.cloud.model.TokenBucket;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What lies between the emulated VPCs' internet gateways: the AWS backbone between regions. A frame
 * leaving one gateway arrives at the VPC that owns its destination (an IPv6 block, or an instance's
 * public IPv4 address) after half the two regions' round-trip time plus a small seeded jitter
 * ({@link Jitter}), shaped per flow to {@link LinkModel#perFlowBps()}; frames of one link keep their
 * order unless the model lets them reorder.
 */
final class Internet {
    private final EventLoop loop;
    private final LinkModel model;
    private final List<VpcFabric> fabrics = new ArrayList<>();
    private final Map<Inet4Address, VpcFabric> publicOwners = new HashMap<>();
    private final Map<String, String> regionCodes;
    private final Map<String, Duration> overrides = new HashMap<>();
    private final Map<Long, Flow> flows = new HashMap<>();
    /** IPv6 destinations already placed in a VPC's block (so the hot path tests no prefixes). */
    private final Map<InetAddress, VpcFabric> placed = new HashMap<>();

    private final Jitter jitter;
    private long[][] lastArrival = new long[0][0];
    private long[][] links = new long[0][0];
    /** RTT/2 between two fabrics (ns), or -1 until first asked: the hot path neither hashes nor parses. */
    private long[][] oneWay = new long[0][0];

    final AtomicLong unreachable = new AtomicLong();
    final AtomicLong flowDrops = new AtomicLong();

    /** regionCodes maps a region's name to its AWS code (null for an emulation-only site). */
    Internet(EventLoop loop, Map<String, String> regionCodes, LinkModel model) {
        this.loop = loop;
        this.regionCodes = regionCodes;
        this.model = model;
        this.jitter = new Jitter(model.seed(), model.jitterNanos());
    }

    /** What the internet keeps per flow: its shaper, and how many of its frames crossed (for the jitter). */
    private static final class Flow {
        final TokenBucket bucket;
        long crossed;

        Flow(TokenBucket bucket) {
            this.bucket = bucket;
        }
    }

    void add(VpcFabric fabric) {
        placed.clear();
        fabric.index = fabrics.size();
        fabrics.add(fabric);
        int n = fabrics.size();
        lastArrival = new long[n][n];
        links = new long[n][n];
        oneWay = new long[n][n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(lastArrival[i], Long.MIN_VALUE);
            java.util.Arrays.fill(oneWay[i], -1);
            for (int j = 0; j < n; j++) {
                links[i][j] = jitter.link(
                        fabrics.get(i).info.name(), fabrics.get(j).info.name());
            }
        }
    }

    /** An instance's public IPv4 address is reached through the gateway of {@code fabric}. */
    void publish(Inet4Address address, VpcFabric fabric) {
        publicOwners.put(address, fabric);
    }

    /** An {@code rtt A B D} override between two regions (by name). */
    void override(String a, String b, Duration rtt) {
        overrides.put(key(a, b), rtt);
        for (long[] row : oneWay) {
            java.util.Arrays.fill(row, -1);
        }
    }

    private static String key(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
    }

    /** The emulated round-trip time between two regions (by name). */
    Duration rtt(String regionA, String regionB) {
        Duration o = overrides.get(key(regionA, regionB));
        if (o != null) {
            return o;
        }
        if (regionA.equals(regionB)) {
            return RttModel.SAME_REGION;
        }
        return RttModel.rtt(regionCodes.get(regionA), regionCodes.get(regionB));
    }

    /** A frame that leaves {@code from}'s gateway at {@code departure} (ns). Runs on the loop. */
    void send(VpcFabric from, byte[] frame, long departure) {
        VpcFabric to = owner(Frames.destination(frame));
        if (to == null) {
            unreachable.incrementAndGet();
            return;
        }
        Flow flow = flows.computeIfAbsent(flowKey(frame), k -> new Flow(model.bucket(model.perFlowBps())));
        long shaped = flow.bucket.admit(departure, frame.length);
        if (shaped < 0) {
            flowDrops.incrementAndGet();
            return;
        }
        long delay = oneWay[from.index][to.index];
        if (delay < 0) {
            delay = rtt(from.regionName, to.regionName).toNanos() / 2;
            oneWay[from.index][to.index] = delay;
        }
        loop.at(arrival(from.index, to.index, shaped, delay, flow.crossed++), () -> to.fromInternet(frame));
    }

    private VpcFabric owner(InetAddress dst) {
        if (dst instanceof Inet4Address a4) {
            return publicOwners.get(a4);
        }
        if (dst instanceof Inet6Address) {
            VpcFabric known = placed.get(dst);
            if (known != null) {
                return known;
            }
            for (VpcFabric f : fabrics) {
                if (f.ownsIpv6(dst)) {
                    if (placed.size() < 4096) {
                        placed.put(dst, f);
                    }
                    return f;
                }
            }
        }
        return null;
    }

    /**
     * When the {@code n}-th frame of its flow, leaving fabric {@code from} at {@code departure}, reaches
     * fabric {@code to}: the one-way delay plus the link's n-th jitter, and, unless the model reorders,
     * no earlier than the frame before it on the same link.
     */
    long arrival(int from, int to, long departure, long oneWay, long n) {
        long at = departure + oneWay + jitter.of(links[from][to], n, oneWay);
        if (!model.reorder()) {
            at = Math.max(at, lastArrival[from][to]);
            lastArrival[from][to] = at;
        }
        return at;
    }

    /** A frame's flow as AWS counts flows ({@link FlowKey}, which the netns link daemon keys on too). */
    static long flowKey(byte[] f) {
        return FlowKey.of(MemorySegment.ofArray(f), 0, f.length);
    }
}
