package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.Deployment.VpcInfo;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One VPC's network as AWS builds it: no L2 to speak of, a virtual router that every frame goes
 * through, a route table (the VPC's own CIDR is local; other prefixes point at a router's inside ENI),
 * and an internet gateway for IPv6 destinations outside the VPC's block.
 *
 * <pre>
 *   host ENI ─┐                      ┌─► owner ENI (address or delegated prefix)
 *  router ENI ┼─► fromEni ── route ──┼─► route-table target ENI (remote IPv4 prefixes)
 *   Internet ─┘                      └─► Internet (IPv6 outside the block) ──► other VpcFabric
 * </pre>
 */
final class VpcFabric {
    /** One-way delay between two ENIs of one VPC (same-AZ EC2 round trips are ~50 µs). */
    static final long INTRA_VPC_NANOS = 25_000;

    private record RouteEntry(Prefix prefix, Eni target) {}

    final VpcInfo info;
    final String regionName;
    final MacAddress gatewayMac;
    private final EventLoop loop;
    private final Internet internet;
    private final List<Eni> enis = new ArrayList<>();
    private final List<RouteEntry> routeTable = new ArrayList<>();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong noRoute = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();

    VpcFabric(VpcInfo info, String regionName, MacAddress gatewayMac, EventLoop loop, Internet internet) {
        this.info = info;
        this.regionName = regionName;
        this.gatewayMac = gatewayMac;
        this.loop = loop;
        this.internet = internet;
    }

    void attach(Eni eni) {
        enis.add(eni);
    }

    /** A route-table entry: traffic to {@code prefix} goes to {@code target} (a router's inside ENI). */
    void route(Prefix prefix, Eni target) {
        routeTable.add(new RouteEntry(prefix, target));
    }

    boolean ownsIpv6(InetAddress a) {
        return info.ipv6() != null && info.ipv6().contains(a);
    }

    /** A frame sent by one of this VPC's ENIs. Runs on the loop. */
    void fromEni(Eni source, byte[] frame) {
        InetAddress dst = Frames.destination(frame);
        if (dst == null) {
            malformed.incrementAndGet();
            return;
        }
        if (dst instanceof Inet6Address && !ownsIpv6(dst)) {
            internet.send(this, frame);
            return;
        }
        Eni target = lookup(dst);
        if (target == null || target == source) {
            noRoute.incrementAndGet();
            return;
        }
        deliver(target, frame, INTRA_VPC_NANOS);
    }

    /** A frame that crossed the internet to an address in this VPC's IPv6 block. Runs on the loop. */
    void fromInternet(byte[] frame) {
        InetAddress dst = Frames.destination(frame);
        Eni target = dst == null ? null : lookup(dst);
        if (target == null) {
            noRoute.incrementAndGet();
            return;
        }
        deliver(target, frame, 0);
    }

    private Eni lookup(InetAddress dst) {
        for (Eni e : enis) {
            if (e.addresses().contains(dst)) {
                return e;
            }
        }
        for (Eni e : enis) {
            if (e.owns(dst)) {
                return e;
            }
        }
        RouteEntry best = null;
        for (RouteEntry r : routeTable) {
            if (r.prefix().contains(dst)
                    && (best == null || r.prefix().length() > best.prefix().length())) {
                best = r;
            }
        }
        return best == null ? null : best.target();
    }

    private void deliver(Eni target, byte[] frame, long delayNanos) {
        Frames.setMacs(frame, target.mac(), gatewayMac);
        delivered.incrementAndGet();
        if (delayNanos == 0) {
            target.receiver().accept(frame);
        } else {
            loop.at(System.nanoTime() + delayNanos, () -> target.receiver().accept(frame));
        }
    }
}
