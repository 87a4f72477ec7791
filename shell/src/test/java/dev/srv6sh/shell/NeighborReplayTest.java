package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.pcap.LinkType;
import dev.srv6sh.dataplane.pcap.PcapReader;
import dev.srv6sh.dataplane.pcap.PcapRecord;
import dev.srv6sh.dataplane.pcap.PcapWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The held-out kind of check: SRv6 packets (End, End.X, H.Encaps, H.Encaps.Red, H.Insert, End.DX4,
 * and one that earns an ICMPv6 error back to its source) replayed through {@code srv6sh replay} with
 * a script that has no neighbor line. Every packet must come out, to the replay peer's documented MAC,
 * after one solicitation per next hop, which the output holds too.
 */
class NeighborReplayTest {
    static final long T = 1_700_000_000_000_000_000L;
    static final String SCRIPT = Cli.resource("replay/neighbors.srv6");
    static final String SRC = "2001:db8:99::1";
    static final String INSIDE_PEER = "00:00:5e:00:53:01";
    static final String TRANSIT_PEER = "00:00:5e:00:53:02";

    @TempDir
    Path dir;

    static byte[] addr(String a) throws IOException {
        return java.net.InetAddress.getByName(a).getAddress();
    }

    static byte[] ip6(String src, String dst, int hopLimit, int nextHeader, byte[] payload) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
        b.putInt(0x6000_0000)
                .putShort((short) payload.length)
                .put((byte) nextHeader)
                .put((byte) hopLimit);
        b.put(addr(src)).put(addr(dst)).put(payload);
        return b.array();
    }

    /** UDP 1234 → 1234 "SRV6TEST", checksum 0 (routers do not check it). */
    static byte[] udp() {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putShort((short) 1234).putShort((short) 1234).putShort((short) 16).putShort((short) 0);
        return b.put("SRV6TEST".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .array();
    }

    /** An SRH with Segment List[0] first, then the payload. */
    static byte[] srh(int nextHeader, int sl, byte[] payload, String... list) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + 16 * list.length + payload.length);
        b.put((byte) nextHeader).put((byte) (2 * list.length)).put((byte) 4).put((byte) sl);
        b.put((byte) (list.length - 1)).put((byte) 0).putShort((short) 0);
        for (String s : list) {
            b.put(addr(s));
        }
        return b.put(payload).array();
    }

    /** IPv4 198.51.100.7 → 192.0.2.77 UDP, TTL 64, header checksum right. */
    static byte[] ip4() {
        byte[] u = udp();
        ByteBuffer b = ByteBuffer.allocate(20 + u.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + u.length)).putInt(0);
        b.put((byte) 64).put((byte) 17).putShort((short) 0);
        b.put(new byte[] {(byte) 198, 51, 100, 7})
                .put(new byte[] {(byte) 192, 0, 2, 77})
                .put(u);
        byte[] p = b.array();
        ByteBuffer.wrap(p).putShort(10, (short) ~ReplayTest.sum(p, 0, 20));
        return p;
    }

    /** One packet of each kind, received on transit 1 ms apart. */
    Path input() throws IOException {
        byte[] inner = ip6("2001:db8:98::1", "2001:db8:97::1", 64, 17, udp());
        List<byte[]> packets = List.of(
                ip6(SRC, "2001:db8:a3::e", 64, 43, srh(41, 1, inner, "2001:db8:a5::1", "2001:db8:a3::e")),
                ip6(SRC, "2001:db8:a3::e1", 64, 43, srh(41, 1, inner, "2001:db8:a5::1", "2001:db8:a3::e1")),
                ip6(SRC, "2001:db8:7::1", 64, 17, udp()),
                ip6(SRC, "2001:db8:8::1", 64, 17, udp()),
                ip6(SRC, "2001:db8:9::1", 64, 17, udp()),
                ip6(SRC, "2001:db8:a3::d4", 64, 43, srh(4, 0, ip4(), "2001:db8:a3::d4")),
                ip6(SRC, "2001:db8:a3::e", 1, 43, srh(41, 1, inner, "2001:db8:a5::1", "2001:db8:a3::e")));
        Path in = dir.resolve("core.pcap");
        try (PcapWriter w = PcapWriter.create(in, LinkType.RAW)) {
            for (int i = 0; i < packets.size(); i++) {
                w.write(T + i * 1_000_000L, packets.get(i));
            }
        }
        return in;
    }

    Cli replay(Path out) throws IOException {
        return ReplayTest.replay(SCRIPT, "--router", "r", "--in", "transit=" + input(), "--out", out.toString());
    }

    static List<byte[]> frames(Path file) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (PcapReader rd = PcapReader.open(file)) {
            for (PcapRecord r; (r = rd.next()) != null; ) {
                out.add(r.data());
            }
        }
        return out;
    }

    static String mac(byte[] f) {
        return HexFormat.ofDelimiter(":").formatHex(f, 0, 6);
    }

    static boolean isNs(byte[] f) {
        return f.length > 54 && f[12] == (byte) 0x86 && f[13] == (byte) 0xdd && f[20] == 58 && (f[54] & 0xff) == 135;
    }

    @Test
    void everyPacketLeavesToThePeersMacAfterOneSolicitationPerNextHop() throws IOException {
        Path out = dir.resolve("out");
        Cli r = replay(out);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .containsPattern("out +transit +8 sent")
                .containsPattern("out +inside +2 sent")
                .containsPattern("peer transit +2 ARP/ND solicitations answered from " + TRANSIT_PEER)
                .containsPattern("peer inside +1 ARP/ND solicitations answered from " + INSIDE_PEER)
                .containsPattern("drop +1 +end: hop limit exceeded") // answered with Time Exceeded
                .doesNotContain("glean");
        List<byte[]> transit = frames(out.resolve("transit.pcap"));
        List<byte[]> ns = transit.stream().filter(NeighborReplayTest::isNs).toList();
        assertThat(ns)
                .extracting(f -> Arrays.copyOfRange(f, 14 + 48, 14 + 64))
                .as("one NS for the VPC gateway (the default route), one for End.X's next hop")
                .containsExactlyInAnyOrder(addr("2001:db8:0:101::1"), addr("2001:db8:0:101::9"));
        List<byte[]> data = transit.stream().filter(f -> !isNs(f)).toList();
        assertThat(data).hasSize(6);
        assertThat(data).extracting(NeighborReplayTest::mac).containsOnly(TRANSIT_PEER);
        assertThat(data)
                .extracting(f -> Arrays.copyOfRange(f, 14 + 24, 14 + 40))
                .containsExactlyInAnyOrder(
                        addr("2001:db8:a5::1"), // End
                        addr("2001:db8:a5::1"), // End.X
                        addr("2001:db8:a4::1"), // H.Encaps
                        addr("2001:db8:a4::1"), // H.Encaps.Red
                        addr("2001:db8:a6::1"), // H.Insert
                        addr(SRC)); // Time Exceeded, back to the source
        List<byte[]> inside = frames(out.resolve("inside.pcap"));
        assertThat(inside).hasSize(2);
        assertThat(Arrays.copyOfRange(inside.get(0), 12, 14)).as("ARP").containsExactly(0x08, 0x06);
        assertThat(mac(inside.get(1))).as("End.DX4's IPv4 packet").isEqualTo(INSIDE_PEER);
        String json = Files.readString(out.resolve("counters.json"));
        assertThat(json)
                .contains("\"neighbors\": [")
                .contains("\"address\": \"192.0.2.77\"")
                .contains("\"address\": \"2001:db8:0:101::9\"")
                .contains("\"state\": \"reachable\"")
                .contains("\"mac\": \"" + TRANSIT_PEER + "\"");
    }

    @Test
    void tsharkDecodesTheSolicitationsAndThePeersMac() throws Exception {
        String tshark = ReplayTest.tshark();
        Path out = dir.resolve("out");
        Cli r = replay(out);
        assertThat(r.exit()).as(r.err()).isZero();
        String fields = ReplayTest.run(tshark, "-G", "fields");
        String target = ReplayTest.pick(fields, "icmpv6.nd.ns.target_address");
        String decoded = ReplayTest.run(
                tshark,
                "-r",
                out.resolve("transit.pcap").toString(),
                "-T",
                "fields",
                "-E",
                "separator=|",
                "-e",
                "eth.dst",
                "-e",
                "icmpv6.type",
                "-e",
                target,
                "-e",
                "icmpv6.opt.linkaddr");
        List<String> lines = decoded.strip().lines().toList();
        assertThat(lines)
                .filteredOn(l -> l.contains("|135|"))
                .containsExactlyInAnyOrder(
                        "33:33:ff:00:00:01|135|2001:db8:0:101::1|" + routerMac(lines),
                        "33:33:ff:00:00:09|135|2001:db8:0:101::9|" + routerMac(lines));
        assertThat(lines).filteredOn(l -> !l.contains("|135|")).hasSize(6).allMatch(l -> l.startsWith(TRANSIT_PEER));
        String arp = ReplayTest.run(
                tshark,
                "-r",
                out.resolve("inside.pcap").toString(),
                "-T",
                "fields",
                "-E",
                "separator=|",
                "-e",
                "eth.dst",
                "-e",
                "arp.opcode",
                "-e",
                "arp.dst.proto_ipv4",
                "-e",
                "ip.dst");
        assertThat(arp.strip().lines().toList())
                .containsExactly("ff:ff:ff:ff:ff:ff|1|192.0.2.77|", INSIDE_PEER + "|||192.0.2.77");
    }

    /** The source link-layer address the router's solicitations carry: its transit MAC. */
    private static String routerMac(List<String> lines) {
        return lines.stream()
                .filter(l -> l.contains("|135|"))
                .findFirst()
                .map(l -> l.substring(l.lastIndexOf('|') + 1))
                .orElseThrow();
    }
}
