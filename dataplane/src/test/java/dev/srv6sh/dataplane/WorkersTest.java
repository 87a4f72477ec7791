package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** Several workers: flows spread by hash, each flow in order on one worker, counters summed. */
class WorkersTest {
    /** An IPv6/UDP packet of flow {@code flow} (its source port) carrying {@code seq}. */
    static byte[] packet(int flow, int seq) {
        ByteBuffer b = ByteBuffer.allocate(40 + 8 + 8);
        b.putInt(0x6000_0000).putShort((short) 16).put((byte) 17).put((byte) 64);
        b.put(dev.srv6sh.dataplane.config.Addresses.parse6("2001:db8:1::77").getAddress());
        b.put(dev.srv6sh.dataplane.config.Addresses.parse6("2001:db8:99::9").getAddress());
        b.putShort((short) (10_000 + flow))
                .putShort((short) 9)
                .putShort((short) 16)
                .putShort((short) 0);
        b.putInt(flow).putInt(seq);
        return Harness.frame(Harness.IN_MAC, Harness.SENDER_MAC, b.array());
    }

    @Test
    void flowsSpreadOverTheWorkersAndEachStaysInOrder() throws Exception {
        DataplaneConfig config = Harness.config(List.of(), List.of(), List.of());
        ConcurrentLinkedQueue<long[]> out = new ConcurrentLinkedQueue<>();
        int flows = 64;
        int perFlow = 300;
        try (Workers w = new Workers("w", 2)) {
            w.onTransmit((iface, s, o, l) -> out.add(new long[] {
                s.get(
                        java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN),
                        o + l - 8),
                s.get(
                        java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN),
                        o + l - 4)
            }));
            w.apply(config);
            for (int seq = 0; seq < perFlow; seq++) {
                for (int flow = 0; flow < flows; flow++) {
                    byte[] f = packet(flow, seq);
                    while (!w.inject("in", f, 0, f.length)) {
                        Thread.onSpinWait(); // a full ring: the producer waits, as a NIC queue would back up
                    }
                }
            }
            w.drain();
            assertThat(out).hasSize(flows * perFlow);
            Map<Long, Long> last = new HashMap<>();
            for (long[] p : out.stream().toList()) {
                // within a flow, sequence numbers arrive in order (the sink sees each worker's order)
                Long before = last.put(p[0], p[1]);
                if (before != null) {
                    assertThat(p[1]).as("flow " + p[0]).isGreaterThan(before);
                }
            }
            Counters sum = w.counters();
            assertThat(sum.port("in").rxPackets()).isEqualTo((long) flows * perFlow);
            assertThat(sum.port("out").txPackets()).isEqualTo((long) flows * perFlow);
            assertThat(sum.dropped()).isZero();
            assertThat(sum.balanced()).isTrue();
            assertThat(w.failure()).isNull();
            long w0 = w.counters(0).port("in").rxPackets();
            long w1 = w.counters(1).port("in").rxPackets();
            assertThat(w0 + w1).isEqualTo((long) flows * perFlow);
            assertThat(Math.min(w0, w1)).as("both workers carry flows").isGreaterThan(flows * perFlow / 8);
        }
    }

    @Test
    void theFlowHashKeepsAFlowTogetherAndSeparatesFlows() {
        assertThat(Workers.flowHash(packet(3, 1), 0, packet(3, 1).length))
                .isEqualTo(Workers.flowHash(packet(3, 99), 0, packet(3, 99).length));
        List<Integer> hashes = new ArrayList<>();
        for (int f = 0; f < 32; f++) {
            byte[] p = packet(f, 0);
            hashes.add(Workers.flowHash(p, 0, p.length));
        }
        assertThat(hashes).doesNotHaveDuplicates();
        assertThat(Workers.flowHash(new byte[10], 0, 10)).isZero();
    }

    @Test
    void aRejectedConfigurationLeavesTheWorkersForwarding() throws Exception {
        ConcurrentLinkedQueue<Integer> out = new ConcurrentLinkedQueue<>();
        try (Workers w = new Workers("w", 2)) {
            w.onTransmit((iface, s, o, l) -> out.add(l));
            w.apply(Harness.config(List.of(), List.of(), List.of()));
            DataplaneConfig bad = Harness.config(
                    List.of(),
                    List.of(),
                    List.of(new DataplaneConfig.Steer(
                            0, dev.srv6sh.dataplane.config.Prefix.parse("a7::/64"), "no-such-policy")));
            assertThatThrownBy(() -> w.apply(bad)).isInstanceOf(ConfigException.class);
            byte[] f = packet(1, 1);
            assertThat(w.inject("in", f, 0, f.length)).isTrue();
            w.drain();
            assertThat(out).hasSize(1);
            assertThatThrownBy(() -> w.inject("nope", f, 0, f.length)).hasMessageContaining("no interface 'nope'");
        }
    }
}
