package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.HostHandle;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.proto.Ethernet;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client VM reduced to what the measurements need: it answers ICMP echo like a Linux host (TTL 64),
 * sends echo requests with sequence numbers, timing each round trip on the emulation's virtual clock,
 * and sends and receives UDP measurement flows ({@link UdpSource}, {@link UdpSink}). Frames with a
 * bad IPv4 header or UDP checksum are counted and dropped, as a kernel would. A host's own processing
 * takes no virtual time: what a measurement shows is the network and the routers.
 *
 * <p>{@link #ping} and {@link #udp} block as they always did: they schedule what the host sends, then
 * run the world on the calling thread until the operation is over (every reply in, or the timeout
 * passed; the flow sent and its datagrams arrived), which takes as long as the events cost to
 * process, not the operation's virtual length. An interrupt stops the world at once; the operation
 * ends, and nothing it scheduled sends any more.
 */
final class EmulatedHost implements HostHandle {
    static final int DEFAULT_TTL = 64;

    private final String name;
    private final Inet4Address address;
    private final Inet6Address address6;
    private final Inet4Address publicAddress;
    private final MacAddress mac;
    private final EventLoop loop;
    private VpcFabric fabric;
    private Eni eni;
    private final AtomicInteger nextId = new AtomicInteger(0x5300);
    private volatile Session session;
    final AtomicLong badChecksum = new AtomicLong();
    final AtomicLong echoesAnswered = new AtomicLong();
    final AtomicLong ignored = new AtomicLong();
    final AtomicLong udpReceived = new AtomicLong();
    /** Open UDP sinks by flow id. Touched on the loop thread only. */
    private final Map<Integer, UdpSink> sinks = new HashMap<>();

    /** One ping run: what was sent when, and what came back. Touched on the loop thread only. */
    private static final class Session {
        final int id;
        final long start;
        final long[] sentAt;
        final long[] rtt;
        final int[] ttl;
        int replies;

        Session(int id, int count, long start) {
            this.id = id;
            this.start = start;
            sentAt = new long[count];
            rtt = new long[count];
            ttl = new int[count];
            java.util.Arrays.fill(rtt, -1);
            java.util.Arrays.fill(ttl, -1);
        }
    }

    EmulatedHost(
            String name,
            Inet4Address address,
            Inet4Address publicAddress,
            Inet6Address address6,
            MacAddress mac,
            EventLoop loop) {
        this.name = name;
        this.address = address;
        this.publicAddress = publicAddress;
        this.address6 = address6;
        this.mac = mac;
        this.loop = loop;
    }

    void attach(VpcFabric fabric, Eni eni) {
        this.fabric = fabric;
        this.eni = eni;
    }

    MacAddress mac() {
        return mac;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetAddress address() {
        return address;
    }

    @Override
    public InetAddress address6() {
        return address6;
    }

    @Override
    public InetAddress publicAddress() {
        return publicAddress;
    }

    @Override
    public List<Probe> ping(InetAddress target, int count, Duration interval, int size, Duration timeout)
            throws ProviderException, InterruptedException {
        if (target instanceof Inet6Address && address6 == null) {
            throw new ProviderException("host " + name + " has no IPv6 address on this backend");
        }
        if (count < 1 || size < 0 || size > 65_507) {
            throw new ProviderException("ping needs count >= 1 and 0 <= size <= 65507");
        }
        Session s = call(() -> start(target, count, interval, size));
        long deadline = s.start + (count - 1) * interval.toNanos() + timeout.toNanos();
        try {
            loop.runUntil(() -> s.replies == count, deadline);
        } finally {
            loop.held(() -> {
                if (session == s) {
                    session = null; // a late reply, or an interrupted run's later echoes, find no session
                }
            });
        }
        List<Probe> probes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            probes.add(new Probe(i, s.rtt[i], s.ttl[i]));
        }
        return probes;
    }

    /** Schedules a ping's echoes from now and makes it the host's session. On the loop. */
    private Session start(InetAddress target, int count, Duration interval, int size) {
        Session s = new Session(nextId.getAndIncrement() & 0xffff, count, loop.now());
        session = s;
        for (int i = 0; i < count; i++) {
            int seq = i;
            loop.at(s.start + i * interval.toNanos(), () -> sendEcho(s, target, seq, size));
        }
        return s;
    }

    /**
     * Starts a ping without waiting for it: its echoes go out when the world next runs, for whatever
     * reason (tests: traffic in flight while something else runs the world).
     */
    void startPing(InetAddress target, int count, Duration interval) throws Exception {
        loop.call(() -> start(target, count, interval, 56));
    }

    private void sendEcho(Session s, InetAddress target, int seq, int size) {
        if (session != s) {
            return; // the ping was interrupted
        }
        byte[] frame = target instanceof Inet6Address t6
                ? Icmp6Frames.echoRequest(mac, fabric.gatewayMac, address6, t6, DEFAULT_TTL, s.id, seq, size)
                : Icmp4Frames.echo(
                        mac, fabric.gatewayMac, address, (Inet4Address) target, DEFAULT_TTL, 8, s.id, seq, size);
        s.sentAt[seq] = loop.now();
        send(frame);
    }

    /**
     * Sends a frame: to the VPC's fabric, or, when it is addressed to one of this host's own addresses,
     * straight back to this host, as a kernel loops traffic to itself back without a wire (a ping of
     * one's own address is answered in no time and never reaches the VPC). The public address is the
     * internet gateway's, not the kernel's: traffic to it goes out, as on EC2.
     */
    private void send(byte[] frame) {
        InetAddress dst = Frames.destination(frame);
        if (dst != null && (dst.equals(address) || dst.equals(address6))) {
            loop.execute(() -> receive(frame));
        } else {
            fabric.fromEni(eni, frame);
        }
    }

    @Override
    public UdpReport udp(HostHandle receiver, InetAddress target, UdpFlow flow)
            throws ProviderException, InterruptedException {
        if (!(receiver instanceof EmulatedHost sinkHost) || sinkHost.loop != loop) {
            throw new ProviderException("host " + receiver.name() + " is not part of this emulation");
        }
        if (!(target instanceof Inet4Address t4)) {
            throw new ProviderException("host " + name + " has only IPv4 on this backend; send UDP to an IPv4 address");
        }
        if (flow.rateBps() <= 0 || flow.size() < UdpFrames.MIN_SIZE || flow.size() > LocalDeployment.MTU) {
            throw new ProviderException("a UDP flow needs a positive rate and a size of " + UdpFrames.MIN_SIZE + ".."
                    + LocalDeployment.MTU + " bytes");
        }
        int id = nextId.getAndIncrement();
        int srcPort = 0xc000 | (id & 0x3fff);
        UdpSink sink = new UdpSink(id);
        UdpSource source = new UdpSource(
                loop,
                flow.rateBps(),
                flow.size(),
                flow.duration().toNanos(),
                (seq, now) -> send(UdpFrames.datagram(
                        mac, fabric.gatewayMac, address, t4, srcPort, UdpFrames.PORT, flow.size(), seq, id, now)));
        try {
            call(() -> {
                sinkHost.sinks.put(id, sink);
                source.start();
                return null;
            });
            loop.runUntil(source::finished, Long.MAX_VALUE);
            // stragglers: until all have arrived, or for three times the slowest one-way time seen (a
            // second when none arrived) of virtual time
            long slowest = call(sink::maxTransit);
            long grace = slowest > 0 ? Math.max(200_000_000L, 3 * slowest) : 1_000_000_000L;
            loop.runFor(grace, () -> sink.received() >= source.sent());
            return call(() -> sink.report(source.sent(), flow.duration()));
        } finally {
            loop.held(() -> {
                source.cancel();
                sinkHost.sinks.remove(id);
            });
        }
    }

    private <T> T call(java.util.concurrent.Callable<T> action) throws ProviderException, InterruptedException {
        try {
            return loop.call(action);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new ProviderException("the emulation failed: " + e.getMessage(), e);
        }
    }

    /** A frame the fabric delivered to this host's ENI. Runs on the loop. */
    void receive(byte[] frame) {
        long now = loop.now();
        if (Frames.etherType(frame) == Ethernet.TYPE_IP6) {
            receive6(frame, now);
            return;
        }
        if (Frames.etherType(frame) != Ethernet.TYPE_IP4 || !Icmp4Frames.headerValid(frame)) {
            if (Frames.etherType(frame) == Ethernet.TYPE_IP4) {
                badChecksum.incrementAndGet();
            } else {
                ignored.incrementAndGet();
            }
            return;
        }
        if (Icmp4Frames.isUdp(frame)) {
            receiveUdp(frame, now);
            return;
        }
        if (!Icmp4Frames.isIcmp(frame)) {
            ignored.incrementAndGet();
            return;
        }
        switch (Icmp4Frames.icmpType(frame)) {
            case 8 -> {
                byte[] reply = Icmp4Frames.reply(frame, mac, fabric.gatewayMac, DEFAULT_TTL);
                echoesAnswered.incrementAndGet();
                send(reply);
            }
            case 0 -> {
                Session s = session;
                int seq = Icmp4Frames.sequence(frame);
                if (s != null && Icmp4Frames.identifier(frame) == s.id && seq < s.rtt.length && s.rtt[seq] < 0) {
                    s.rtt[seq] = now - s.sentAt[seq];
                    s.ttl[seq] = Icmp4Frames.ttl(frame);
                    s.replies++;
                } else {
                    ignored.incrementAndGet();
                }
            }
            default -> ignored.incrementAndGet();
        }
    }

    /** IPv6: ICMPv6 echo, as a Linux host answers it (hop limit 64); anything else is ignored. */
    private void receive6(byte[] frame, long now) {
        if (!Icmp6Frames.validIcmp6(frame)) {
            if (Icmp6Frames.isIcmp6(frame)) {
                badChecksum.incrementAndGet(); // a kernel discards it (RFC 4443 §2.3)
            } else {
                ignored.incrementAndGet();
            }
            return;
        }
        switch (Icmp6Frames.type(frame)) {
            case 128 -> {
                echoesAnswered.incrementAndGet();
                send(Icmp6Frames.reply(frame, mac, fabric.gatewayMac, DEFAULT_TTL));
            }
            case 129 -> {
                Session s = session;
                int seq = Icmp6Frames.sequence(frame);
                if (s != null && Icmp6Frames.identifier(frame) == s.id && seq < s.rtt.length && s.rtt[seq] < 0) {
                    s.rtt[seq] = now - s.sentAt[seq];
                    s.ttl[seq] = Icmp6Frames.hopLimit(frame);
                    s.replies++;
                } else {
                    ignored.incrementAndGet();
                }
            }
            default -> ignored.incrementAndGet();
        }
    }

    private void receiveUdp(byte[] frame, long now) {
        if (!UdpFrames.valid(frame)) {
            badChecksum.incrementAndGet();
            return;
        }
        UdpSink sink = UdpFrames.dstPort(frame) == UdpFrames.PORT && UdpFrames.stamped(frame)
                ? sinks.get(UdpFrames.flow(frame))
                : null;
        if (sink == null) {
            ignored.incrementAndGet();
            return;
        }
        udpReceived.incrementAndGet();
        sink.accept(
                UdpFrames.sequence(frame),
                UdpFrames.sentNanos(frame),
                now,
                UdpFrames.ipLength(frame),
                Icmp4Frames.ttl(frame));
    }
}
