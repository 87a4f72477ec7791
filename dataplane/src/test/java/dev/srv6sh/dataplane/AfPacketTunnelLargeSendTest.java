package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.dataplane.port.RxBurst;
import dev.srv6sh.dataplane.port.linux.AfPacketPort;
import dev.srv6sh.dataplane.port.linux.LinuxPorts;
import dev.srv6sh.dataplane.port.linux.Netns;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A large send (GSO) behind an SRv6 encapsulation, as the kernel hands one to a packet socket: its
 * virtio_net_hdr names the inner packet's kind (TCPV6 here) and its checksum start is the inner TCP
 * header, under an outer IPv6 header and an SRH. The kernel's GRO makes such sends of encapsulated
 * segments on any device it runs on (a NIC by default, a veth when asked); here a TAP device with
 * virtio_net_hdr receives them, written to it byte by byte, so what arrives is exactly known.
 *
 * <p>End.DX6 decapsulates them towards an in-memory port, which takes no large sends, so the engine
 * cuts them there: the segments are the inner packet's, each with its own length, sequence number
 * and a correct checksum, and their payloads are the send's, in order. A send kept whole at receive
 * (a large buffer) and one too large for that (over 65,215 bytes of IP), cut into segments by the port
 * itself, both arrive so, and a large UDP send (UDP_L4) in the same tunnel becomes the sender's datagrams; on both receive modes (V2: a send too large for a slot comes through the
 * socket's queue; V3: whole in a block). A tagged send (802.1Q) cut at receive gets its tag back on
 * every segment, each header 4 bytes further on.
 */
class AfPacketTunnelLargeSendTest {
    static final MacAddress CORE = MacAddress.parse("02:00:00:00:02:02");
    static final MacAddress PEER = MacAddress.parse("02:00:00:00:01:02");
    static final MacAddress HOST = MacAddress.parse("02:00:00:00:0b:02");
    static final String SID = "2001:db8:2::d6";
    static final int GSO_SIZE = 1400;

    /** Creates TAP device t0 with virtio_net_hdr, says so, then writes each line of hex it reads to it. */
    static final String TAP_WRITER =
            """
            import fcntl, os, struct, sys
            fd = os.open('/dev/net/tun', os.O_RDWR)
            fcntl.ioctl(fd, 0x400454ca, struct.pack('16sH', b't0', 0x0002 | 0x1000 | 0x4000))
            print('ready', flush=True)
            for line in sys.stdin:
                os.write(fd, bytes.fromhex(line.strip()))
                print('wrote', flush=True)
            """;

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = LinuxPorts.Driver.class,
            names = {"AF_PACKET", "AF_PACKET_V3"})
    void encapsulatedLargeSendsFromTheKernelAreDecapsulatedAndCutIntoTheInnerPacketsSegments(LinuxPorts.Driver driver)
            throws Exception {
        Netns.require("python3");
        try (Netns r = Netns.create("tun", false)) {
            try (TapWriter tap = TapWriter.start(r)) {
                LinuxPorts ports = new LinuxPorts(Map.of("core", new LinuxPorts.Binding(driver, "t0")));
                Engine e = r.call(() -> {
                    Engine x = new Engine("r", Clock.SYSTEM, ports);
                    x.apply(router());
                    return x;
                });
                try {
                    List<byte[]> frames = new ArrayList<>();
                    e.port("host", MemoryPort.class)
                            .onTransmit((iface, m, offset, length) ->
                                    frames.add(m.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE)));
                    AfPacketPort core = e.port("core", AfPacketPort.class);

                    byte[] small = payload(20_000, 1);
                    tap.write(tunnelSend(small, 1_000));
                    assertThat(poll(e, frames, segments(small.length)))
                            .as("segments of the send kept whole")
                            .isEqualTo(segments(small.length));
                    assertThat(core.sendsWhole()).isEqualTo(1);
                    assertSegments(frames, small, 1_000);

                    // 65,451 bytes of TCP payload: 65,535 bytes of outer IPv6 payload, over what a
                    // large buffer keeps (room for a further encapsulation), so the port cuts it
                    frames.clear();
                    byte[] big = payload(65_535 - 24 - 40 - 20, 2);
                    tap.write(tunnelSend(big, 50_000));
                    assertThat(poll(e, frames, segments(big.length)))
                            .as("segments of the send cut at receive")
                            .isEqualTo(segments(big.length));
                    assertThat(core.sendsSegmented()).isEqualTo(1);
                    assertSegments(frames, big, 50_000);

                    // a large UDP send (UDP_L4) in the same tunnel: datagrams of the sender's size
                    frames.clear();
                    byte[] datagrams = payload(10 * UDP_SIZE + 500, 3);
                    tap.write(udpTunnelSend(datagrams));
                    int count = (datagrams.length + UDP_SIZE - 1) / UDP_SIZE;
                    assertThat(poll(e, frames, count))
                            .as("datagrams of the UDP send")
                            .isEqualTo(count);
                    assertThat(core.sendsWhole()).isEqualTo(2);
                    assertDatagrams(frames, datagrams);

                    assertThat(e.counters().port("core").rxNoBuffer()).isZero();
                    assertThat(e.counters().txErrors()).isZero();
                    Harness.assertBalanced(e);
                } finally {
                    e.close();
                }
            }
        }
    }

    /**
     * A tagged send (VLAN 100, priority 3) too large to keep whole: the kernel takes the tag off
     * before the packet socket, the port puts it back, and cuts the send at receive with every
     * header 4 bytes further on. Each segment: the tag, the outer IPv6 and the inner IPv6 with their
     * own lengths, the next sequence number, PSH on the last only, a TCP checksum that verifies, the
     * payload in order.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(AfPacketPort.Mode.class)
    void aTaggedSendCutAtReceiveKeepsItsTagAndEveryHeaderRight(AfPacketPort.Mode mode) throws Exception {
        Netns.require("python3");
        try (Netns r = Netns.create("tunv", false);
                Buffers pool = new Buffers(512)) {
            try (TapWriter tap = TapWriter.start(r)) {
                AfPacketPort port = r.call(() -> AfPacketPort.open("t0", pool, mode));
                try {
                    byte[] big = payload(65_535 - 24 - 40 - 20, 4);
                    tap.write(tagged(tunnelSend(big, 70_000)));
                    RxBurst rx = pool.rxBurst();
                    List<byte[]> frames = new ArrayList<>();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while (frames.size() < segments(big.length) && System.nanoTime() < deadline) {
                        port.awaitReadable(TimeUnit.MILLISECONDS.toNanos(100));
                        rx.reset(RxBurst.MAX);
                        port.receive(rx);
                        for (int k = 0; k < rx.count(); k++) {
                            int b = rx.buffer(k);
                            frames.add(
                                    Harness.copy(pool.memory(), (long) b * Buffers.SIZE + rx.offset(k), rx.length(k)));
                            pool.release(b);
                        }
                    }
                    assertThat(frames).as("segments of the tagged send").hasSize(segments(big.length));
                    assertThat(port.sendsSegmented()).isEqualTo(1);
                    ByteArrayOutputStream joined = new ByteArrayOutputStream();
                    for (int i = 0; i < frames.size(); i++) {
                        byte[] f = frames.get(i);
                        ByteBuffer b = ByteBuffer.wrap(f);
                        assertThat(b.getShort(12) & 0xffff)
                                .as("segment %d's TPID", i)
                                .isEqualTo(0x8100);
                        assertThat(b.getShort(14) & 0xffff)
                                .as("segment %d's TCI", i)
                                .isEqualTo(0x6064);
                        assertThat(b.getShort(16) & 0xffff).isEqualTo(0x86dd);
                        assertThat(b.getShort(18 + 4) & 0xffff)
                                .as("segment %d's outer IPv6 payload length", i)
                                .isEqualTo(f.length - 58);
                        assertThat(b.getShort(82 + 4) & 0xffff)
                                .as("segment %d's inner IPv6 payload length", i)
                                .isEqualTo(f.length - 122);
                        int data = f.length - 142;
                        assertThat(data).isEqualTo(i < frames.size() - 1 ? GSO_SIZE : big.length - i * GSO_SIZE);
                        assertThat(b.getInt(122 + 4))
                                .as("segment %d's sequence number", i)
                                .isEqualTo(70_000 + i * GSO_SIZE);
                        assertThat(b.get(122 + 13) & 0x08).as("PSH").isEqualTo(i == frames.size() - 1 ? 0x08 : 0);
                        // the inner packet as End.DX6 would hand it on: its transport's checksum verifies
                        byte[] inner = new byte[14 + f.length - 82];
                        System.arraycopy(f, 82, inner, 14, f.length - 82);
                        assertThat(transportSum(inner, 6))
                                .as("segment %d's TCP checksum verifies", i)
                                .isEqualTo(0xffff);
                        joined.write(f, 142, data);
                    }
                    assertThat(joined.toByteArray()).isEqualTo(big);
                    assertThat(port.counters().rxNoBuffer()).isZero();
                    assertThat(pool.free()).isEqualTo(pool.count() - port.buffersHeld());
                } finally {
                    port.close();
                }
            }
        }
    }

    /**
     * {@code frame} (virtio_net_hdr, then Ethernet) with an 802.1Q tag (VLAN 100, priority 3) after
     * the MAC addresses, the header's lengths and checksum start 4 bytes further on.
     */
    static byte[] tagged(byte[] frame) {
        byte[] t = new byte[frame.length + 4];
        System.arraycopy(frame, 0, t, 0, 10 + 12);
        t[10 + 12] = (byte) 0x81;
        t[10 + 14] = 0x60;
        t[10 + 15] = 100;
        System.arraycopy(frame, 10 + 12, t, 10 + 16, frame.length - 22);
        ByteBuffer b = ByteBuffer.wrap(t).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putShort(2, (short) (b.getShort(2) + 4)); // hdr_len
        b.putShort(6, (short) (b.getShort(6) + 4)); // csum_start
        return t;
    }

    static DataplaneConfig router() {
        return new DataplaneConfig(
                "r",
                List.of(
                        new DataplaneConfig.Interface("core", CORE, List.of(Prefix.parse("2001:db8:12::2/64")), 1600),
                        new DataplaneConfig.Interface("host", HOST, List.of(Prefix.parse("2001:db8:b::1/64")), 1500)),
                List.of(),
                List.of(new DataplaneConfig.Neighbor(
                        Addresses.parse("2001:db8:b::2"), MacAddress.parse("02:00:00:00:0b:03"), "host")),
                List.of(Harness.sid(SID, "End.DX6", "2001:db8:b::2")),
                List.of(),
                List.of(),
                new DataplaneConfig.Encap(Addresses.parse6("2001:db8:12::2"), 64));
    }

    static int segments(int payload) {
        return (payload + GSO_SIZE - 1) / GSO_SIZE;
    }

    static byte[] payload(int n, int seed) {
        byte[] p = new byte[n];
        new java.util.Random(seed).nextBytes(p);
        return p;
    }

    /**
     * virtio_net_hdr (checksum partial from the inner TCP header, TCPV6, GSO size 1400), then Ethernet,
     * IPv6 to the SID, an SRH of one segment, IPv6 from host a to host b, TCP (ACK and PSH, its
     * checksum field the pseudo-header's sum, as a large send carries it) and the payload.
     */
    static byte[] tunnelSend(byte[] payload, int seq) {
        return tunnel(4, GSO_SIZE, 6, 20, payload, (b, partial) -> {
            b.putShort((short) 40_000).putShort((short) 5001).putInt(seq).putInt(7);
            b.put((byte) 0x50).put((byte) 0x18).putShort((short) 501);
            b.putShort(partial).putShort((short) 0);
        });
    }

    static final int UDP_SIZE = 1200;

    /** As {@link #tunnelSend}, with UDP (UDP_L4, GSO size 1200) for TCP: datagrams of 1200 bytes, the last shorter. */
    static byte[] udpTunnelSend(byte[] payload) {
        int udp = 8 + payload.length;
        return tunnel(5, UDP_SIZE, 17, 8, payload, (b, partial) -> b.putShort((short) 40_001)
                .putShort((short) 5002)
                .putShort((short) udp)
                .putShort(partial));
    }

    /** Writes a transport header, given its checksum field (the pseudo-header's sum). */
    interface Transport {
        void write(ByteBuffer b, short partial);
    }

    /**
     * virtio_net_hdr (checksum partial from the inner transport header, GSO {@code kind} of {@code
     * gsoSize}), Ethernet, IPv6 to the SID, an SRH of one segment, IPv6 from host a to host b, the
     * transport ({@code protocol}, a header of {@code header} bytes) and the payload.
     */
    static byte[] tunnel(int kind, int gsoSize, int protocol, int header, byte[] payload, Transport transport) {
        int l4Length = header + payload.length;
        int outer = 24 + 40 + l4Length;
        int l4 = 14 + 40 + 24 + 40;
        ByteBuffer b = ByteBuffer.allocate(10 + 14 + 40 + outer);
        b.put((byte) 1).put((byte) kind); // NEEDS_CSUM
        b.putShort(Short.reverseBytes((short) (l4 + header)));
        b.putShort(Short.reverseBytes((short) gsoSize));
        b.putShort(Short.reverseBytes((short) l4));
        b.putShort(Short.reverseBytes((short) (protocol == 6 ? 16 : 6)));
        b.put(CORE.bytes()).put(PEER.bytes()).putShort((short) 0x86dd);
        b.putInt(0x6000_0000).putShort((short) outer).put((byte) 43).put((byte) 64);
        b.put(Addresses.parse6("2001:db8:12::1").getAddress())
                .put(Addresses.parse6(SID).getAddress());
        b.put((byte) 41).put((byte) 2).put((byte) 4).put((byte) 0); // SRH: inner IPv6, 1 segment, SL 0
        b.put((byte) 0).put((byte) 0).putShort((short) 0);
        b.put(Addresses.parse6(SID).getAddress());
        byte[] src = Addresses.parse6("2001:db8:a::2").getAddress();
        byte[] dst = Addresses.parse6("2001:db8:b::2").getAddress();
        b.putInt(0x6000_0000).putShort((short) l4Length).put((byte) protocol).put((byte) 64);
        b.put(src).put(dst);
        transport.write(b, (short) fold(pseudo(src, dst, l4Length, protocol)));
        b.put(payload);
        return b.array();
    }

    /** Datagrams of {@link #UDP_SIZE} bytes (the last shorter), each with its length and a checksum that verifies. */
    static void assertDatagrams(List<byte[]> frames, byte[] payload) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            ByteBuffer b = ByteBuffer.wrap(f);
            int plen = b.getShort(14 + 4) & 0xffff;
            assertThat(plen).as("datagram %d's IPv6 payload length", i).isEqualTo(f.length - 54);
            assertThat(b.get(14 + 6)).isEqualTo((byte) 17);
            int data = plen - 8;
            assertThat(data).isEqualTo(i < frames.size() - 1 ? UDP_SIZE : payload.length - i * UDP_SIZE);
            assertThat(b.getShort(54 + 4) & 0xffff)
                    .as("datagram %d's UDP length", i)
                    .isEqualTo(plen);
            assertThat(transportSum(f, 17))
                    .as("datagram %d's UDP checksum verifies", i)
                    .isEqualTo(0xffff);
            joined.write(f, 62, data);
        }
        assertThat(joined.toByteArray()).isEqualTo(payload);
    }

    /**
     * The process behind TAP device t0 of a namespace ({@link #TAP_WRITER}), the device up with
     * {@link #CORE}'s MAC at MTU 1600: each frame written goes in whole, virtio_net_hdr first.
     */
    record TapWriter(Process process, BufferedReader out, Writer in) implements AutoCloseable {
        static TapWriter start(Netns r) throws Exception {
            Process p = new ProcessBuilder("ip", "netns", "exec", r.name(), "python3", "-c", TAP_WRITER)
                    .redirectErrorStream(true)
                    .start();
            TapWriter w = new TapWriter(
                    p,
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)),
                    new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
            try {
                assertThat(w.out.readLine()).as("the TAP device is made").isEqualTo("ready");
                r.ip("link", "set", "t0", "address", CORE.toString(), "mtu", "1600", "up");
            } catch (Exception | AssertionError e) {
                w.close();
                throw e;
            }
            return w;
        }

        void write(byte[] frame) throws Exception {
            in.write(HexFormat.of().formatHex(frame));
            in.write('\n');
            in.flush();
            assertThat(out.readLine()).as("the TAP device took the frame").isEqualTo("wrote");
        }

        @Override
        public void close() throws Exception {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            in.close();
            out.close();
        }
    }

    /** Polls until {@code want} frames came out, or 5 s passed; how many came. */
    static int poll(Engine e, List<byte[]> frames, int want) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (frames.size() < want && System.nanoTime() < deadline) {
            if (e.poll() == 0) {
                Thread.onSpinWait();
            }
        }
        for (int i = 0; i < 100; i++) {
            e.poll(); // nothing more than wanted comes
        }
        return frames.size();
    }

    /**
     * The frames are the decapsulated segments of a send of {@code payload} from {@code seq}: host b's
     * MAC, IPv6 with its own length, TCP with the next sequence number, PSH on the last only, a
     * checksum that verifies, and the payload's bytes in order.
     */
    static void assertSegments(List<byte[]> frames, byte[] payload, int seq) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            ByteBuffer b = ByteBuffer.wrap(f);
            assertThat(java.util.Arrays.copyOf(f, 6))
                    .isEqualTo(MacAddress.parse("02:00:00:00:0b:03").bytes());
            assertThat(b.getShort(12) & 0xffff).isEqualTo(0x86dd);
            int plen = b.getShort(14 + 4) & 0xffff;
            assertThat(plen).as("segment %d's IPv6 payload length", i).isEqualTo(f.length - 54);
            assertThat(b.get(14 + 7) & 0xff).as("hop limit, decremented once").isEqualTo(63);
            int data = plen - 20;
            assertThat(data).isEqualTo(i < frames.size() - 1 ? GSO_SIZE : payload.length - i * GSO_SIZE);
            assertThat(b.getInt(54 + 4)).as("segment %d's sequence number", i).isEqualTo(seq + i * GSO_SIZE);
            assertThat(b.get(54 + 13) & 0x08).as("PSH").isEqualTo(i == frames.size() - 1 ? 0x08 : 0);
            assertThat(transportSum(f, 6))
                    .as("segment %d's TCP checksum verifies", i)
                    .isEqualTo(0xffff);
            joined.write(f, 74, data);
        }
        assertThat(joined.toByteArray()).isEqualTo(payload);
    }

    static long pseudo(byte[] src, byte[] dst, int length, int protocol) {
        long sum = 0;
        for (int k = 0; k < 16; k += 2) {
            sum += ((src[k] & 0xff) << 8) | (src[k + 1] & 0xff);
            sum += ((dst[k] & 0xff) << 8) | (dst[k + 1] & 0xff);
        }
        return sum + length + protocol;
    }

    /**
     * The folded sum of a decapsulated frame's transport (behind Ethernet and IPv6) and its
     * pseudo-header for {@code protocol}: 0xffff when its checksum is right.
     */
    static int transportSum(byte[] f, int protocol) {
        byte[] src = java.util.Arrays.copyOfRange(f, 22, 38);
        byte[] dst = java.util.Arrays.copyOfRange(f, 38, 54);
        long sum = pseudo(src, dst, f.length - 54, protocol);
        for (int k = 54; k < f.length; k += 2) {
            sum += ((f[k] & 0xff) << 8) | (k + 1 < f.length ? f[k + 1] & 0xff : 0);
        }
        return fold(sum);
    }

    static int fold(long sum) {
        while (sum >>> 16 != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }
}
