package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Arp;
import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Ip6;
import dev.srv6sh.dataplane.proto.Nd;
import java.lang.foreign.MemorySegment;

/**
 * What address resolution puts on the wire or drops: solicitations (ARP requests, NS) in fresh
 * buffers straight to interface-output, the Ethernet header of a packet that waited, and the fate of
 * held packets that cannot be sent (ICMP errors through ip6-icmp-error or ip4-icmp-error, counted
 * under ip4-glean's or ip6-glean's reasons).
 */
final class NeighborOutput {
    private final Engine engine;
    /** Solicitations sent (each one originated packet). */
    long solicitations;
    /** The receive-time base of frames minus the clock, so that timers stamp what they send alike. */
    private long timeBase;

    private boolean timeKnown;

    NeighborOutput(Engine engine) {
        this.engine = engine;
    }

    /** Learns the frames' time base from a packet received at {@code rxTime} and handled at {@code now}. */
    void timeBase(long rxTime, long now) {
        if (rxTime != 0) {
            timeBase = rxTime - now;
            timeKnown = true;
        }
    }

    /** The capture time stamp of a packet a timer sends at clock time {@code now}; 0 before any is known. */
    long stamp(long now) {
        return timeKnown ? now + timeBase : 0;
    }

    /** Puts the Ethernet header towards {@code mac} in front of the IP packet in {@code buf}. */
    static void push(Fib f, Buffers b, int buf, int ifi, long mac) {
        MemorySegment m = b.memory;
        int type = Ip6.version(m, b.at(buf)) == 4 ? Ethernet.TYPE_IP4 : Ethernet.TYPE_IP6;
        b.offset[buf] -= Ethernet.LENGTH;
        b.length[buf] += Ethernet.LENGTH;
        Ethernet.write(m, b.at(buf), mac, f.ifMac[ifi], type);
        b.txIf[buf] = ifi;
    }

    /**
     * Sends a solicitation for slot {@code s}: an ARP request (broadcast, or unicast to the cached MAC
     * when probing) for an IPv4 key, else an NS to the target's solicited-node group (or to the target
     * when probing) from the interface's first IPv6 address (its link-local one when it has none), with
     * the source link-layer address option. No buffer: nothing is sent, and the retransmit tries again.
     */
    void solicit(Fib f, NeighborTable t, int s, boolean unicast, long time) {
        Buffers b = engine.buffers();
        int nb = b.allocate();
        if (nb < 0) {
            return;
        }
        MemorySegment m = b.memory;
        long at = b.at(nb);
        int ifi = t.ifIndex[s];
        long hi = t.hi[s];
        long lo = t.lo[s];
        long own = f.ifMac[ifi];
        if (NeighborTable.isV4(hi, lo)) {
            Ethernet.write(m, at, unicast ? t.mac[s] : Ethernet.BROADCAST, own, Ethernet.TYPE_ARP);
            Arp.write(m, at + Ethernet.LENGTH, Arp.REQUEST, own, f.arpSource(ifi, (int) lo), 0, (int) lo);
            b.length[nb] = Ethernet.LENGTH + Arp.LENGTH;
        } else {
            long dstHi = unicast ? hi : Nd.LINK_SCOPE_MULTICAST_HI;
            long dstLo = unicast ? lo : Nd.solicitedNodeLo(lo);
            Ethernet.write(m, at, unicast ? t.mac[s] : Nd.multicastMac(dstLo), own, Ethernet.TYPE_IP6);
            long[] src = f.ifAddr6[ifi];
            Nd.write(m, at + Ethernet.LENGTH, Nd.SOLICITATION, 0, src[0], src[1], dstHi, dstLo, hi, lo, own);
            b.length[nb] = Ethernet.LENGTH + Nd.MESSAGE_LENGTH;
        }
        b.rxIf[nb] = ifi;
        b.txIf[nb] = ifi;
        b.flags[nb] = Buffers.ORIGINATED;
        b.time[nb] = time;
        engine.enqueue(Node.INTERFACE_OUTPUT, nb);
        solicitations++;
    }

    /**
     * A held packet whose neighbor never answered: counted as a resolution failure, and answered with
     * ICMPv6 Destination Unreachable code 3 (RFC 4861 §7.2.2, RFC 4443 §3.1) or ICMPv4 Host
     * Unreachable (RFC 1812 §4.3.3.1, as Linux sends), rate-limited there like every error. Every
     * packet in transit gets one, whatever this router did to it (End, End.X and NEXT-CSID only
     * decremented its hop limit: {@link Buffers#DECREMENTED}); none does a packet this router is the
     * source of ({@link Buffers#ORIGINATED}), as the error would go to the router itself. That takes in
     * an encapsulation (H.Encaps, End.B6.Encaps): the packet that failed is the router's, and the
     * inner packet's source is not told, as neither Linux nor VPP relays an error to it (RFC 2473 §8's
     * tunnel relay is for errors that come back through the tunnel, and RFC 8986 asks none of a
     * headend); its loss is counted here like any other. Returns the node it goes to.
     */
    int unreachable(Buffers b, int buf) {
        boolean v4 = Ip6.version(b.memory, b.at(buf)) == 4;
        Node g = engine.node(v4 ? Node.IP4_GLEAN : Node.IP6_GLEAN);
        if ((b.flags[buf] & Buffers.ORIGINATED) != 0) {
            return g.drop(b, buf, Glean.Error.RESOLUTION_FAILED);
        }
        return v4
                ? g.icmp4(b, buf, Glean.Error.RESOLUTION_FAILED, 3, 1, 0)
                : g.icmp(b, buf, Glean.Error.RESOLUTION_FAILED, 1, 3, 0);
    }

    /** A held packet whose interface a new configuration removed: dropped. */
    int gone(Buffers b, int buf) {
        boolean v4 = Ip6.version(b.memory, b.at(buf)) == 4;
        return engine.node(v4 ? Node.IP4_GLEAN : Node.IP6_GLEAN).drop(b, buf, Glean.Error.INTERFACE_GONE);
    }
}
