package dev.srv6sh.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PcapStreamTest {
    /** The stamps of the records in a whole stream. */
    private static List<Long> stamps(byte[] pcap) {
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.nativeOrder());
        List<Long> out = new ArrayList<>();
        int at = 24;
        while (at < pcap.length) {
            out.add(b.getInt(at) * 1_000_000_000L + b.getInt(at + 4));
            at += 16 + b.getInt(at + 8);
        }
        return out;
    }

    @Test
    void aReaderThatFallsBehindLosesWholeFramesCounted() {
        PcapStream s = new PcapStream("c1", null, 1 << 16);
        byte[] frame = new byte[1000];
        for (int i = 0; i < 100; i++) {
            s.received(1_000_000_000L + i, frame, 0, frame.length);
        }
        CaptureSummary sum = s.stop();
        assertThat(sum.frames()).isEqualTo(64); // (65536 - 24) / 1016
        assertThat(sum.dropped()).isEqualTo(36);
        byte[] all = s.read(1 << 20);
        assertThat(stamps(all)).hasSize(64);
        assertThat(s.finished()).isTrue();
    }

    @Test
    void readingMakesRoomAgain() {
        PcapStream s = new PcapStream("c1", null, 1 << 16);
        byte[] frame = new byte[1000];
        for (int i = 0; i < 1000; i++) {
            s.received(1_000_000_000L + i, frame, 0, frame.length);
            if (i % 10 == 9) {
                s.read(1 << 20);
            }
        }
        assertThat(s.stop().dropped()).isZero();
        assertThat(s.summary().frames()).isEqualTo(1000);
    }

    @Test
    void itsBufferGrowsUpToItsCapacityAsFramesWait() {
        PcapStream s = new PcapStream("c1", null, 1 << 20);
        byte[] frame = new byte[1000];
        for (int i = 0; i < 1100; i++) {
            s.received(1_000_000_000L + i, frame, 0, frame.length);
        }
        assertThat(s.stop().frames()).isEqualTo(1032); // (1 MiB - 24) / 1016
        assertThat(s.summary().dropped()).isEqualTo(68);
        assertThat(stamps(s.read(1 << 21))).hasSize(1032).isSorted();
    }

    @Test
    void aFrameSentLaterThanHandedOverWaitsForItsTime() {
        PcapStream s = new PcapStream("c1", "inside", 1 << 16);
        byte[] f = new byte[60];
        s.received(100, f, 0, f.length);
        s.transmitted(300, 150, f, 0, f.length); // the router is busy until 300
        s.received(200, f, 0, f.length); // arrives meanwhile: on the wire first
        s.received(400, f, 0, f.length);
        s.transmitted(450, 450, f, 0, f.length);
        s.transmitted(600, 500, f, 0, f.length);
        s.passed(700);
        byte[] all = s.read(1 << 20);
        assertThat(stamps(all)).containsExactly(100L, 200L, 300L, 400L, 450L, 600L);
        assertThat(s.covers("inside")).isTrue();
        assertThat(s.covers("transit")).isFalse();
    }
}
