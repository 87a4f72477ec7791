package dev.srv6sh.cloud;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/** One deployed host: a client VM on aws, a namespace on netns, an emulated endpoint on local. */
public interface HostHandle {

    String name();

    InetAddress address();

    /** The host's IPv6 address, or null where it has none. */
    default InetAddress address6() {
        return null;
    }

    /**
     * The public IPv4 address the VPC's internet gateway maps to this host (1:1 NAT, as AWS gives an
     * instance a public address), or null when the backend gives it none. Traffic to it crosses the
     * internet, not the SRv6 routers: the {@code direct} baseline.
     */
    InetAddress publicAddress();

    /**
     * Sends {@code count} ICMP echo requests to {@code target}, one every {@code interval}, waits up to
     * {@code timeout} after the last for replies, and reports each probe.
     */
    List<Probe> ping(InetAddress target, int count, Duration interval, int size, Duration timeout)
            throws ProviderException, InterruptedException;

    /**
     * Sends a UDP flow to {@code target} (an address of {@code receiver}: its own, or its public one) at
     * {@code flow.rateBps()}, and returns what {@code receiver}'s sink counted once the flow is over and
     * the datagrams still in flight have arrived or been given up.
     */
    UdpReport udp(HostHandle receiver, InetAddress target, UdpFlow flow) throws ProviderException, InterruptedException;

    /**
     * Whether this host runs a real TCP stack, so that {@link #tcp} measures something: true on netns
     * and aws, false on local, whose hosts are emulated endpoints.
     */
    default boolean hasTcpStack() {
        return false;
    }

    /**
     * Runs a TCP bulk transfer to {@code target} (an address of {@code receiver}) over {@code
     * flow.streams()} connections for {@code flow.duration()}, and returns what the receiver got and
     * what the sender retransmitted. Hosts without a TCP stack ({@link #hasTcpStack}) refuse.
     */
    default TcpReport tcp(HostHandle receiver, InetAddress target, TcpFlow flow)
            throws ProviderException, InterruptedException {
        throw new ProviderException("host " + name() + " has no TCP stack of its own (its host is emulated)");
    }

    /**
     * A TCP transfer: {@code streams} parallel connections for {@code duration}, capped at {@code
     * rateBps} bits per second of payload in all, or as fast as the path goes when it is 0.
     */
    record TcpFlow(Duration duration, int streams, long rateBps) {}

    /**
     * What a TCP transfer achieved: payload bytes the receiver got and their rate over the receiver's
     * {@code duration}, and the segments the sender retransmitted (all streams together).
     */
    record TcpReport(long bytes, double bitsPerSecond, long retransmits, int streams, Duration duration) {}

    /** A UDP flow: bits per second of whole IP datagrams, each {@code size} bytes long, for {@code duration}. */
    record UdpFlow(long rateBps, int size, Duration duration) {}

    /**
     * What a UDP sink counted: datagrams sent and received (distinct), IP bytes received, lost (sent
     * and never received), reordered (arrived after one with a higher sequence number), duplicates,
     * the interarrival jitter as RFC 3550 §6.4.1 computes it, and the TTL or hop limit of the last
     * datagram (-1 when none arrived). {@code duration} is how long the source sent.
     */
    record UdpReport(
            long sent,
            long received,
            long bytes,
            long lost,
            long reordered,
            long duplicates,
            double jitterNanos,
            int hopLimit,
            Duration duration) {}

    /** One echo: rttNanos is -1 and hopLimit -1 when no reply came back. */
    record Probe(int sequence, long rttNanos, int hopLimit) {
        public boolean answered() {
            return rttNanos >= 0;
        }
    }
}
