package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.pcap.LinkType;
import dev.srv6sh.dataplane.pcap.PcapReader;
import dev.srv6sh.dataplane.pcap.PcapRecord;
import dev.srv6sh.dataplane.pcap.PcapWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code srv6sh replay} end to end: a script's router, raw-IP pcap input, Ethernet pcap output that
 * both this project's reader and Wireshark's dissector decode to the H.Encaps of vector V5.
 */
class ReplayTest {
    static final long T = 1_700_000_000_000_000_000L;
    static final String SCRIPT = Cli.resource("replay/encaps.srv6");

    @TempDir
    Path dir;

    /** The test vectors' V5 input: IPv6 1234::1 -> a7::1234, UDP "SRV6TEST", hop limit 64. */
    static byte[] v5() throws IOException {
        Path f = Cli.root().resolve("dataplane/src/test/resources/vectors/srv6-vectors.txt");
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("V5_HEncaps_in ")) {
                return HexFormat.of().parseHex(lines.get(i + 1).trim());
            }
        }
        throw new IllegalStateException("no V5_HEncaps_in in " + f);
    }

    /** IPv4 192.0.2.10 -> 198.51.100.7, TTL 64, UDP 1234 -> 1234 "SRV6TEST" (UDP checksum 0). */
    static byte[] ip4() {
        ByteBuffer b = ByteBuffer.allocate(36);
        b.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) 36)
                .putShort((short) 1)
                .putShort((short) 0);
        b.put((byte) 64).put((byte) 17).putShort((short) 0);
        b.put(new byte[] {(byte) 192, 0, 2, 10}).put(new byte[] {(byte) 198, 51, 100, 7});
        b.putShort((short) 1234).putShort((short) 1234).putShort((short) 16).putShort((short) 0);
        b.put("SRV6TEST".getBytes(StandardCharsets.US_ASCII));
        byte[] p = b.array();
        ByteBuffer.wrap(p).putShort(10, (short) ~sum(p, 0, 20));
        return p;
    }

    static int sum(byte[] p, int off, int len) {
        int s = 0;
        for (int i = off; i < off + len; i += 2) {
            s += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return s;
    }

    Path input(byte[]... packets) throws IOException {
        Path in = dir.resolve("clients.pcap");
        try (PcapWriter w = PcapWriter.create(in, LinkType.RAW)) {
            for (int i = 0; i < packets.length; i++) {
                w.write(T + i * 1_000_000L, packets[i]);
            }
        }
        return in;
    }

    static Cli replay(String script, String... rest) {
        List<String> args = new ArrayList<>(List.of("replay", script));
        args.addAll(List.of(rest));
        return Cli.run(args.toArray(String[]::new));
    }

    static byte[] v6(String a) throws IOException {
        return java.net.InetAddress.getByName(a).getAddress();
    }

    @Test
    void hEncapsOfIpv6AndIpv4ReadBackFieldByField() throws IOException {
        byte[] v5 = v5();
        byte[] v4 = ip4();
        Path out = dir.resolve("out");
        Cli r = replay(SCRIPT, "--router", "r", "--in", "inside=" + input(v5, v4), "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .contains("replay of router r")
                .containsPattern("in +inside +2 received of 2 records")
                .containsPattern("out +transit +3 sent")
                .containsPattern("peer transit +1 ARP/ND solicitations answered from 00:00:5e:00:53:02")
                .contains("drop none")
                .contains("counters: " + out.resolve("counters.json"));
        assertThat(out.resolve("inside.pcap")).doesNotExist();
        List<PcapRecord> sent = new ArrayList<>();
        try (PcapReader rd = PcapReader.open(out.resolve("transit.pcap"))) {
            assertThat(rd.linkType()).isEqualTo(LinkType.ETHERNET);
            for (PcapRecord rec; (rec = rd.next()) != null; ) {
                sent.add(rec);
            }
        }
        // first the neighbor solicitation for the VPC gateway (the default route's next hop), which the
        // replay's peer on transit answered; then the packets, to the peer's MAC
        byte[] ns = sent.removeFirst().data();
        assertThat(ns[14 + 40] & 0xff).as("ICMPv6 type: NS").isEqualTo(135);
        assertThat(Arrays.copyOfRange(ns, 14 + 48, 14 + 64)).isEqualTo(v6("2001:db8:0:101::1"));
        // The router sends in its graph's order (IPv4 before IPv6 within a vector); each frame keeps the
        // timestamp of the packet that caused it.
        assertThat(sent).extracting(PcapRecord::timeNanos).containsExactlyInAnyOrder(T, T + 1_000_000L);
        sent.sort(java.util.Comparator.comparingLong(PcapRecord::timeNanos));
        byte[][] inner = {v5, v4};
        for (int i = 0; i < 2; i++) {
            ByteBuffer f = ByteBuffer.wrap(sent.get(i).data());
            assertThat(Arrays.copyOfRange(f.array(), 0, 6))
                    .as("to the transit peer")
                    .isEqualTo(HexFormat.ofDelimiter(":").parseHex("00:00:5e:00:53:02"));
            assertThat(f.getShort(12) & 0xffff).as("EtherType IPv6").isEqualTo(0x86dd);
            int ip = 14;
            assertThat(f.get(ip + 6)).as("next header: routing").isEqualTo((byte) 43);
            assertThat(f.get(ip + 7) & 0xff).as("outer hop limit").isEqualTo(64);
            assertThat(Arrays.copyOfRange(f.array(), ip + 8, ip + 24)).isEqualTo(v6("a3::"));
            assertThat(Arrays.copyOfRange(f.array(), ip + 24, ip + 40)).isEqualTo(v6("a4::"));
            int srh = ip + 40;
            assertThat(f.get(srh)).as("SRH next header").isEqualTo((byte) (i == 0 ? 41 : 4));
            assertThat(f.get(srh + 2)).as("routing type 4").isEqualTo((byte) 4);
            assertThat(f.get(srh + 3)).as("segments left").isEqualTo((byte) 2);
            assertThat(f.get(srh + 4)).as("last entry").isEqualTo((byte) 2);
            assertThat(Arrays.copyOfRange(f.array(), srh + 8, srh + 24)).isEqualTo(v6("a6::c7"));
            assertThat(Arrays.copyOfRange(f.array(), srh + 24, srh + 40)).isEqualTo(v6("a5::"));
            assertThat(Arrays.copyOfRange(f.array(), srh + 40, srh + 56)).isEqualTo(v6("a4::"));
            byte[] got = Arrays.copyOfRange(f.array(), srh + 56, f.limit());
            assertThat(got).hasSize(inner[i].length);
            if (i == 0) {
                assertThat(got[7] & 0xff).as("inner hop limit").isEqualTo(63);
            } else {
                assertThat(got[8] & 0xff).as("inner TTL").isEqualTo(63);
                assertThat(sum(got, 0, 20)).as("inner header checksum").isEqualTo(0xffff);
            }
        }
        String json = Files.readString(out.resolve("counters.json"));
        assertThat(json).contains("\"router\": \"r\"").contains("\"interface\": \"transit\"");
    }

    /**
     * Wireshark's SRH dissector agrees. The field names changed across Wireshark versions, so the test
     * asks tshark which it has.
     */
    @Test
    void tsharkDecodesTheExpectedSrhFields() throws Exception {
        String tshark = tshark();
        Path out = dir.resolve("out");
        Cli r = replay(SCRIPT, "--router", "r", "--in", "inside=" + input(v5(), ip4()), "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String fields = run(tshark, "-G", "fields");
        String lastEntry = pick(fields, "ipv6.routing.srh.last_entry", "ipv6.routing.last_entry");
        String sids = pick(fields, "ipv6.routing.srh.addr", "ipv6.routing.sid");
        String decoded = run(
                tshark,
                "-r",
                out.resolve("transit.pcap").toString(),
                "-T",
                "fields",
                "-E",
                "separator=|",
                "-e",
                "ipv6.src",
                "-e",
                "ipv6.dst",
                "-e",
                "ipv6.routing.segleft",
                "-e",
                lastEntry,
                "-e",
                sids);
        assertThat(decoded.strip().lines().toList())
                .containsExactlyInAnyOrder(
                        "2001:db8:0:101::4|ff02::1:ff00:1|||", // the NS for the gateway
                        "a3::,1234::1|a4::,a7::1234|2|2|a6::c7,a5::,a4::",
                        "a3::|a4::|2|2|a6::c7,a5::,a4::");
    }

    static String pick(String fields, String... names) {
        for (String n : names) {
            if (fields.contains("\t" + n + "\t")) {
                return n;
            }
        }
        throw new AssertionError("tshark knows none of " + String.join(", ", names));
    }

    static String tshark() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "tshark");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        String why = "tshark is not installed (apt-get install tshark)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(why + "; CI must have it");
        }
        Assumptions.abort(why);
        return null;
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + err).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void anUnknownRouterListsTheRouters() throws IOException {
        Cli r = replay(SCRIPT, "--router", "rr", "--in", "inside=" + input(ip4()), "--out", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(SCRIPT + ": no router 'rr' in the script; its routers are r\n");
    }

    @Test
    void aScriptThatDoesNotCheckIsReportedAsByCheck() throws IOException {
        String broken = Cli.resource("replay/broken.srv6");
        Cli r = replay(broken, "--router", "r", "--in", "inside=" + input(ip4()), "--out", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith(broken + ":6:").contains("'q'").contains("^");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void wrongArgumentsAreExitTwoWithoutAStackTrace() throws IOException {
        Path in = input(ip4());
        Cli noEq = replay(SCRIPT, "--router", "r", "--in", in.toString(), "--out", dir.toString());
        assertThat(noEq.exit()).isEqualTo(2);
        assertThat(noEq.err()).isEqualTo("srv6sh: --in takes IFACE=FILE, not '" + in + "'\n");
        Cli eth = replay(
                SCRIPT,
                "--router",
                "r",
                "--in",
                "eth0=" + in,
                "--out",
                dir.resolve("o").toString());
        assertThat(eth.exit()).isEqualTo(2);
        assertThat(eth.err())
                .isEqualTo("srv6sh: replay: router r has no interface 'eth0'; its interfaces are inside, transit\n");
        Cli missing = replay(SCRIPT, "--router", "r", "--out", dir.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option: '--in=IFACE=IN.pcap'");
    }

    @Test
    void aDamagedPcapIsExitThreeNamingFileAndRecord() throws IOException {
        Path in = input(ip4(), ip4());
        byte[] all = Files.readAllBytes(in);
        Files.write(in, Arrays.copyOf(all, all.length - 1));
        Cli r = replay(
                SCRIPT,
                "--router",
                "r",
                "--in",
                "inside=" + in,
                "--out",
                dir.resolve("o").toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err())
                .isEqualTo(
                        "srv6sh: replay: " + in + ": record 2: truncated: the record says 36 bytes, the file has 35\n");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void helpShowsAWorkedExample() {
        Cli r = Cli.run("replay", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("--router=R")
                .contains("--in=IFACE=IN.pcap")
                .contains("  srv6sh replay quickstart.srv6 --router pr --in inside=pc.pcap --out out\n");
    }
}
