package dev.srv6sh.cloud.local;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The IPv6 internet between emulated VPCs: a frame leaving one VPC's gateway arrives at the VPC whose
 * block holds its destination after half the two regions' round-trip time.
 */
final class Internet {
    private final EventLoop loop;
    private final List<VpcFabric> fabrics = new ArrayList<>();
    private final Map<String, String> regionCodes;
    private final Map<String, Duration> overrides = new HashMap<>();
    final AtomicLong unreachable = new AtomicLong();

    /** regionCodes maps a region's name to its AWS code (null for an emulation-only site). */
    Internet(EventLoop loop, Map<String, String> regionCodes) {
        this.loop = loop;
        this.regionCodes = regionCodes;
    }

    void add(VpcFabric fabric) {
        fabrics.add(fabric);
    }

    /** An {@code rtt A B D} override between two regions (by name). */
    void override(String a, String b, Duration rtt) {
        overrides.put(key(a, b), rtt);
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

    void send(VpcFabric from, byte[] frame) {
        InetAddress dst = Frames.destination(frame);
        for (VpcFabric to : fabrics) {
            if (to.ownsIpv6(dst)) {
                long oneWay = rtt(from.regionName, to.regionName).toNanos() / 2;
                loop.at(System.nanoTime() + oneWay, () -> to.fromInternet(frame));
                return;
            }
        }
        unreachable.incrementAndGet();
    }
}
