package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.Deployment.VpcInfo;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One VPC's network as AWS builds it: no L2 to speak of, a virtual router that every frame goes
 * through, a route table (the VPC's own CIDR is local; other prefixes point at a router's inside ENI),
 * and an internet gateway for IPv6 destinations outside the VPC's block and for IPv4 destinations
 * outside its CIDR, which it reaches from an instance's public address (1:1 NAT, {@link Nat}).
 *
 * <pre>
 *   host ENI ─┐                      ┌─► owner ENI (address or delegated prefix)
 *  router ENI ┼─► fromEni ── route ──┼─► route-table target ENI (remote IPv4 prefixes)
 *   Internet ─┘   (sender's          ├─► Internet (IPv6 outside the block) ──► other VpcFabric
 *                  instance shapes)  └─► NAT source → public ─► Internet ──► NAT public → private
 * </pre>
 */
final class VpcFabric {
    /** One-way delay between two ENIs of one VPC (same-AZ EC2 round trips are ~50 µs). */
    static final long INTRA_VPC_NANOS = 25_000;

    private record RouteEntry(Prefix prefix, Eni target) {}

    final VpcInfo info;
    final String regionName;
    final MacAddress gatewayMac;
    /** This fabric's position in the {@link Internet}'s link tables. */
    int index;

    private final EventLoop loop;
    private final Internet internet;
    private final List<Eni> enis = new ArrayList<>();
    private final List<RouteEntry> routeTable = new ArrayList<>();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong noRoute = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();
    /** Frames the sender's instance shaper dropped (its queue was full). */
    final AtomicLong shaped = new AtomicLong();
    /** IPv4 frames for the internet from an address the gateway has no public address for. */
    final AtomicLong noPublicAddress = new AtomicLong();

    /** Destinations already looked up: routing every frame by list scans and prefix tests costs real time. */
    private final Map<InetAddress, Eni> routed = new HashMap<>();

    private final Map<Integer, Inet4Address> publicOf = new HashMap<>();
    private final Map<Integer, Inet4Address> privateOf = new HashMap<>();

    VpcFabric(VpcInfo info, String regionName, MacAddress gatewayMac, EventLoop loop, Internet internet) {
        this.info = info;
        this.regionName = regionName;
        this.gatewayMac = gatewayMac;
        this.loop = loop;
        this.internet = internet;
    }

    void attach(Eni eni) {
        enis.add(eni);
        routed.clear();
    }

    /** A route-table entry: traffic to {@code prefix} goes to {@code target} (a router's inside ENI). */
    void route(Prefix prefix, Eni target) {
        routeTable.add(new RouteEntry(prefix, target));
        routed.clear();
    }

    /** The internet gateway maps {@code privateAddress} to {@code publicAddress} and back. */
    void nat(Inet4Address privateAddress, Inet4Address publicAddress) {
        publicOf.put(Addresses.toInt(privateAddress), publicAddress);
        privateOf.put(Addresses.toInt(publicAddress), privateAddress);
        internet.publish(publicAddress, this);
    }

    boolean ownsIpv6(InetAddress a) {
        return info.ipv6() != null && info.ipv6().contains(a);
    }

    /** A frame one of this VPC's ENIs sends now. Runs on the loop. */
    void fromEni(Eni source, byte[] frame) {
        fromEni(source, frame, loop.now());
    }

    /**
     * A frame one of this VPC's ENIs sends at virtual time {@code sentAt}, now or later (a router hands
     * over what it transmits when it has finished the run that made it). Runs on the loop.
     */
    void fromEni(Eni source, byte[] frame, long sentAt) {
        InetAddress dst = Frames.destination(frame);
        if (dst == null) {
            malformed.incrementAndGet();
            return;
        }
        if (dst instanceof Inet6Address && !ownsIpv6(dst)) {
            toInternet(source, frame, sentAt);
            return;
        }
        Eni target = lookup(dst);
        if (target == null && dst instanceof Inet4Address && !info.cidr().contains(dst)) {
            natOut(source, frame, sentAt);
            return;
        }
        if (target == null || target == source) {
            noRoute.incrementAndGet();
            return;
        }
        long departure = source.instance().send(sentAt, frame.length, false);
        if (departure < 0) {
            shaped.incrementAndGet();
            return;
        }
        Frames.setMacs(frame, target.mac(), gatewayMac);
        delivered.incrementAndGet();
        loop.at(departure + INTRA_VPC_NANOS, () -> target.receiver().accept(frame));
    }

    /** IPv4 to an address outside the VPC: the gateway swaps the private source for its public one. */
    private void natOut(Eni source, byte[] frame, long sentAt) {
        Inet4Address pub = Nat.translatable(frame) ? publicOf.get(Nat.source(frame)) : null;
        if (pub == null) {
            noPublicAddress.incrementAndGet();
            return;
        }
        Nat.rewriteSource(frame, Addresses.toInt(pub));
        toInternet(source, frame, sentAt);
    }

    private void toInternet(Eni source, byte[] frame, long sentAt) {
        long departure = source.instance().send(sentAt, frame.length, true);
        if (departure < 0) {
            shaped.incrementAndGet();
            return;
        }
        // No hop delay here: the region pair's RTT is a measured instance-to-instance figure, which
        // already holds the way out of and into each VPC; only the detour through a router is extra.
        internet.send(this, frame, departure);
    }

    /**
     * A frame that crossed the internet to this VPC: to an address in its IPv6 block, or to one of its
     * instances' public IPv4 addresses, which the gateway maps back to the private one. Runs on the loop.
     */
    void fromInternet(byte[] frame) {
        if (Frames.etherType(frame) == dev.srv6sh.dataplane.proto.Ethernet.TYPE_IP4) {
            Inet4Address priv = Nat.translatable(frame) ? privateOf.get(Nat.destination(frame)) : null;
            if (priv == null) {
                noRoute.incrementAndGet();
                return;
            }
            Nat.rewriteDestination(frame, Addresses.toInt(priv));
        }
        InetAddress dst = Frames.destination(frame);
        Eni target = dst == null ? null : lookup(dst);
        if (target == null) {
            noRoute.incrementAndGet();
            return;
        }
        // no hop delay from the gateway either (above); the frame reaches its ENI in this same event
        Frames.setMacs(frame, target.mac(), gatewayMac);
        delivered.incrementAndGet();
        target.receiver().accept(frame);
    }

    private Eni lookup(InetAddress dst) {
        Eni known = routed.get(dst);
        if (known != null) {
            return known;
        }
        Eni found = scan(dst);
        if (found != null && routed.size() < 4096) {
            routed.put(dst, found);
        }
        return found;
    }

    private Eni scan(InetAddress dst) {
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
}
