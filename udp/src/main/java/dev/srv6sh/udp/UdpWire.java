package dev.srv6sh.udp;

import dev.srv6sh.dataplane.config.Addresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A udp interface's device: the local address and port its socket binds, and the peer's, which the
 * socket is connected to (so only the peer's datagrams are taken, and the peer's ICMP port
 * unreachable is heard). The syntax is {@code LOCAL->PEER}, each {@code IPv4:PORT} or {@code
 * [IPv6]:PORT}, addresses as literals (never a name: nothing here asks DNS):
 *
 * <pre>
 * device "198.51.100.1:4789->198.51.100.2:4789"
 * device "[2001:db8::1]:4789->[2001:db8::2]:4789"
 * </pre>
 *
 * Both ends are of one family; the local address is a unicast address of this host, the peer a
 * unicast address; ports are 1 to 65535. Between the two ends a datagram's payload is one whole
 * Ethernet frame, so the interface is a virtual wire: ARP, neighbor discovery and SRv6 cross it as
 * they would a cable.
 */
public record UdpWire(InetSocketAddress local, InetSocketAddress peer) {
    /** Bytes of the UDP header. */
    public static final int UDP_HEADER = 8;

    /** Bytes of the Ethernet header every carried frame starts with (no VLAN tag). */
    public static final int ETHERNET_HEADER = 14;

    public UdpWire {
        if (local.getAddress() instanceof Inet4Address != peer.getAddress() instanceof Inet4Address) {
            throw new IllegalArgumentException("the local and the peer address are of different families ('"
                    + text(local) + "' and '" + text(peer) + "')");
        }
    }

    /** The wire {@code device} describes, or an error saying what in it is wrong and what is expected. */
    public static UdpWire parse(String device) {
        if (device == null || device.isBlank()) {
            throw new IllegalArgumentException("needs a device: \"LOCAL:PORT->PEER:PORT\", such as"
                    + " \"198.51.100.1:4789->198.51.100.2:4789\" or \"[2001:db8::1]:4789->[2001:db8::2]:4789\"");
        }
        int arrow = device.indexOf("->");
        if (arrow < 0 || device.indexOf("->", arrow + 2) >= 0) {
            throw new IllegalArgumentException("'" + device + "' is not LOCAL:PORT->PEER:PORT, such as"
                    + " \"198.51.100.1:4789->198.51.100.2:4789\"");
        }
        InetSocketAddress local = endpoint(device.substring(0, arrow).strip(), "local");
        InetSocketAddress peer = endpoint(device.substring(arrow + 2).strip(), "peer");
        InetAddress l = local.getAddress();
        if (l.isAnyLocalAddress() || l.isMulticastAddress()) {
            throw new IllegalArgumentException("the local address " + Addresses.format(l)
                    + " is not one address of this host: give the address the socket binds");
        }
        InetAddress p = peer.getAddress();
        if (p.isAnyLocalAddress() || p.isMulticastAddress()) {
            throw new IllegalArgumentException("the peer address " + Addresses.format(p)
                    + " is not one router's: give the peer's unicast address");
        }
        if (local.equals(peer)) {
            throw new IllegalArgumentException("the local and the peer end are the same (" + text(local) + ")");
        }
        return new UdpWire(local, peer);
    }

    /** {@code 198.51.100.1:4789} or {@code [2001:db8::1]:4789}: an address, a colon and a port. */
    private static InetSocketAddress endpoint(String text, String which) {
        int colon = text.lastIndexOf(':');
        String address;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 != colon) {
                throw new IllegalArgumentException(
                        "the " + which + " end '" + text + "' is not [IPv6]:PORT, such as [2001:db8::1]:4789");
            }
            address = text.substring(1, close);
        } else {
            if (colon < 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException("the " + which + " end '" + text
                        + "' is not ADDRESS:PORT (an IPv6 address goes in brackets: [2001:db8::1]:4789)");
            }
            address = text.substring(0, colon);
        }
        InetAddress a;
        try {
            a = Addresses.parse(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + which + " end '" + text + "': " + e.getMessage());
        }
        if (text.startsWith("[") != a instanceof Inet6Address) {
            throw new IllegalArgumentException(
                    "the " + which + " end '" + text + "': an IPv6 address goes in brackets, an IPv4 address does not");
        }
        String port = text.substring(colon + 1);
        int p = -1;
        if (!port.isEmpty() && port.length() <= 5 && port.chars().allMatch(Character::isDigit)) {
            p = Integer.parseInt(port);
        }
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException(
                    "the " + which + " end '" + text + "' has no port of 1 to 65535 ('" + port + "')");
        }
        return new InetSocketAddress(a, p);
    }

    /**
     * Bytes each frame costs the underlay beyond itself: the IP header (20 for IPv4, 40 for IPv6) and
     * the UDP header.
     */
    public int overhead() {
        return (local.getAddress() instanceof Inet4Address ? 20 : 40) + UDP_HEADER;
    }

    /**
     * The largest IP packet the interface carries when the underlay carries IP packets of {@code
     * underlayMtu} bytes: less the overhead and the carried frame's Ethernet header, so that a frame
     * crosses in one unfragmented datagram (1458 over IPv4 and 1438 over IPv6 on a 1500-byte
     * underlay).
     */
    public int mtu(int underlayMtu) {
        return underlayMtu - overhead() - ETHERNET_HEADER;
    }

    private static String text(InetSocketAddress a) {
        String host = Addresses.format(a.getAddress());
        return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** The device as the syntax writes it, canonical ({@code [2001:db8::1]:4789->[2001:db8::2]:4789}). */
    @Override
    public String toString() {
        return text(local) + "->" + text(peer);
    }
}
