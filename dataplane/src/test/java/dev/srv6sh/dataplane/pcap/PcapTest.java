package dev.srv6sh.dataplane.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The classic pcap format: round trips in both byte orders and resolutions, and damaged files. */
class PcapTest {
    @TempDir
    Path dir;

    static final long T0 = 1_700_000_000_123_456_789L;

    static List<PcapRecord> readAll(Path p) throws PcapException {
        List<PcapRecord> out = new ArrayList<>();
        try (PcapReader r = PcapReader.open(p)) {
            for (PcapRecord rec; (rec = r.next()) != null; ) {
                out.add(rec);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"BIG_ENDIAN, false", "BIG_ENDIAN, true", "LITTLE_ENDIAN, false", "LITTLE_ENDIAN, true"})
    void roundTrip(String orderName, boolean nanos) throws IOException {
        ByteOrder order = orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Path p = dir.resolve("rt.pcap");
        byte[] a = HexFormat.of().parseHex("02000000000102000000000286dd");
        byte[] b = new byte[100];
        Arrays.fill(b, (byte) 0x5a);
        try (PcapWriter w = PcapWriter.create(p, LinkType.RAW, order, nanos, 60)) {
            w.write(T0, a);
            w.write(T0 + 1_500, b);
            assertThat(w.records()).isEqualTo(2);
        }
        byte[] file = Files.readAllBytes(p);
        String magic = HexFormat.of().formatHex(file, 0, 4);
        String expected =
                order == ByteOrder.BIG_ENDIAN ? (nanos ? "a1b23c4d" : "a1b2c3d4") : (nanos ? "4d3cb2a1" : "d4c3b2a1");
        assertThat(magic).isEqualTo(expected);
        assertThat(file).hasSize(24 + 16 + a.length + 16 + 60);
        try (PcapReader r = PcapReader.open(p)) {
            assertThat(r.byteOrder()).isEqualTo(order);
            assertThat(r.nanosecond()).isEqualTo(nanos);
            assertThat(r.snaplen()).isEqualTo(60);
            assertThat(r.linkType()).isEqualTo(LinkType.RAW);
            PcapRecord first = r.next();
            assertThat(first.data()).isEqualTo(a);
            assertThat(first.originalLength()).isEqualTo(a.length);
            assertThat(first.truncated()).isFalse();
            assertThat(first.timeNanos()).isEqualTo(nanos ? T0 : T0 / 1000 * 1000);
            PcapRecord second = r.next();
            assertThat(second.data()).hasSize(60).containsOnly((byte) 0x5a);
            assertThat(second.originalLength()).isEqualTo(100);
            assertThat(second.truncated()).isTrue();
            assertThat(second.timeNanos()).isEqualTo(nanos ? T0 + 1_500 : (T0 + 1_500) / 1000 * 1000);
            assertThat(r.next()).isNull();
            assertThat(r.records()).isEqualTo(2);
        }
    }

    @Test
    void readsAHandWrittenLittleEndianMicrosecondFile() throws IOException {
        // As tcpdump on x86 writes it: d4c3b2a1, version 2.4, snaplen 65535, Ethernet; one 4-byte record
        // at 2 s + 3 µs on the wire as 10 bytes.
        String hex = "d4c3b2a1" + "0200" + "0400" + "00000000" + "00000000" + "ffff0000" + "01000000" + "02000000"
                + "03000000" + "04000000" + "0a000000" + "deadbeef";
        Path p = dir.resolve("hand.pcap");
        Files.write(p, HexFormat.of().parseHex(hex));
        try (PcapReader r = PcapReader.open(p)) {
            assertThat(r.linkType()).isEqualTo(LinkType.ETHERNET);
            assertThat(r.snaplen()).isEqualTo(65535);
            PcapRecord rec = r.next();
            assertThat(rec.timeNanos()).isEqualTo(2_000_003_000L);
            assertThat(rec.originalLength()).isEqualTo(10);
            assertThat(HexFormat.of().formatHex(rec.data())).isEqualTo("deadbeef");
        }
    }

    @Test
    void readsTheIpLinkTypes() throws IOException {
        for (LinkType t : LinkType.values()) {
            Path p = dir.resolve(t + ".pcap");
            try (PcapWriter w = PcapWriter.create(p, t)) {
                w.write(T0, new byte[] {0x45});
            }
            try (PcapReader r = PcapReader.open(p)) {
                assertThat(r.linkType()).isEqualTo(t);
            }
        }
        assertThat(LinkType.IPV4.code()).isEqualTo(228);
        assertThat(LinkType.IPV6.code()).isEqualTo(229);
        assertThat(LinkType.RAW.code()).isEqualTo(101);
    }

    Path written(int records) throws IOException {
        Path p = dir.resolve("ok.pcap");
        try (PcapWriter w = PcapWriter.create(p, LinkType.ETHERNET, ByteOrder.LITTLE_ENDIAN, false, 65535)) {
            for (int i = 0; i < records; i++) {
                w.write(T0 + i, new byte[64]);
            }
        }
        return p;
    }

    Path cut(Path from, int drop) throws IOException {
        byte[] all = Files.readAllBytes(from);
        Path p = dir.resolve("cut.pcap");
        Files.write(p, Arrays.copyOf(all, all.length - drop));
        return p;
    }

    @Test
    void aTruncatedRecordNamesTheFileAndTheRecord() throws IOException {
        Path p = cut(written(3), 10);
        try (PcapReader r = PcapReader.open(p)) {
            assertThat(r.next()).isNotNull();
            assertThat(r.next()).isNotNull();
            assertThatThrownBy(r::next)
                    .isInstanceOf(PcapException.class)
                    .hasMessage(p + ": record 3: truncated: the record says 64 bytes, the file has 54");
        }
    }

    @Test
    void aTruncatedRecordHeader() throws IOException {
        Path p = cut(written(2), 64 + 6);
        assertThatThrownBy(() -> readAll(p))
                .isInstanceOf(PcapException.class)
                .hasMessage(p + ": record 2: truncated record header (10 of 16 bytes)");
    }

    @Test
    void aCorruptLengthIsNotAnAllocation() throws IOException {
        Path p = written(1);
        byte[] all = Files.readAllBytes(p);
        all[24 + 8 + 3] = 0x7f; // captured length 0x7f000040
        Files.write(p, all);
        assertThatThrownBy(() -> readAll(p))
                .isInstanceOf(PcapException.class)
                .hasMessageStartingWith(p + ": record 1: captured length 2130706496 is more than any snap length");
    }

    @Test
    void fileHeaderProblems() throws IOException {
        Path empty = dir.resolve("empty.pcap");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> PcapReader.open(empty)).hasMessage(empty + ": empty file, not a pcap");

        Path shortHeader = cut(written(0), 4);
        assertThatThrownBy(() -> PcapReader.open(shortHeader))
                .hasMessage(shortHeader + ": truncated file header (20 of 24 bytes)");

        Path pcapng = dir.resolve("x.pcapng");
        Files.write(pcapng, HexFormat.of().parseHex("0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000"));
        assertThatThrownBy(() -> PcapReader.open(pcapng))
                .hasMessage(pcapng + ": pcapng is not supported; convert with editcap -F pcap " + pcapng + " OUT.pcap");

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "these are not packets at all");
        assertThatThrownBy(() -> PcapReader.open(text)).hasMessage(text + ": not a pcap file (magic 0x74686573)");

        Path missing = dir.resolve("missing.pcap");
        assertThatThrownBy(() -> PcapReader.open(missing)).hasMessage(missing + ": no such file");

        Path sll = dir.resolve("sll.pcap");
        byte[] h = Files.readAllBytes(written(0));
        h[20] = 113; // LINKTYPE_LINUX_SLL (tcpdump -i any)
        Files.write(sll, h);
        assertThatThrownBy(() -> PcapReader.open(sll))
                .hasMessage(sll + ": link type 113 is not supported; srv6sh reads 1 (Ethernet), 101 (raw IP),"
                        + " 228 (IPv4) and 229 (IPv6)");
    }

    @Test
    void writerRefusesTimesPcapCannotHold() throws IOException {
        try (PcapWriter w = PcapWriter.create(dir.resolve("t.pcap"), LinkType.ETHERNET)) {
            assertThatThrownBy(() -> w.write(-1, new byte[1]))
                    .isInstanceOf(PcapException.class)
                    .hasMessageContaining("record 1: time -1 ns is outside what a pcap file holds");
        }
    }
}
