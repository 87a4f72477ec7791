package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.port.BufferPool;
import dev.srv6sh.dataplane.port.RxBurst;
import dev.srv6sh.dataplane.port.linux.Gro;
import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Checksum;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Large sends through the engine's memory: TCP segments coalesced by {@link Gro} as a port receives
 * them, then cut again by {@link Gso} as interface-output sends them, give back the very frames that
 * came, byte for byte (checksums, IPv4 identifications, sequence numbers, PSH on the last), bare
 * TCP/IPv4 and TCP/IPv4 inside IPv6 with an SRH (H.Encaps) alike; and a segment that must not join
 * (a wrong checksum, another flow, a gap) ends its flow's send and goes as it came.
 */
class LargeSendTest {
    static final int MSS = 1448;

    /** {@code n} segments of one TCP flow, the last {@code lastBytes} long with PSH; encapsulated or bare. */
    static List<byte[]> flow(int n, int lastBytes, boolean encapsulated, long seed) {
        return flow(n, lastBytes, encapsulated, seed, 40000);
    }

    static List<byte[]> flow(int n, int lastBytes, boolean encapsulated, long seed, int sourcePort) {
        Random random = new Random(seed);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int bytes = i == n - 1 ? lastBytes : MSS;
            int outer = encapsulated ? 40 + 24 : 0;
            int len = 14 + outer + 20 + 32 + bytes;
            MemorySegment f = MemorySegment.ofArray(new byte[len]);
            // Ethernet
            for (int k = 0; k < 6; k++) {
                Bytes.u8(f, k, 0x02);
                Bytes.u8(f, 6 + k, 0x04);
            }
            Bytes.u16(f, 12, encapsulated ? 0x86dd : 0x0800);
            int p = 14;
            if (encapsulated) {
                Bytes.u32(f, p, 0x6000_0000 | 0x12345);
                Bytes.u16(f, p + 4, len - 14 - 40);
                Bytes.u8(f, p + 6, 43);
                Bytes.u8(f, p + 7, 64);
                for (int k = 0; k < 16; k++) {
                    Bytes.u8(f, p + 8 + k, k == 0 ? 0x20 : k == 1 ? 0x01 : k == 15 ? 1 : 0);
                    Bytes.u8(f, p + 24 + k, k == 0 ? 0x20 : k == 1 ? 0x01 : k == 15 ? 2 : 0);
                }
                p += 40;
                Bytes.u8(f, p, 4); // SRH: next header IPv4, length 2, type 4, segments left 0
                Bytes.u8(f, p + 1, 2);
                Bytes.u8(f, p + 2, 4);
                for (int k = 0; k < 16; k++) {
                    Bytes.u8(f, p + 8 + k, k == 0 ? 0x20 : k == 1 ? 0x01 : k == 15 ? 2 : 0);
                }
                p += 24;
            }
            int ip = p;
            Bytes.u8(f, ip, 0x45);
            Bytes.u16(f, ip + 2, 20 + 32 + bytes);
            Bytes.u16(f, ip + 4, (0xfff0 + i) & 0xffff); // wraps past 0xffff
            Bytes.u16(f, ip + 6, 0x4000);
            Bytes.u8(f, ip + 8, 63);
            Bytes.u8(f, ip + 9, 6);
            Bytes.u32(f, ip + 12, 0xc0000202); // 192.0.2.2
            Bytes.u32(f, ip + 16, 0xcb007102); // 203.0.113.2
            Bytes.u16(f, ip + 10, Checksum.internet(f, ip, 20));
            int tcp = ip + 20;
            Bytes.u16(f, tcp, sourcePort);
            Bytes.u16(f, tcp + 2, 5201);
            Bytes.u32(f, tcp + 4, 0xffff_f000 + i * MSS); // wraps past 2^32
            Bytes.u32(f, tcp + 8, 777);
            Bytes.u8(f, tcp + 12, 8 << 4);
            Bytes.u8(f, tcp + 13, i == n - 1 ? 0x18 : 0x10);
            Bytes.u16(f, tcp + 14, 512);
            Bytes.u32(f, tcp + 20, 0x0101080a); // NOP NOP timestamps
            Bytes.u32(f, tcp + 24, 123456);
            Bytes.u32(f, tcp + 28, 654321);
            for (int k = 0; k < bytes; k++) {
                Bytes.u8(f, tcp + 32 + k, random.nextInt(256));
            }
            long sum = 6L + 32 + bytes;
            for (int w = 0; w < 4; w++) {
                sum += Bytes.u16(f, ip + 12 + 2 * w);
            }
            sum += Checksum.sum(f, tcp, 32 + bytes);
            Bytes.u16(f, tcp + 16, ~Checksum.fold(sum) & 0xffff);
            frames.add(f.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
        return frames;
    }

    /** Receives the frames as a port does (coalescing), then cuts each packet as interface-output does: the frames out. */
    static List<byte[]> roundTrip(List<byte[]> in, int[] packets) {
        return roundTrip(in, packets, false);
    }

    /** As {@link #roundTrip(List, int[])}, the kernel vouching for each frame's checksum when {@code valid}. */
    static List<byte[]> roundTrip(List<byte[]> in, int[] packets, boolean valid) {
        try (Buffers b = new Buffers(256, 4);
                Arena arena = Arena.ofConfined()) {
            MemorySegment ring = arena.allocate(64 * 1024);
            RxBurst rx = b.rxBurst();
            rx.reset(RxBurst.MAX);
            Gro gro = new Gro(b);
            for (byte[] frame : in) {
                MemorySegment.copy(MemorySegment.ofArray(frame), 0, ring, 0, frame.length);
                if (!gro.offer(rx, ring, 0, frame.length, valid)) {
                    int buf = b.allocate();
                    MemorySegment.copy(ring, 0, b.memory, BufferPool.frameOffset(buf), frame.length);
                    rx.add(buf, frame.length, 0);
                    gro.added(rx, rx.count() - 1);
                }
            }
            gro.finish(rx);
            packets[0] = rx.count();
            packets[1] = 0;
            List<byte[]> out = new ArrayList<>();
            Gso gso = new Gso();
            for (int k = 0; k < rx.count(); k++) {
                int buf = rx.buffer(k);
                long at = b.at(buf);
                int len = b.length[buf];
                if (b.gsoSize[buf] == 0) {
                    out.add(b.memory.asSlice(at, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                    b.release(buf);
                    continue;
                }
                packets[1]++;
                assertThat(b.large(buf)).isTrue();
                int payload = b.gsoPayload[buf] - b.offset[buf];
                assertThat(gso.walk(b.memory, at, len, payload)).isTrue();
                int size = gso.size(b.gsoSize[buf], payload);
                int count = Gso.count(len, payload, size);
                for (int s = 0; s < count; s++) {
                    int seg = b.allocate();
                    int part = Math.min(size, len - payload - s * size);
                    gso.segment(b.memory, at, len, payload, s, s * size, part, s == count - 1, b.at(seg));
                    out.add(b.memory
                            .asSlice(b.at(seg), payload + part)
                            .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                    b.release(seg);
                }
                b.release(buf);
            }
            assertThat(b.inUse()).as("buffers leaked").isZero();
            return out;
        }
    }

    @Test
    void anEncapsulatedFlowCoalescesIntoOneSendAndCutsBackIntoTheSameFrames() {
        List<byte[]> in = flow(12, 700, true, 1);
        int[] packets = new int[2];
        List<byte[]> out = roundTrip(in, packets);
        assertThat(packets[0]).as("packets the graph gets").isEqualTo(1);
        assertThat(packets[1]).as("large sends").isEqualTo(1);
        assertThat(out).hasSameSizeAs(in);
        for (int i = 0; i < in.size(); i++) {
            assertThat(out.get(i)).as("segment %d", i).isEqualTo(in.get(i));
        }
    }

    @Test
    void aBareTcpFlowToo() {
        List<byte[]> in = flow(30, MSS, false, 2);
        int[] packets = new int[2];
        List<byte[]> out = roundTrip(in, packets);
        assertThat(packets[0]).isEqualTo(1);
        for (int i = 0; i < in.size(); i++) {
            assertThat(out.get(i)).as("segment %d", i).isEqualTo(in.get(i));
        }
    }

    @Test
    void aSegmentWithAWrongChecksumEndsTheSendAndGoesAsItCame() {
        List<byte[]> in = flow(10, MSS, true, 3);
        in.get(3)[in.get(3).length - 5] ^= 0x40; // a bit flipped in the payload
        int[] packets = new int[2];
        List<byte[]> out = roundTrip(in, packets);
        assertThat(packets[0]).as("0-2 coalesced, 3 alone, 4-9 coalesced").isEqualTo(3);
        assertThat(packets[1]).isEqualTo(2);
        for (int i = 0; i < in.size(); i++) {
            assertThat(out.get(i)).as("segment %d", i).isEqualTo(in.get(i));
        }
    }

    @Test
    void aChecksumTheKernelVouchedForIsNotComputedAgainButIpv4HeaderChecksumsAre() {
        // the same flipped bit, with the kernel saying the checksums are right (DATA_VALID, as a NIC
        // that checked them or a veth whose peer made them): trusted, as Linux's GRO trusts
        // CHECKSUM_UNNECESSARY, so all ten join
        List<byte[]> in = flow(10, MSS, true, 3);
        in.get(3)[in.get(3).length - 5] ^= 0x40;
        int[] packets = new int[2];
        roundTrip(in, packets, true);
        assertThat(packets[0])
                .as("one send: the TCP checksums were not computed")
                .isEqualTo(1);
        // an IPv4 header checksum is checked all the same (the kernel vouches for the transport's)
        List<byte[]> bad = flow(6, MSS, true, 3);
        bad.get(2)[14 + 40 + 24 + 10] ^= 0x01; // the inner IPv4 header's checksum, behind IPv6 and the SRH
        List<byte[]> out = roundTrip(bad, packets, true);
        assertThat(packets[0]).as("0-1 coalesced, 2 alone, 3-5 coalesced").isEqualTo(3);
        for (int i = 0; i < bad.size(); i++) {
            assertThat(out.get(i)).as("segment %d", i).isEqualTo(bad.get(i));
        }
    }

    @Test
    void aSegmentOfTheConnectionThatCannotJoinEndsItsSendSoThatNothingOvertakesIt() {
        List<byte[]> segs = flow(5, 0, true, 6); // the last: no payload, as an ACK alone
        List<byte[]> in = List.of(segs.get(0), segs.get(1), segs.get(4), segs.get(2), segs.get(3));
        int[] packets = new int[2];
        List<byte[]> out = roundTrip(in, packets);
        assertThat(packets[0]).as("0+1 | the ACK | 2+3").isEqualTo(3);
        assertThat(out).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(out.get(i)).as("frame %d, in the order it came", i).isEqualTo(in.get(i));
        }
    }

    @Test
    void aSegmentWithABadIpv4HeaderChecksumDoesNotJoin() {
        List<byte[]> in = flow(6, MSS, false, 7);
        in.get(2)[14 + 10] ^= 0x01;
        int[] packets = new int[2];
        List<byte[]> out = roundTrip(in, packets);
        assertThat(packets[0]).as("0+1 | 2 | 3+4+5").isEqualTo(3);
        for (int i = 0; i < in.size(); i++) {
            assertThat(out.get(i)).as("frame %d", i).isEqualTo(in.get(i));
        }
    }

    @Test
    void aGapOrAnotherFlowStartsAnotherSend() {
        List<byte[]> a = flow(6, MSS, true, 4);
        List<byte[]> other = flow(3, MSS, false, 5, 40100);
        List<byte[]> in = new ArrayList<>();
        in.add(a.get(0));
        in.add(other.get(0));
        in.add(a.get(1));
        in.add(other.get(1));
        in.add(a.get(3)); // a.get(2) lost: a gap
        in.add(a.get(4));
        in.add(other.get(2));
        int[] packets = new int[2];
        List<byte[]> out = roundTrip(in, packets);
        // a0+a1 | o0+o1+o2 | a3+a4
        assertThat(packets[0]).isEqualTo(3);
        List<byte[]> expected =
                List.of(a.get(0), a.get(1), other.get(0), other.get(1), other.get(2), a.get(3), a.get(4));
        assertThat(out).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(out.get(i)).as("frame %d", i).isEqualTo(expected.get(i));
        }
    }

    @Test
    void withTheLargeBuffersGoneTheFramesGoAsTheyCame() {
        List<List<byte[]>> flows = new ArrayList<>();
        for (int f = 0; f < 6; f++) {
            flows.add(flow(2, MSS, false, 10 + f, 40000 + f));
        }
        List<byte[]> in = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            for (List<byte[]> f : flows) {
                in.add(f.get(s));
            }
        }
        int[] packets = new int[2];
        List<byte[]> out = roundTrip(in, packets); // 4 large buffers for 6 flows
        assertThat(packets[1]).as("large sends").isEqualTo(4);
        assertThat(packets[0]).isEqualTo(4 + 2 * 2);
        List<byte[]> expected = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            expected.addAll(flows.get(f));
        }
        expected.addAll(List.of(
                flows.get(4).get(0),
                flows.get(5).get(0),
                flows.get(4).get(1),
                flows.get(5).get(1)));
        assertThat(out).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(out.get(i)).as("frame %d", i).isEqualTo(expected.get(i));
        }
    }

    /**
     * A large TCP/IPv6 send as af_packet hands one over: {@code segments} of {@code size} bytes (the
     * last {@code last}) of zeros, from {@link NeighborTest#SRC6} to 2001:db8:9::1, its TCP checksum
     * field the pseudo-header's sum over its whole length ({@link #fixChecksumField}).
     */
    static byte[] large6(int segments, int size, int last) {
        int payload = (segments - 1) * size + last;
        byte[] f = frame6(6, 20 + payload);
        MemorySegment m = MemorySegment.ofArray(f);
        int tcp = 54;
        Bytes.u16(m, tcp, 40001);
        Bytes.u16(m, tcp + 2, 5201);
        Bytes.u32(m, tcp + 4, 1000);
        Bytes.u32(m, tcp + 8, 1);
        Bytes.u8(m, tcp + 12, 5 << 4);
        Bytes.u8(m, tcp + 13, 0x18); // ACK PSH
        Bytes.u16(m, tcp + 14, 1024);
        fixChecksumField(f);
        return f;
    }

    /** Ethernet towards 'in' and an IPv6 header from {@link NeighborTest#SRC6} to 2001:db8:9::1, then {@code upperLength} zeros. */
    static byte[] frame6(int nextHeader, int upperLength) {
        byte[] f = new byte[14 + 40 + upperLength];
        MemorySegment m = MemorySegment.ofArray(f);
        System.arraycopy(Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, new byte[] {0x60}), 0, f, 0, 14);
        Bytes.u32(m, 14, 0x6000_0000);
        Bytes.u16(m, 18, upperLength);
        Bytes.u8(m, 20, nextHeader);
        Bytes.u8(m, 21, 64);
        System.arraycopy(
                dev.srv6sh.dataplane.config.Addresses.parse6(NeighborTest.SRC6).getAddress(), 0, f, 22, 16);
        System.arraycopy(
                dev.srv6sh.dataplane.config.Addresses.parse6("2001:db8:9::1").getAddress(), 0, f, 38, 16);
        return f;
    }

    @Test
    void aLargeSendHeldForItsNeighborLeavesCutIntoSegmentsOnceResolved() throws Exception {
        FakeClock clock = new FakeClock();
        try (Harness h = new Harness(NeighborTest.router(), clock)) {
            byte[] f = large6(20, 1000, 500);
            Random r = new Random(9);
            byte[] data = new byte[19 * 1000 + 500];
            r.nextBytes(data);
            System.arraycopy(data, 0, f, 74, data.length);
            fixChecksumField(f);
            h.engine.port("in", MemoryPort.class).injectLarge(f, BufferPool.GSO_TCPV6, 1000, 74);
            h.engine.poll();
            NeighborTest.assertNs(h, NeighborTest.NH6, false);
            assertThat(NeighborTest.entry(h, NeighborTest.NH6).held())
                    .as("the large send, held")
                    .isEqualTo(1);
            NeighborTest.na(h, NeighborTest.NH6, 0x60, NeighborTest.NEW_MAC);
            assertThat(h.out).as("its 20 segments").hasSize(20);
            byte[] srcDst = java.util.Arrays.copyOfRange(f, 22, 54);
            for (int i = 0; i < 20; i++) {
                MemorySegment s = MemorySegment.ofArray(h.out.get(i));
                int bytes = i == 19 ? 500 : 1000;
                assertThat(s.byteSize()).isEqualTo(74 + bytes);
                assertThat(Bytes.u16(s, 18)).as("payload length").isEqualTo(20 + bytes);
                assertThat(Bytes.u8(s, 21)).as("hop limit").isEqualTo(63);
                assertThat(Bytes.u32(s, 58)).as("sequence").isEqualTo(1000 + i * 1000);
                assertThat(Bytes.u8(s, 67)).as("flags: PSH on the last only").isEqualTo(i == 19 ? 0x18 : 0x10);
                assertThat(java.util.Arrays.copyOfRange(h.out.get(i), 74, 74 + bytes))
                        .isEqualTo(java.util.Arrays.copyOfRange(data, i * 1000, i * 1000 + bytes));
                long sum = 6L + 20 + bytes + Checksum.sum(MemorySegment.ofArray(srcDst), 0, 32);
                sum += Checksum.sum(s, 54, 20 + bytes);
                assertThat(Checksum.fold(sum))
                        .as("segment %d's checksum verifies", i)
                        .isEqualTo(0xffff);
            }
            assertThat(h.engine.counters().largeSends().added()).isEqualTo(19);
        }
    }

    @Test
    void aLargeSendWhoseSegmentsExceedTheMtuIsNotForwarded() throws Exception {
        try (Harness h = new Harness(Harness.config(List.of(), List.of(), List.of()))) {
            byte[] f = large6(4, 1480, 1480); // 40 + 20 + 1480 = 1540 > 1500
            h.engine.port("in", MemoryPort.class).injectLarge(f, BufferPool.GSO_TCPV6, 1480, 74);
            h.engine.poll();
            assertThat(h.out).as("nothing out of 'out'").isEmpty();
            assertThat(h.engine.counters().dropped()).isEqualTo(1);
        }
    }

    /** Sets a large6 frame's TCP checksum field to the pseudo-header's sum over its length. */
    private static void fixChecksumField(byte[] f) {
        MemorySegment m = MemorySegment.ofArray(f);
        long sum = 6L + f.length - 54;
        for (int w = 0; w < 16; w++) {
            sum += Bytes.u16(m, 22 + 2 * w);
        }
        Bytes.u16(m, 70, Checksum.fold(sum));
    }

    @Test
    void aLargeUdpSendIsCutIntoDatagramsEachWithItsLengthAndChecksum() throws Exception {
        try (Harness h = new Harness(Harness.config(List.of(), List.of(), List.of()))) {
            int size = 1000;
            int last = 321;
            int payload = 3 * size + last;
            byte[] f = frame6(17, 8 + payload);
            MemorySegment m = MemorySegment.ofArray(f);
            byte[] data = new byte[payload];
            new Random(11).nextBytes(data);
            Bytes.u16(m, 54, 40002);
            Bytes.u16(m, 56, 4433);
            Bytes.u16(m, 58, 8 + payload);
            System.arraycopy(data, 0, f, 62, payload);
            long sum = 17L + 8 + payload;
            for (int w = 0; w < 16; w++) {
                sum += Bytes.u16(m, 22 + 2 * w);
            }
            Bytes.u16(m, 60, Checksum.fold(sum)); // the pseudo-header's sum over the whole length
            h.engine.port("in", MemoryPort.class).injectLarge(f, BufferPool.GSO_UDP_L4, size, 62);
            h.engine.poll();
            assertThat(h.out).as("four datagrams").hasSize(4);
            for (int i = 0; i < 4; i++) {
                MemorySegment s = MemorySegment.ofArray(h.out.get(i));
                int bytes = i == 3 ? last : size;
                assertThat(Bytes.u16(s, 18)).as("payload length").isEqualTo(8 + bytes);
                assertThat(Bytes.u16(s, 58)).as("UDP length").isEqualTo(8 + bytes);
                assertThat(java.util.Arrays.copyOfRange(h.out.get(i), 62, 62 + bytes))
                        .isEqualTo(java.util.Arrays.copyOfRange(data, i * size, i * size + bytes));
                long check = 17L + 8 + bytes + Checksum.sum(s, 22, 32) + Checksum.sum(s, 54, 8 + bytes);
                assertThat(Checksum.fold(check))
                        .as("datagram %d's checksum verifies", i)
                        .isEqualTo(0xffff);
                assertThat(Bytes.u16(s, 60)).as("never 0 for UDP").isNotZero();
            }
            assertThat(h.engine.counters().largeSends().added()).isEqualTo(3);
        }
    }
}
