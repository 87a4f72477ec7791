package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8986 / RFC 4443 errors, byte for byte: the catalogue's V7, V8, V10 and V11. */
class IcmpErrorTest {
    private static final byte[] ROUTER_IN = HexFormat.of().parseHex("20010db8000100000000000000000001");
    private static final byte[] OFFENDER = HexFormat.of().parseHex("12340000000000000000000000000001");

    static DataplaneConfig router() {
        return Harness.config(
                List.of(Harness.sid("a3::", "End", null), Harness.sid("a5::", "End", null)), List.of(), List.of());
    }

    /** Checks the error's IPv6 and ICMPv6 headers and quote; returns it. */
    static ByteBuffer error(byte[] ip, int type, int code, int pointer, byte[] offending) {
        ByteBuffer p = ByteBuffer.wrap(ip);
        assertThat(p.get(0) >>> 4).isEqualTo(6);
        assertThat(p.get(6)).as("next header ICMPv6").isEqualTo((byte) 58);
        assertThat(p.get(7) & 0xff).as("hop limit").isEqualTo(64);
        assertThat(Arrays.copyOfRange(ip, 8, 24))
                .as("from the receiving interface")
                .isEqualTo(ROUTER_IN);
        assertThat(Arrays.copyOfRange(ip, 24, 40)).as("to the offender").isEqualTo(OFFENDER);
        assertThat(p.get(40) & 0xff).as("type").isEqualTo(type);
        assertThat(p.get(41) & 0xff).as("code").isEqualTo(code);
        assertThat(p.getInt(44)).as("pointer").isEqualTo(pointer);
        assertThat(Arrays.copyOfRange(ip, 48, ip.length))
                .as("the invoking packet")
                .isEqualTo(offending);
        assertThat(p.getShort(4) & 0xffff).isEqualTo(ip.length - 40);
        MemorySegment m = MemorySegment.ofArray(ip);
        int stored = p.getShort(42) & 0xffff;
        m.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 42, (byte) 0);
        m.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 43, (byte) 0);
        assertThat(dev.srv6sh.dataplane.proto.Icmp6.compute(m, 0, 40, ip.length - 40))
                .as("checksum")
                .isEqualTo(stored);
        return p;
    }

    /**
     * Checks an ICMPv6 error from the router's {@code in} address to the offender's source: type, code,
     * pointer (or MTU), checksum, and the quote (the offending packet, up to the IPv6 minimum MTU).
     */
    static void assertError(byte[] ip, int type, int code, int pointer, byte[] offending) {
        ByteBuffer p = ByteBuffer.wrap(ip);
        assertThat(p.get(6)).as("next header ICMPv6").isEqualTo((byte) 58);
        assertThat(Arrays.copyOfRange(ip, 8, 24))
                .as("from the receiving interface")
                .isEqualTo(ROUTER_IN);
        assertThat(Arrays.copyOfRange(ip, 24, 40))
                .as("to the offender")
                .isEqualTo(Arrays.copyOfRange(offending, 8, 24));
        assertThat(p.get(40) & 0xff).as("type").isEqualTo(type);
        assertThat(p.get(41) & 0xff).as("code").isEqualTo(code);
        assertThat(p.getInt(44)).as("pointer / MTU").isEqualTo(pointer);
        assertThat(Arrays.copyOfRange(ip, 48, ip.length))
                .as("the invoking packet, as much as fits in 1280 bytes")
                .isEqualTo(Arrays.copyOf(offending, Math.min(offending.length, 1280 - 48)));
        assertThat(p.getShort(4) & 0xffff).isEqualTo(ip.length - 40);
        assertThat(dev.srv6sh.dataplane.proto.Icmp6.checksumValid(MemorySegment.ofArray(ip), 0, 40, ip.length - 40))
                .as("checksum")
                .isTrue();
    }

    private static byte[] sendOne(byte[] packet) throws Exception {
        try (Harness h = new Harness(router())) {
            h.send(packet);
            h.assertBalanced();
            return h.onlyOut();
        }
    }

    @Test
    void v7SegmentsLeftBeyondLastEntryIsParameterProblemAtTheSegmentsLeftField() throws Exception {
        byte[] in = Vectors.get("V7_SLgtLE1_in");
        error(sendOne(in), 4, 0, 43, in);
    }

    @Test
    void v8LastEntryBeyondTheHeaderIsParameterProblemAtTheSegmentsLeftField() throws Exception {
        byte[] in = Vectors.get("V8_LEgtMax_in");
        error(sendOne(in), 4, 0, 43, in);
    }

    @Test
    void v10HopLimitOneIsTimeExceeded() throws Exception {
        byte[] in = Vectors.get("V10_hlim1_in");
        error(sendOne(in), 3, 0, 0, in);
    }

    @Test
    void v11NoSegmentsLeftAtAnEndSidIsAnUpperLayerHeaderError() throws Exception {
        byte[] in = Vectors.get("V1_End_in");
        in[24 + 15] = 0; // DA a5:: (a local End SID)
        in[24] = 0;
        in[25] = (byte) 0xa5;
        in[43] = 0; // SL 0
        error(sendOne(in), 4, 4, 96, in);
    }

    @Test
    void noErrorAboutAnErrorNorToAnUnspecifiedOrMulticastSource() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] unspecified = Vectors.get("V10_hlim1_in");
            Arrays.fill(unspecified, 8, 24, (byte) 0);
            h.send(unspecified);
            // an ICMPv6 Destination Unreachable whose hop limit runs out in transit
            byte[] error = new byte[48];
            error[0] = 0x60;
            error[5] = 8;
            error[6] = 58;
            error[7] = 1;
            System.arraycopy(OFFENDER, 0, error, 8, 16);
            System.arraycopy(HexFormat.of().parseHex("20010db8009900000000000000000077"), 0, error, 24, 16);
            error[40] = 1;
            h.send(error);
            byte[] multicast = Vectors.get("V10_hlim1_in");
            multicast[8] = (byte) 0xff; // ip6-input refuses a multicast source before any behavior
            h.send(multicast);
            assertThat(h.out).isEmpty();
            Counters c = h.engine.counters();
            assertThat(c.icmpErrors())
                    .containsExactly(java.util.Map.entry("not sent about this packet (RFC 4443 §2.4 (e))", 2L));
            assertThat(c.get("end", "hop limit exceeded")).isEqualTo(1);
            assertThat(c.get("ip6-rewrite", "TTL or hop limit expired in transit"))
                    .isEqualTo(1);
            assertThat(c.get("ip6-input", "source address is multicast")).isEqualTo(1);
            h.assertBalanced();
        }
    }

    @Test
    void errorsAreRateLimited() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] in = Vectors.get("V10_hlim1_in");
            for (int i = 0; i < 500; i++) {
                h.engine.port("in", MemoryPort.class).inject(Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, in));
            }
            h.engine.poll();
            Counters c = h.engine.counters();
            // the burst, plus whatever the bucket earned (1 per ms) while 500 packets were processed
            assertThat(c.icmpSent()).isBetween(Ip6IcmpError.BURST, Ip6IcmpError.BURST + 150);
            assertThat(c.icmpErrors().get("rate-limited (RFC 4443 §2.4 (f))")).isEqualTo(500 - c.icmpSent());
            assertThat(h.out).hasSize((int) c.icmpSent());
            h.assertBalanced();
        }
    }

    @Test
    void oneSourcesFloodDoesNotSilenceTheErrorsOthersAreOwed() throws Exception {
        try (Harness h = new Harness(router())) {
            byte[] bad = Vectors.get("V7_SLgtLE1_in");
            for (int i = 0; i < 400; i++) {
                h.engine.port("in", MemoryPort.class).inject(Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, bad));
            }
            h.engine.poll();
            long flood = h.engine.counters().icmpSent();
            assertThat(flood).as("one source's burst").isBetween(IcmpRateLimit.BURST, IcmpRateLimit.BURST + 40);
            // another source, right after the flood, still gets its error
            byte[] other = bad.clone();
            other[8 + 15] ^= 0x42; // a different source address
            h.in.clear();
            h.out.clear();
            h.send(other);
            assertThat(h.engine.counters().icmpSent()).isEqualTo(flood + 1);
        }
    }
}
