package dev.srv6sh.dataplane.port.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Checksum;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Offload} does a NIC's last work as Linux hands it over (CHECKSUM_PARTIAL: the field holds
 * the pseudo-header sum over the whole upper-layer length): completed checksums verify, a large send
 * cut into segments makes packets each of which verifies on its own, with the IP lengths, IPv4
 * identification, TCP sequence numbers and flags of the segments a sender would have sent, and the
 * payloads in order. Frames are built here by hand, as a kernel would leave them.
 */
class OffloadTest {
    private static final int TCP = 6;
    private static final int UDP = 17;

    private final Arena arena = Arena.ofAuto();

    /** Ethernet, IPv4 (or IPv6 with a Hop-by-Hop header before the upper layer), then the upper layer. */
    static byte[] frame(int version, boolean hopByHop, int protocol, byte[] upper) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2});
        if (version == 4) {
            f.writeBytes(new byte[] {8, 0});
            int total = 20 + upper.length;
            f.writeBytes(new byte[] {
                0x45,
                0,
                (byte) (total >> 8),
                (byte) total,
                0x12,
                0x34,
                0x40,
                0,
                64,
                (byte) protocol,
                0,
                0,
                (byte) 192,
                0,
                2,
                2,
                (byte) 198,
                51,
                100,
                2
            });
        } else {
            f.writeBytes(new byte[] {(byte) 0x86, (byte) 0xdd});
            int payload = (hopByHop ? 8 : 0) + upper.length;
            f.writeBytes(new byte[] {
                0x60, 0, 0, 0, (byte) (payload >> 8), (byte) payload, (byte) (hopByHop ? 0 : protocol), 64
            });
            f.writeBytes(address(0x0a, 2));
            f.writeBytes(address(0x0b, 2));
            if (hopByHop) {
                f.writeBytes(new byte[] {(byte) protocol, 0, 1, 4, 0, 0, 0, 0}); // a PadN option
            }
        }
        f.writeBytes(upper);
        return f.toByteArray();
    }

    static byte[] address(int net, int host) {
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[2] = 0x0d;
        a[3] = (byte) 0xb8;
        a[5] = (byte) net;
        a[15] = (byte) host;
        return a;
    }

    /** A TCP header with 12 bytes of options (doff 8), sequence 1000, and {@code flags}. */
    static byte[] tcp(int flags, byte[] payload) {
        byte[] h = {
            (byte) 0x9c,
            0x40,
            0x13,
            (byte) 0x89,
            0,
            0,
            0x03,
            (byte) 0xe8,
            0,
            0,
            0,
            77,
            (byte) 0x80,
            (byte) flags,
            1,
            0,
            0,
            0,
            0,
            0,
            1,
            1,
            8,
            10,
            0,
            0,
            0,
            1,
            0,
            0,
            0,
            2
        };
        return cat(h, payload);
    }

    static byte[] udp(byte[] payload) {
        int length = 8 + payload.length;
        return cat(
                new byte[] {(byte) 0x9c, 0x40, 0x13, (byte) 0x89, (byte) (length >> 8), (byte) length, 0, 0}, payload);
    }

    static byte[] cat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    MemorySegment native_(byte[] f) {
        MemorySegment s = arena.allocate(f.length + 64, 8);
        MemorySegment.copy(f, 0, s, ValueLayout.JAVA_BYTE, 0, f.length);
        return s;
    }

    /** Where the upper layer starts: after Ethernet, the IP header and a Hop-by-Hop header if any. */
    static int l4(int version, boolean hopByHop) {
        return 14 + (version == 4 ? 20 : 40) + (hopByHop ? 8 : 0);
    }

    /** The pseudo-header sum as the kernel leaves it in the field: over the whole upper-layer length. */
    static int pseudo(MemorySegment s, int version, int upperLength, int protocol) {
        return version == 4
                ? Checksum.ip4Pseudo(s, 14, upperLength, protocol)
                : Checksum.ip6Pseudo(s, 14, upperLength, protocol);
    }

    /** Whether the upper layer's checksum verifies under its pseudo-header (the field left in place). */
    static boolean verifies(MemorySegment s, int version, int l4, int length, int protocol) {
        int upper = length - l4;
        return Checksum.withPseudo(pseudo(s, version, upper, protocol), s, l4, upper) == 0;
    }

    @ParameterizedTest(name = "IPv{0}")
    @ValueSource(ints = {4, 6})
    void aTcpChecksumLeftToOffloadIsCompleted(int version) {
        byte[] f = frame(version, version == 6, TCP, tcp(0x18, random(999, version)));
        MemorySegment s = native_(f);
        int l4 = l4(version, version == 6);
        Bytes.u16(s, l4 + 16, pseudo(s, version, f.length - l4, TCP));
        assertThat(verifies(s, version, l4, f.length, TCP)).as("partial").isFalse();
        assertThat(Offload.complete(s, 0, f.length, 14, l4, 16)).isTrue();
        assertThat(verifies(s, version, l4, f.length, TCP)).isTrue();
    }

    @Test
    void aUdpChecksumThatComesOutZeroIsSentAsAllOnes() {
        byte[] payload = random(100, 3);
        byte[] f = frame(4, false, UDP, udp(payload));
        MemorySegment s = native_(f);
        int l4 = l4(4, false);
        Bytes.u16(s, l4 + 6, pseudo(s, 4, f.length - l4, UDP));
        MemorySegment copy = arena.allocate(f.length, 8).copyFrom(s.asSlice(0, f.length));
        Offload.complete(copy, 0, f.length, 14, l4, 6);
        int check = Bytes.u16(copy, l4 + 6);
        // adding the checksum to a payload word makes the sum all ones: the checksum comes out 0
        long word = l4 + 8;
        Bytes.u16(s, word, Checksum.fold((long) Bytes.u16(s, word) + check));
        assertThat(Offload.complete(s, 0, f.length, 14, l4, 6)).isTrue();
        assertThat(Bytes.u16(s, l4 + 6)).isEqualTo(0xffff);
        assertThat(verifies(s, 4, l4, f.length, UDP)).isTrue();
    }

    @Test
    void paddingAfterThePacketIsLeftOutAndOffsetsOutsideItAreRefused() {
        byte[] f = cat(frame(4, false, UDP, udp(random(10, 4))), new byte[16]); // Ethernet padding
        MemorySegment s = native_(f);
        int l4 = l4(4, false);
        int end = f.length - 16;
        Bytes.u16(s, l4 + 6, pseudo(s, 4, end - l4, UDP));
        assertThat(Offload.complete(s, 0, f.length, 14, l4, 6)).isTrue();
        assertThat(verifies(s, 4, l4, end, UDP)).isTrue();
        assertThat(Offload.complete(s, 0, f.length, 14, end - 1, 6)).isFalse();
        assertThat(Offload.complete(s, 0, f.length, 14, 10, 6))
                .as("before the IP header")
                .isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TCP over IPv4", "TCP over IPv6", "UDP over IPv6 behind a Hop-by-Hop header"})
    void aLargeSendIsCutIntoPacketsThatEachVerify(String kind) {
        int version = kind.contains("IPv4") ? 4 : 6;
        boolean tcp = kind.startsWith("TCP");
        boolean hopByHop = kind.contains("Hop");
        int protocol = tcp ? TCP : UDP;
        byte[] payload = random(10_000, kind.hashCode());
        int fin = 0x01;
        int psh = 0x08;
        int cwr = 0x80;
        int ack = 0x10;
        byte[] upper = tcp ? tcp(cwr | ack | psh | fin, payload) : udp(payload);
        byte[] big = frame(version, hopByHop, protocol, upper);
        MemorySegment s = native_(big);
        int l4 = l4(version, hopByHop);
        int field = tcp ? 16 : 6;
        int wholeL4 = big.length - l4;
        Bytes.u16(s, l4 + field, pseudo(s, version, wholeL4, protocol));
        int partial = Bytes.u16(s, l4 + field);
        int headers = l4 + (tcp ? 32 : 8);
        int size = 1448;
        int count = (payload.length + size - 1) / size;
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            int offset = i * size;
            int bytes = Math.min(size, payload.length - offset);
            int length = headers + bytes;
            MemorySegment seg = arena.allocate(length, 8);
            MemorySegment.copy(s, 0, seg, 0, headers);
            MemorySegment.copy(s, headers + offset, seg, headers, bytes);
            boolean last = i == count - 1;
            Offload.segment(seg, 0, length, 14, l4, tcp, i, offset, last, partial, wholeL4);

            assertThat(verifies(seg, version, l4, length, protocol))
                    .as("segment %d's checksum", i)
                    .isTrue();
            if (version == 4) {
                assertThat(Bytes.u16(seg, 16)).as("total length").isEqualTo(length - 14);
                assertThat(Bytes.u16(seg, 18)).as("identification").isEqualTo(0x1234 + i);
                assertThat(Checksum.sum(seg, 14, 20)).as("header checksum").isEqualTo(0xffff);
            } else {
                assertThat(Bytes.u16(seg, 18)).as("payload length").isEqualTo(length - 54);
            }
            if (tcp) {
                assertThat(Bytes.u32(seg, l4 + 4)).as("sequence").isEqualTo(1000 + offset);
                int flags = Bytes.u8(seg, l4 + 13);
                assertThat(flags & (fin | psh)).as("FIN, PSH").isEqualTo(last ? fin | psh : 0);
                assertThat(flags & cwr).as("CWR").isEqualTo(i == 0 ? cwr : 0);
                assertThat(flags & ack).isEqualTo(ack);
            } else {
                assertThat(Bytes.u16(seg, l4 + 4)).as("UDP length").isEqualTo(length - l4);
            }
            byte[] part = new byte[bytes];
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, headers, part, 0, bytes);
            joined.writeBytes(part);
        }
        assertThat(joined.toByteArray()).isEqualTo(payload);
    }
}
