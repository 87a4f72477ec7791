package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.DataplaneConfig.Flavor;
import dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.dataplane.proto.Bytes;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole graph under arbitrary frames: a router with a SID of every behavior (End.DX2, the insert
 * binding SIDs and NEXT-CSID included), steered encap and insert policies and binding SIDs receives what the fuzzer makes, and must never throw, never leak a buffer, account
 * for every packet ({@link Counters#balanced}: received + originated = transmitted + dropped +
 * punted), and only ever transmit frames whose IP
 * headers fit in them with a hop limit above zero.
 *
 * <p>Input: byte 0 picks the port (bit 0) and the mode (bits 1-2): 0 an IP packet to wrap in Ethernet,
 * 1 a raw frame, 2 an IPv6 packet whose destination is replaced by SID number {@code byte 1}, 3 the
 * same sent {@code 1 + byte 1 / 32} times in one vector. The corpus (the shared vectors, mode 0) is
 * under {@code src/test/resources/dev/srv6sh/dataplane/GraphFuzzTestInputs/}; {@code ./build.sh fuzz}
 * fuzzes for a bounded time.
 */
class GraphFuzzTest {
    static final List<String> SIDS = List.of(
            "a3::",
            "a3::1",
            "a3::2",
            "a3::3",
            "a3::c4",
            "a3::c5",
            "a3::c6",
            "a3::c7",
            "a3::c8",
            "a3::c9",
            "a3::ca",
            "a3::cb",
            "a3::cc",
            "a3::d2",
            "a3::b6",
            "a3::b7",
            "fcbb:0:400::");

    private static Engine engine;

    static DataplaneConfig config() {
        List<DataplaneConfig.Sid> sids = new ArrayList<>();
        sids.add(sid(SIDS.get(0), "End", null, 0, null, Set.of()));
        sids.add(sid(SIDS.get(1), "End", null, 0, null, Set.of(Flavor.PSP)));
        sids.add(sid(SIDS.get(2), "End", null, 0, null, Set.of(Flavor.USP, Flavor.USD)));
        sids.add(sid(SIDS.get(3), "End.X", "2001:db8:1::2", 0, null, Set.of(Flavor.PSP)));
        sids.add(sid(SIDS.get(4), "End.DX4", "4.1.1.123", 0, null, Set.of()));
        sids.add(sid(SIDS.get(5), "End.DX6", "2001:db8:2::2", 0, null, Set.of()));
        sids.add(sid(SIDS.get(6), "End.DT4", null, 9, null, Set.of()));
        sids.add(sid(SIDS.get(7), "End.DT6", null, 9, null, Set.of()));
        sids.add(sid(SIDS.get(8), "End.DT46", null, 9, null, Set.of()));
        sids.add(sid(SIDS.get(9), "End.T", null, 9, null, Set.of()));
        sids.add(sid(SIDS.get(10), "End.B6.Encaps", null, 0, "b", Set.of()));
        sids.add(sid(SIDS.get(11), "End.B6.Encaps.Red", null, 0, "b", Set.of()));
        sids.add(sid(SIDS.get(12), "End", null, 0, null, Set.of(Flavor.USD)));
        sids.add(new DataplaneConfig.Sid(
                "s" + SIDS.get(13),
                Addresses.parse6(SIDS.get(13)),
                "End.DX2",
                Map.of("oif", DataplaneConfig.Arg.of("in"))));
        sids.add(sid(SIDS.get(14), "End.B6.Insert", null, 0, "i", Set.of()));
        sids.add(sid(SIDS.get(15), "End.B6.Insert.Red", null, 0, "i", Set.of()));
        sids.add(NextCsidTest.csid(SIDS.get(16), "End", null, Set.of(Flavor.PSP), 32, 16));
        DataplaneConfig base = BehaviorTest.config(sids.getFirst());
        List<DataplaneConfig.Policy> policies = List.of(
                Harness.policy("p", PolicyMode.ENCAP, "a4::", "a5::", "a6::c7"),
                Harness.policy("r", PolicyMode.ENCAP_RED, "a4::", "a5::"),
                Harness.policy("b", PolicyMode.ENCAP, "a8::", "a9::"),
                Harness.policy("i", PolicyMode.INSERT, "a8::", "a9::"),
                Harness.policy("ir", PolicyMode.INSERT_RED, "a4::", "a5::"));
        List<DataplaneConfig.Steer> steer = List.of(
                new DataplaneConfig.Steer(0, Prefix.parse("a7::/64"), "p"),
                new DataplaneConfig.Steer(0, Prefix.parse("203.0.113.0/24"), "r"),
                new DataplaneConfig.Steer(0, Prefix.parse("a7:1::/64"), "ir"));
        return new DataplaneConfig(
                "fuzz",
                base.interfaces(),
                base.routes(),
                base.neighbors(),
                sids,
                policies,
                steer,
                new DataplaneConfig.Encap(Addresses.parse6("2001:db8:2::1"), 64));
    }

    private static DataplaneConfig.Sid sid(
            String addr, String b, String nh, int table, String policy, Set<Flavor> flavors) {
        return new DataplaneConfig.Sid("s" + addr, Addresses.parse6(addr), b, Harness.args(nh, table, policy))
                .withFlavors(flavors);
    }

    private static synchronized Engine engine() throws ConfigException {
        if (engine == null) {
            engine = new Engine("fuzz", Clock.SYSTEM, MemoryPort.FACTORY);
            engine.apply(config());
            for (String p : List.of("in", "out")) {
                engine.port(p, MemoryPort.class).onTransmit(GraphFuzzTest::checkTransmitted);
            }
        }
        return engine;
    }

    private static void checkTransmitted(String iface, MemorySegment m, long at, int len) {
        assertThat(len).isBetween(14, Buffers.SIZE);
        int type = Bytes.u16(m, at + 12);
        long ip = at + 14;
        if (type == 0x86dd) {
            assertThat(len).isGreaterThanOrEqualTo(14 + 40);
            assertThat(Bytes.u8(m, ip) >>> 4).isEqualTo(6);
            assertThat(14 + 40 + Bytes.u16(m, ip + 4))
                    .as("IPv6 payload length fits")
                    .isLessThanOrEqualTo(len);
            assertThat(Bytes.u8(m, ip + 7)).as("hop limit").isPositive();
        } else if (type == 0x0800) {
            assertThat(len).isGreaterThanOrEqualTo(14 + 20);
            assertThat(14 + Bytes.u16(m, ip + 2)).as("IPv4 total length fits").isLessThanOrEqualTo(len);
            assertThat(Bytes.u8(m, ip + 8)).as("TTL").isPositive();
        }
    }

    @FuzzTest(maxDuration = "60s")
    void anyFrameIsForwardedDroppedOrAnsweredAndAccountedFor(byte[] data) throws Exception {
        if (data.length < 2) {
            return;
        }
        Engine e = engine();
        Counters before = e.counters();
        String port = (data[0] & 1) == 0 ? "in" : "out";
        int mode = (data[0] >>> 1) & 3;
        byte[] frame;
        int copies = 1;
        switch (mode) {
            case 0 ->
                frame = Harness.frame(
                        port.equals("in") ? Harness.IN_MAC : Harness.OUT_MAC, Harness.SENDER_MAC, rest(data, 1));
            case 1 -> frame = rest(data, 1);
            default -> {
                byte[] ip = rest(data, 2);
                if (ip.length >= 40) {
                    byte[] sid = Addresses.parse6(SIDS.get((data[1] & 0xff) % SIDS.size()))
                            .getAddress();
                    System.arraycopy(sid, 0, ip, 24, 16);
                }
                frame = frame(port, ip);
                if (mode == 3) {
                    copies = 1 + (data[1] & 0xff) / 32;
                }
            }
        }
        MemoryPort p = e.port(port, MemoryPort.class);
        for (int i = 0; i < copies; i++) {
            p.inject(frame);
        }
        e.poll();
        Counters after = e.counters();
        long rx = after.received() - before.received();
        long noBuffer = noBuffer(after) - noBuffer(before);
        assertThat(after.balanced()).as(after.toString()).isTrue();
        assertThat(rx + noBuffer).isEqualTo(copies);
        assertThat(e.buffersInUse()).isZero();
    }

    /** The packet in Ethernet to the port's MAC; an empty packet gets the IPv6 EtherType. */
    private static byte[] frame(String port, byte[] ip) {
        if (ip.length == 0) {
            byte[] f = Harness.frame(
                    port.equals("in") ? Harness.IN_MAC : Harness.OUT_MAC, Harness.SENDER_MAC, new byte[] {0x60});
            return java.util.Arrays.copyOf(f, 14);
        }
        return Harness.frame(port.equals("in") ? Harness.IN_MAC : Harness.OUT_MAC, Harness.SENDER_MAC, ip);
    }

    private static byte[] rest(byte[] d, int from) {
        return java.util.Arrays.copyOfRange(d, from, d.length);
    }

    private static long noBuffer(Counters c) {
        return c.ports().stream().mapToLong(Counters.PortStats::rxNoBuffer).sum();
    }
}
