package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.proto.Checksum;
import dev.srv6sh.dataplane.proto.Tcp;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * H.Encaps lowers the MSS a TCP SYN announces to what fits through the tunnel, keeping the TCP
 * checksum right (RFC 1624, at even and odd option offsets), and leaves every other segment as it is.
 * The router of {@link PacketTooBigTest}: three SIDs (96 bytes added), MTU 1500 towards the first.
 */
class MssClampTest {
    static final int INNER_MTU = 1500 - PacketTooBigTest.ADDED;

    /** TCP options: the MSS first (its value at offset 22, even), or after a NOP (offset 23, odd). */
    static byte[] options(boolean odd, int mss) {
        return odd
                ? new byte[] {1, 2, 4, (byte) (mss >>> 8), (byte) mss, 1, 1, 1}
                : new byte[] {2, 4, (byte) (mss >>> 8), (byte) mss, 1, 1, 4, 2};
    }

    static byte[] tcp(int flags, byte[] options) {
        byte[] t = new byte[20 + options.length];
        t[0] = (byte) 0xc3; // source port 50001
        t[1] = 0x51;
        t[2] = 0x14; // destination port 5201
        t[3] = 0x51;
        t[7] = 1; // sequence number
        t[12] = (byte) ((t.length / 4) << 4);
        t[13] = (byte) flags;
        t[14] = (byte) 0xfa; // window
        System.arraycopy(options, 0, t, 20, options.length);
        return t;
    }

    /** IPv4 (DF) from the neighbor behind 'in' into the steered prefix, TCP checksum right. */
    static byte[] syn4(int flags, byte[] options) {
        byte[] ip = Packets.udp4("192.0.2.10", "203.0.113.7", 64, true, 0);
        byte[] t = tcp(flags, options);
        byte[] p = Packets.concat(java.util.Arrays.copyOf(ip, 20), t);
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[9] = 6;
        p[10] = 0;
        p[11] = 0;
        MemorySegment m = MemorySegment.ofArray(p);
        int hc = Checksum.internet(m, 0, 20);
        p[10] = (byte) (hc >>> 8);
        p[11] = (byte) hc;
        int c = Checksum.withPseudo(Checksum.ip4Pseudo(m, 0, t.length, 6), m, 20, t.length);
        p[36] = (byte) (c >>> 8);
        p[37] = (byte) c;
        return p;
    }

    static byte[] syn6(int flags, byte[] options) {
        byte[] t = tcp(flags, options);
        byte[] p = Packets.ip6("2001:db8:9::1", "a7::1", 64, 6, t);
        MemorySegment m = MemorySegment.ofArray(p);
        int c = Checksum.withPseudo(Checksum.ip6Pseudo(m, 0, t.length, 6), m, 40, t.length);
        p[40 + 16] = (byte) (c >>> 8);
        p[40 + 17] = (byte) c;
        return p;
    }

    /** The inner packet of the one encapsulated packet sent. */
    static byte[] inner(Harness h) {
        byte[] out = h.onlyOut();
        return Packets.range(out, PacketTooBigTest.ADDED, out.length);
    }

    static int mss(byte[] ip, int tcp, boolean odd) {
        int at = tcp + (odd ? 23 : 22);
        return (ip[at] & 0xff) << 8 | ip[at + 1] & 0xff;
    }

    static long clamped(Harness h) {
        return h.engine.counters().get("sr-policy-rewrite-encaps", Counters.MSS_CLAMPED);
    }

    @Test
    void anIpv4SynAnnouncesWhatFitsThroughTheTunnelWithItsChecksumRight() throws Exception {
        for (boolean odd : new boolean[] {false, true}) {
            try (Harness h = new Harness(PacketTooBigTest.router())) {
                h.send(syn4(Tcp.SYN, options(odd, 1460)));
                byte[] in = inner(h);
                MemorySegment m = MemorySegment.ofArray(in);
                assertThat(mss(in, 20, odd)).as("odd " + odd).isEqualTo(INNER_MTU - 40);
                assertThat(Checksum.withPseudo(Checksum.ip4Pseudo(m, 0, in.length - 20, 6), m, 20, in.length - 20))
                        .as("TCP checksum, odd " + odd)
                        .isZero();
                assertThat(clamped(h)).isEqualTo(1);
                h.assertBalanced(); // counted, not dropped
            }
        }
    }

    @Test
    void anIpv6SynAndASynAckAreClampedToo() throws Exception {
        for (boolean odd : new boolean[] {false, true}) {
            try (Harness h = new Harness(PacketTooBigTest.router())) {
                h.send(syn6(Tcp.SYN | 0x10, options(odd, 1440)));
                byte[] in = inner(h);
                MemorySegment m = MemorySegment.ofArray(in);
                assertThat(mss(in, 40, odd)).isEqualTo(INNER_MTU - 60);
                assertThat(Checksum.withPseudo(Checksum.ip6Pseudo(m, 0, in.length - 40, 6), m, 40, in.length - 40))
                        .isZero();
                assertThat(clamped(h)).isEqualTo(1);
            }
        }
    }

    @Test
    void aSmallerMssALaterSegmentAndBrokenOptionsGoAsTheyAre() throws Exception {
        byte[][] untouched = {
            syn4(Tcp.SYN, options(false, 1200)), // fits already
            syn4(0x10, options(false, 1460)), // an ACK: only SYNs announce an MSS
            syn4(Tcp.SYN, new byte[] {2, 9, 5, (byte) 0xb4, 1, 1, 1, 1}), // length runs past the header
            syn4(Tcp.SYN, new byte[] {0, 2, 4, 5, (byte) 0xb4, 1, 1, 1}) // end of options first
        };
        for (byte[] p : untouched) {
            try (Harness h = new Harness(PacketTooBigTest.router())) {
                h.send(p);
                assertThat(inner(h)).isEqualTo(decremented(p));
                assertThat(clamped(h)).isZero();
            }
        }
    }

    /** {@code p} as H.Encaps forwards it untouched but for the TTL (and so the header checksum). */
    static byte[] decremented(byte[] p) {
        byte[] q = p.clone();
        MemorySegment m = MemorySegment.ofArray(q);
        dev.srv6sh.dataplane.proto.Ip4.decrementTtl(m, 0);
        return q;
    }
}
