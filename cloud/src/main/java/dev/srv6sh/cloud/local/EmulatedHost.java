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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client VM reduced to what the measurements need: it answers ICMP echo like a Linux host (TTL 64),
 * sends echo requests with sequence numbers, timing each round trip on the emulation's clock, and
 * sends and receives UDP measurement flows ({@link UdpSource}, {@link UdpSink}). Frames with a bad
 * IPv4 header or UDP checksum are counted and dropped, as a kernel would.
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
        final long[] sentAt;
        final long[] rtt;
        final int[] ttl;
        final CountDownLatch replies;

        Session(int id, int count) {
            this.id = id;
            sentAt = new long[count];
            rtt = new long[count];
            ttl = new int[count];
            java.util.Arrays.fill(rtt, -1);
            java.util.Arrays.fill(ttl, -1);
            replies = new CountDownLatch(count);
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
        Session s = new Session(nextId.getAndIncrement() & 0xffff, count);
        session = s;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            int seq = i;
            loop.at(start + i * interval.toNanos(), () -> {
                byte[] frame = target instanceof Inet6Address t6
                        ? Icmp6Frames.echoRequest(mac, fabric.gatewayMac, address6, t6, DEFAULT_TTL, s.id, seq, size)
                        : Icmp4Frames.echo(
                                mac,
                                fabric.gatewayMac,
                                address,
                                (Inet4Address) target,
                                DEFAULT_TTL,
                                8,
                                s.id,
                                seq,
                                size);
                s.sentAt[seq] = System.nanoTime();
                fabric.fromEni(eni, frame);
            });
        }
        long deadline = start + (count - 1) * interval.toNanos() + timeout.toNanos();
        s.replies.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        List<Probe> probes = new ArrayList<>(count);
        try {
            loop.call(() -> {
                session = null;
                for (int i = 0; i < count; i++) {
                    probes.add(new Probe(i, s.rtt[i], s.ttl[i]));
                }
                return null;
            });
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new ProviderException("the emulation failed while collecting ping replies: " + e.getMessage(), e);
        }
        return probes;
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
        call(() -> sinkHost.sinks.put(id, sink));
        UdpSource source = new UdpSource(
                loop,
                flow.rateBps(),
                flow.size(),
                flow.duration().toNanos(),
                (seq, now) -> fabric.fromEni(
                        eni,
                        UdpFrames.datagram(
                                mac,
                                fabric.gatewayMac,
                                address,
                                t4,
                                srcPort,
                                UdpFrames.PORT,
                                flow.size(),
                                seq,
                                id,
                                now)));
        try {
            source.start();
            source.done.await();
            long end = System.nanoTime();
            // stragglers: wait until all have arrived, or for three times the slowest one-way time seen
            // (a second when none arrived), polling the sink on the loop
            while (true) {
                long[] state = call(() -> new long[] {sink.received(), sink.maxTransit()});
                long grace = state[1] > 0 ? Math.max(200_000_000L, 3 * state[1]) : 1_000_000_000L;
                if (state[0] >= source.sent() || System.nanoTime() - end > grace) {
                    break;
                }
                Thread.sleep(20);
            }
            return call(() -> sink.report(source.sent(), flow.duration()));
        } finally {
            call(() -> sinkHost.sinks.remove(id));
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
        long now = System.nanoTime();
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
                fabric.fromEni(eni, reply);
            }
            case 0 -> {
                Session s = session;
                int seq = Icmp4Frames.sequence(frame);
                if (s != null && Icmp4Frames.identifier(frame) == s.id && seq < s.rtt.length && s.rtt[seq] < 0) {
                    s.rtt[seq] = now - s.sentAt[seq];
                    s.ttl[seq] = Icmp4Frames.ttl(frame);
                    s.replies.countDown();
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
                fabric.fromEni(eni, Icmp6Frames.reply(frame, mac, fabric.gatewayMac, DEFAULT_TTL));
            }
            case 129 -> {
                Session s = session;
                int seq = Icmp6Frames.sequence(frame);
                if (s != null && Icmp6Frames.identifier(frame) == s.id && seq < s.rtt.length && s.rtt[seq] < 0) {
                    s.rtt[seq] = now - s.sentAt[seq];
                    s.ttl[seq] = Icmp6Frames.hopLimit(frame);
                    s.replies.countDown();
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
