package dev.srv6sh.udp;

import dev.srv6sh.dataplane.Clock;
import dev.srv6sh.dataplane.ConfigException;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.dataplane.port.linux.LinuxPorts;
import dev.srv6sh.dataplane.proto.Checksum;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What the udp tests share: loopback ports nobody holds, frames, engines whose ports come from {@link
 * LinuxPorts} with the {@link UdpDriver}, and a far end that is a plain JDK datagram socket.
 */
final class Wires {
    static final MacAddress WIRE_MAC = MacAddress.parse("02:00:00:00:00:01");
    static final MacAddress LAN_MAC = MacAddress.parse("02:00:00:00:00:02");
    static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:99");
    static final MacAddress SENDER_MAC = MacAddress.parse("02:00:00:00:00:77");
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private Wires() {}

    /** A UDP port on 127.0.0.1 free a moment ago (the kernel's next ephemeral one). */
    static int freePort() throws IOException {
        try (DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET)) {
            c.bind(new InetSocketAddress(LOOPBACK, 0));
            return ((InetSocketAddress) c.getLocalAddress()).getPort();
        }
    }

    /** {@code 127.0.0.1:L->127.0.0.1:P}. */
    static String device(int local, int peer) {
        return "127.0.0.1:" + local + "->127.0.0.1:" + peer;
    }

    /** A router's port factory: memory for every interface but those on {@code udp}. */
    static LinuxPorts ports() {
        return new LinuxPorts(Map.of(), List.of(new UdpDriver()));
    }

    static DataplaneConfig.Interface iface(String name, MacAddress mac, String... prefixes) {
        return new DataplaneConfig.Interface(
                name, mac, Arrays.stream(prefixes).map(Prefix::parse).toList(), 1500);
    }

    /**
     * One router: {@code wire} (2001:db8:1::1/64, 192.0.2.1/24) on the udp {@code device}, and {@code
     * lan} in memory (2001:db8:2::1/64, 198.51.100.1/24, default routes via ::2 and .2). The far end
     * of the wire is 192.0.2.77 with {@link #SENDER_MAC}.
     */
    static DataplaneConfig router(String device) {
        return new DataplaneConfig(
                "r",
                List.of(
                        iface("wire", WIRE_MAC, "2001:db8:1::1/64", "192.0.2.1/24")
                                .on("udp", device),
                        iface("lan", LAN_MAC, "2001:db8:2::1/64", "198.51.100.1/24")),
                List.of(
                        new DataplaneConfig.Route(0, Prefix.parse("::/0"), Addresses.parse("2001:db8:2::2"), null),
                        new DataplaneConfig.Route(0, Prefix.parse("0.0.0.0/0"), Addresses.parse("198.51.100.2"), null)),
                List.of(
                        new DataplaneConfig.Neighbor(Addresses.parse("2001:db8:2::2"), PEER_MAC, "lan"),
                        new DataplaneConfig.Neighbor(Addresses.parse("198.51.100.2"), PEER_MAC, "lan"),
                        new DataplaneConfig.Neighbor(Addresses.parse("192.0.2.77"), SENDER_MAC, "wire")),
                List.of(),
                List.of(),
                List.of(),
                new DataplaneConfig.Encap(Addresses.parse6("2001:db8:1::1"), 64));
    }

    /** An engine on {@link #ports} with {@code config} applied. */
    static Engine engine(String name, DataplaneConfig config) throws ConfigException {
        Engine e = new Engine(name, Clock.SYSTEM, ports());
        try {
            e.apply(config);
        } catch (ConfigException | RuntimeException x) {
            e.close();
            throw x;
        }
        return e;
    }

    /** IPv4/UDP from {@code src} to {@code dst}, {@code size} payload bytes ending in {@code seq}. */
    static byte[] udp4(String src, String dst, int ttl, int size, int seq) {
        byte[] p = new byte[20 + 8 + size];
        p[0] = 0x45;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[8] = (byte) ttl;
        p[9] = 17;
        System.arraycopy(Addresses.parse(src).getAddress(), 0, p, 12, 4);
        System.arraycopy(Addresses.parse(dst).getAddress(), 0, p, 16, 4);
        int c = Checksum.internet(MemorySegment.ofArray(p), 0, 20);
        p[10] = (byte) (c >>> 8);
        p[11] = (byte) c;
        p[20] = 0x04;
        p[21] = (byte) 0xd2;
        p[22] = 0x16;
        p[23] = 0x2e;
        p[24] = (byte) ((8 + size) >>> 8);
        p[25] = (byte) (8 + size);
        for (int i = 0; i < 4; i++) {
            p[p.length - 1 - i] = (byte) (seq >>> (8 * i));
        }
        return p;
    }

    /** An Ethernet frame carrying an IPv4 packet. */
    static byte[] frame(MacAddress dst, MacAddress src, byte[] ip4) {
        byte[] f = new byte[14 + ip4.length];
        System.arraycopy(dst.bytes(), 0, f, 0, 6);
        System.arraycopy(src.bytes(), 0, f, 6, 6);
        f[12] = 0x08;
        System.arraycopy(ip4, 0, f, 14, ip4.length);
        return f;
    }

    /** The sequence number in a frame's last four bytes. */
    static int seq(byte[] f) {
        int s = 0;
        for (int i = 4; i > 0; i--) {
            s = (s << 8) | (f[f.length - i] & 0xff);
        }
        return s;
    }

    /** What a memory port transmits, copied: its sink. */
    static List<byte[]> catching(Engine e, String iface) {
        List<byte[]> out = java.util.Collections.synchronizedList(new ArrayList<>());
        e.port(iface, MemoryPort.class).onTransmit((i, s, o, l) -> {
            byte[] b = new byte[l];
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, o, b, 0, l);
            out.add(b);
        });
        return out;
    }

    /** Polls the engines until {@code done} holds, for 10 s at most; says whether it held. */
    static boolean pollUntil(BooleanSupplier done, Engine... engines) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            int n = 0;
            for (Engine e : engines) {
                n += e.poll();
            }
            if (n == 0) {
                Thread.onSpinWait();
            }
        }
        return true;
    }

    /** A far end: a JDK datagram socket bound to 127.0.0.1:{@code port}, connected to {@code peer}. */
    static final class FarEnd implements AutoCloseable {
        final DatagramChannel channel;

        FarEnd(int port, int peer) throws IOException {
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.bind(new InetSocketAddress(LOOPBACK, port));
            channel.connect(new InetSocketAddress(LOOPBACK, peer));
            channel.configureBlocking(false);
        }

        void send(byte[] datagram) throws IOException {
            channel.write(ByteBuffer.wrap(datagram));
        }

        /** Every datagram that arrived, waiting up to 10 s for {@code count} of them. */
        List<byte[]> take(int count) throws IOException {
            List<byte[]> got = new ArrayList<>();
            ByteBuffer b = ByteBuffer.allocate(65536);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (got.size() < count && System.nanoTime() < deadline) {
                b.clear();
                if (channel.receive(b) == null) {
                    Thread.onSpinWait();
                    continue;
                }
                b.flip();
                byte[] d = new byte[b.remaining()];
                b.get(d);
                got.add(d);
            }
            return got;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
