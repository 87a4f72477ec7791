package dev.srv6sh.shell.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.srv6sh.dataplane.Clock;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wire benchmark's frames are what its table says they are: checked byte by byte, run through a
 * real engine with the benchmark's own router program (the same frames the srv6sh router gets from
 * trafgen), decoded by tshark where it is installed, and read back from the trafgen configuration.
 */
class WireFramesTest {
    @Test
    void thePlainFrameIsA64ByteClassUdpPacketWithValidChecksums() {
        byte[] f = WirePlan.frame(WirePlan.PLAIN);
        assertThat(f).hasSize(60); // 64 on the wire with the FCS
        assertThat(Arrays.copyOfRange(f, 0, 14))
                .isEqualTo(HexFormat.of().parseHex("020000000102" + "020000000101" + "0800"));
        assertThat(HexFormat.of().formatHex(f, 14, 34))
                .isEqualTo("4500002e00004000" + "4011" + hex(f, 24, 26) + "c6336401" + "cb007164");
        assertThat(WireFrames.checksum(f, 14, 20, 0))
                .as("IPv4 header checksum verifies")
                .isZero();
        long pseudo = sum(f, 26, 8) + 17 + 26;
        assertThat(WireFrames.checksum(f, 34, 26, pseudo))
                .as("UDP checksum verifies")
                .isZero();
        assertThat(hex(f, 34, 38)).isEqualTo("04000009"); // ports 1024 -> 9
    }

    @Test
    void theSrv6FrameIsTheSamePacketBehindAnIpv6HeaderAndAOneSidSrh() {
        byte[] f = WirePlan.frame(WirePlan.DX4);
        byte[] plain = WirePlan.frame(WirePlan.PLAIN);
        assertThat(f).hasSize(14 + 40 + 24 + 46);
        assertThat(hex(f, 12, 14)).isEqualTo("86dd");
        assertThat(hex(f, 14, 22)).isEqualTo("60000000" + "0046" + "2b" + "40"); // payload 70, SRH, hop limit 64
        assertThat(hex(f, 22, 38)).isEqualTo("20010db8000100000000000000000001");
        assertThat(hex(f, 38, 54)).isEqualTo("20010db800ff000000000000000000d4");
        assertThat(hex(f, 54, 62)).isEqualTo("04020400" + "00000000"); // IPv4 next, len 2, type 4, SL 0, LE 0
        assertThat(hex(f, 62, 78)).isEqualTo("20010db800ff000000000000000000d4");
        assertThat(Arrays.copyOfRange(f, 78, f.length)).isEqualTo(Arrays.copyOfRange(plain, 14, plain.length));
    }

    @Test
    void theRouterProgramForwardsDecapsulatesAndEncapsulatesTheFrames() throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (Engine e = new Engine("rtr", Clock.SYSTEM, (iface, pool) -> {
            MemoryPort p = (MemoryPort) MemoryPort.FACTORY.open(iface, pool);
            p.onTransmit((name, seg, off, len) -> {
                if (name.equals("out")) {
                    out.add(copy(seg, off, len));
                }
            });
            return p;
        })) {
            e.apply(WirePlan.router("af_packet").inMemory());
            for (String c : WirePlan.CASES) {
                e.port("in", MemoryPort.class).inject(WirePlan.frame(c));
                e.poll();
            }
        }
        assertThat(out).hasSize(3);
        byte[] plain = WirePlan.frame(WirePlan.PLAIN);
        byte[] forwarded = plain.clone();
        System.arraycopy(HexFormat.of().parseHex("020000000299" + "020000000201"), 0, forwarded, 0, 12);
        forwarded[22] = 63; // TTL
        forwarded[24] = 0;
        forwarded[25] = 0;
        int h = WireFrames.checksum(forwarded, 14, 20, 0);
        forwarded[24] = (byte) (h >>> 8);
        forwarded[25] = (byte) h;
        assertThat(out.get(0)).as("ip4-forward").isEqualTo(forwarded);
        assertThat(out.get(1))
                .as("End.DX4 hands the sink the very packet ip4-forward does")
                .isEqualTo(forwarded);
        byte[] encaps = out.get(2);
        assertThat(hex(encaps, 0, 14)).isEqualTo("020000000299" + "020000000201" + "86dd");
        assertThat(hex(encaps, 38, 54)).as("outer destination: the SID").isEqualTo("20010db800ee00000000000000000001");
        byte[] steered = WirePlan.frame(WirePlan.ENCAPS);
        assertThat(Arrays.copyOfRange(encaps, encaps.length - 46, encaps.length))
                .as("the inner packet, TTL kept (RFC 8986 H.Encaps decrements none)")
                .satisfiesAnyOf(b -> assertThat(b).isEqualTo(Arrays.copyOfRange(steered, 14, 60)), b -> assertThat(b[8])
                        .isEqualTo((byte) 63));
    }

    @Test
    void theTrafgenConfigurationHoldsExactlyTheFrame() {
        for (String c : WirePlan.CASES) {
            byte[] f = WirePlan.frame(c);
            String conf = WireFrames.trafgen(c, f);
            assertThat(conf).startsWith("# " + c).contains("{\n").endsWith("}\n");
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            for (String tok :
                    conf.substring(conf.indexOf('{') + 1, conf.lastIndexOf('}')).split("[,\\s]+")) {
                if (!tok.isEmpty()) {
                    assertThat(tok).matches("0x[0-9a-f]{2}");
                    back.write(Integer.parseInt(tok.substring(2), 16));
                }
            }
            assertThat(back.toByteArray()).as(c).isEqualTo(f);
        }
    }

    @Test
    void tsharkDecodesTheFramesAsTheTableSays(@TempDir Path dir) throws Exception {
        boolean have = Namespaces.quiet("tshark", "-v").exit() == 0;
        if (!have && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("tshark is not installed; CI must have it (.ci/run installs it)");
        }
        assumeTrue(have, "tshark is not installed");
        Path pcap = dir.resolve("frames.pcap");
        Files.write(pcap, pcap(WirePlan.CASES.stream().map(WirePlan::frame).toList()));
        Namespaces.Result r = Namespaces.quiet(
                "tshark",
                "-r",
                pcap.toString(),
                "-o",
                "ip.check_checksum:TRUE",
                "-o",
                "udp.check_checksum:TRUE",
                "-T",
                "fields",
                "-E",
                "separator=,",
                "-e",
                "ipv6.dst",
                "-e",
                "ipv6.routing.type",
                "-e",
                "ipv6.routing.segleft",
                "-e",
                "ip.dst",
                "-e",
                "ip.checksum.status",
                "-e",
                "udp.dstport",
                "-e",
                "udp.checksum.status",
                "-e",
                "frame.len");
        assertThat(r.exit()).as(r.out()).isZero();
        // checksum status 1: good (tshark checked it)
        assertThat(r.out()
                        .strip()
                        .lines()
                        .filter(l -> !l.startsWith("Running as"))
                        .toList())
                .containsExactly(
                        ",,,203.0.113.100,1,9,1,60",
                        "2001:db8:ff::d4,4,0,203.0.113.100,1,9,1,124",
                        ",,,203.0.113.200,1,9,1,60");
    }

    private static byte[] pcap(List<byte[]> frames) {
        ByteBuffer b = ByteBuffer.allocate(
                        24 + frames.stream().mapToInt(f -> 16 + f.length).sum())
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0)
                .putInt(65535)
                .putInt(1);
        for (byte[] f : frames) {
            b.putInt(0).putInt(0).putInt(f.length).putInt(f.length).put(f);
        }
        return b.array();
    }

    private static byte[] copy(MemorySegment seg, long off, int len) {
        byte[] b = new byte[len];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off, b, 0, len);
        return b;
    }

    private static long sum(byte[] p, int from, int length) {
        long s = 0;
        for (int i = 0; i < length; i += 2) {
            s += ((p[from + i] & 0xff) << 8) | (p[from + i + 1] & 0xff);
        }
        return s;
    }

    private static String hex(byte[] b, int from, int to) {
        return HexFormat.of().formatHex(b, from, to);
    }
}
