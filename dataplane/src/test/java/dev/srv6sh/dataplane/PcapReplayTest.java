package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.pcap.LinkType;
import dev.srv6sh.dataplane.pcap.PcapException;
import dev.srv6sh.dataplane.pcap.PcapReader;
import dev.srv6sh.dataplane.pcap.PcapRecord;
import dev.srv6sh.dataplane.pcap.PcapReplay;
import dev.srv6sh.dataplane.pcap.PcapWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pcap in, the graph, pcap and counters.json out (the engine side of {@code srv6sh replay}). */
class PcapReplayTest {
    static final long T = 1_700_000_000_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void rawIpInputIsEncapsulatedAndWrittenWithItsTimestamps() throws Exception {
        Path in = dir.resolve("in-raw.pcap");
        byte[] v5 = Vectors.get("V5_HEncaps_in");
        byte[] huge = Arrays.copyOf(v5, 2000);
        ByteBuffer.wrap(huge).putShort(4, (short) (2000 - 40));
        try (PcapWriter w = PcapWriter.create(in, LinkType.RAW, ByteOrder.BIG_ENDIAN, true, 65535)) {
            w.write(T, v5);
            w.write(T + 1_000, huge);
            w.write(T + 2_000, new byte[] {0x10, 0, 0, 0});
            w.write(T + 3_000, v5);
        }
        Path other = dir.resolve("out-eth.pcap");
        try (PcapWriter w = PcapWriter.create(other, LinkType.ETHERNET)) {
            w.write(T + 500, Harness.frame(MacAddress.parse("02:00:00:00:00:55"), Harness.PEER_MAC, v5));
        }
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("in.pcap"), "left by an earlier run");

        PcapReplay.Result r = PcapReplay.run(
                CaptureTest.encaps(), List.of(new PcapReplay.Input("in", in), new PcapReplay.Input("out", other)), out);

        assertThat(r.inputs().get(0).records()).isEqualTo(4);
        assertThat(r.inputs().get(0).received()).isEqualTo(2);
        assertThat(r.inputs().get(0).skipped())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "larger than the data plane's 1920-byte frames", 1L,
                        "raw record is neither IPv4 nor IPv6", 1L));
        assertThat(r.outputs()).extracting(PcapReplay.Output::iface).containsExactly("out");
        assertThat(out.resolve("in.pcap"))
                .as("nothing went out of 'in' this time")
                .doesNotExist();
        assertThat(r.counters().get("ethernet-input", "destination MAC is not this interface's"))
                .isEqualTo(1);

        try (PcapReader rd = PcapReader.open(out.resolve("out.pcap"))) {
            assertThat(rd.linkType()).isEqualTo(LinkType.ETHERNET);
            assertThat(rd.nanosecond()).as("an input was in nanoseconds").isTrue();
            for (long t : new long[] {T, T + 3_000}) {
                PcapRecord rec = rd.next();
                assertThat(rec.timeNanos()).isEqualTo(t);
                byte[] f = rec.data();
                assertThat(Arrays.copyOfRange(f, 0, 6)).isEqualTo(Harness.PEER_MAC.bytes());
                assertThat(Arrays.copyOfRange(f, 6, 12)).isEqualTo(Harness.OUT_MAC.bytes());
                byte[] ip = Arrays.copyOfRange(f, 14, f.length);
                byte[] expected = Vectors.get("V5_HEncaps_out");
                ip[1] &= (byte) 0xf0; // flow label: implementation-defined
                ip[2] = 0;
                ip[3] = 0;
                expected[1] &= (byte) 0xf0;
                expected[2] = 0;
                expected[3] = 0;
                assertThat(ip).isEqualTo(expected);
            }
            assertThat(rd.next()).isNull();
        }
        String json = Files.readString(r.countersFile());
        assertThat(json)
                .contains("\"router\": \"test\"")
                .contains("\"node\": \"sr-policy-rewrite-encaps\"")
                .contains("\"reason\": \"destination MAC is not this interface's\"")
                .contains("\"raw record is neither IPv4 nor IPv6\": 1")
                .contains("\"tx_packets\": 2");
    }

    /**
     * Without static neighbors the replay's peer answers: its MAC is the packets' destination, the
     * solicitations are in the output, and the neighbor entry ages in the records' time: REACHABLE,
     * STALE after ReachableTime, DELAY when used at T+60 s, and a unicast probe exactly five seconds
     * later, answered, before the packet at T+70 s.
     */
    @Test
    void thePeerAnswersSolicitationsAndEntriesAgeInTheRecordsTime() throws Exception {
        DataplaneConfig config = new DataplaneConfig(
                "test", Harness.interfaces(), Harness.defaults(), List.of(), List.of(), List.of(), List.of(), null);
        Path in = dir.resolve("in.pcap");
        long second = 1_000_000_000L;
        try (PcapWriter w = PcapWriter.create(in, LinkType.RAW, ByteOrder.BIG_ENDIAN, true, 65535)) {
            for (long t : new long[] {T, T + 60 * second, T + 70 * second}) {
                w.write(t, Packets.udp6("2001:db8:9::7", "2001:db8:7::1", 64, 8));
            }
        }
        Path out = dir.resolve("out");
        PcapReplay.Result r = PcapReplay.run(config, List.of(new PcapReplay.Input("in", in)), out);

        MacAddress peer = PcapReplay.peerMac(1);
        assertThat(peer).isEqualTo(MacAddress.parse("00:00:5e:00:53:02"));
        assertThat(PcapReplay.peerMac(0)).isEqualTo(PcapReplay.SENDER_MAC);
        List<PcapRecord> sent = new java.util.ArrayList<>();
        try (PcapReader rd = PcapReader.open(out.resolve("out.pcap"))) {
            for (PcapRecord rec; (rec = rd.next()) != null; ) {
                sent.add(rec);
            }
        }
        assertThat(sent)
                .extracting(PcapRecord::timeNanos)
                .containsExactly(T, T, T + 60 * second, T + 65 * second, T + 70 * second);
        byte[] multicastNs = sent.get(0).data();
        assertThat(Arrays.copyOfRange(multicastNs, 0, 6))
                .isEqualTo(NdFrames.group("ff02::1:ff00:2").bytes());
        byte[] probe = sent.get(3).data();
        assertThat(Arrays.copyOfRange(probe, 0, 6)).as("a unicast probe").isEqualTo(peer.bytes());
        assertThat(probe[14 + 40] & 0xff).isEqualTo(135);
        for (int i : new int[] {1, 2, 4}) {
            assertThat(Arrays.copyOfRange(sent.get(i).data(), 0, 6)).isEqualTo(peer.bytes());
        }
        assertThat(r.peers())
                .containsExactly(
                        new PcapReplay.Peer("in", PcapReplay.peerMac(0), 0), new PcapReplay.Peer("out", peer, 2));
        NeighborEntry e = r.neighbors().getFirst();
        assertThat(e.state()).isEqualTo(NeighborEntry.State.REACHABLE);
        assertThat(e.age()).as("confirmed by the probe's answer at T+65 s").isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(r.counters().errors()).isEmpty();
        assertThat(Files.readString(r.countersFile()))
                .contains("\"neighbor_discovery\": {")
                .contains("\"solicitations\": 2")
                .contains("\"state\": \"reachable\"")
                .contains("\"age_ns\": 5000000000")
                .contains("\"mac\": \"00:00:5e:00:53:02\"")
                .contains("\"answered\": 2");
    }

    @Test
    void badInputsAreClearErrorsBeforeAnythingRuns() throws Exception {
        Path out = dir.resolve("out");
        assertThatThrownBy(() -> PcapReplay.run(
                        CaptureTest.encaps(), List.of(new PcapReplay.Input("eth0", dir.resolve("x.pcap"))), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("router test has no interface 'eth0'; its interfaces are in, out");
        assertThatThrownBy(() -> PcapReplay.run(
                        CaptureTest.encaps(), List.of(new PcapReplay.Input("in", out.resolve("out.pcap"))), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("would be overwritten by the output of interface out");

        Path cut = dir.resolve("cut.pcap");
        try (PcapWriter w = PcapWriter.create(cut, LinkType.RAW)) {
            w.write(T, Vectors.get("V5_HEncaps_in"));
            w.write(T + 1, Vectors.get("V5_HEncaps_in"));
        }
        byte[] all = Files.readAllBytes(cut);
        Files.write(cut, Arrays.copyOf(all, all.length - 3));
        assertThatThrownBy(() -> PcapReplay.run(CaptureTest.encaps(), List.of(new PcapReplay.Input("in", cut)), out))
                .isInstanceOf(PcapException.class)
                .hasMessage(cut + ": record 2: truncated: the record says 56 bytes, the file has 53");
    }
}
