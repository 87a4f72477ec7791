package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One engine with two interfaces, {@code in} (2001:db8:1::1/64, 192.0.2.1/24) and {@code out}
 * (2001:db8:2::1/64, 198.51.100.1/24, default routes via ::2 / .2), that records what it transmits.
 */
final class Harness implements AutoCloseable {
    static final MacAddress IN_MAC = MacAddress.parse("02:00:00:00:00:01");
    static final MacAddress OUT_MAC = MacAddress.parse("02:00:00:00:00:02");
    static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:99");
    static final MacAddress SENDER_MAC = MacAddress.parse("02:00:00:00:00:77");

    final Engine engine;
    final List<byte[]> out = new ArrayList<>();
    final List<byte[]> in = new ArrayList<>();

    static DataplaneConfig.Interface iface(String name, MacAddress mac, String... prefixes) {
        return new DataplaneConfig.Interface(
                name, mac, Arrays.stream(prefixes).map(Prefix::parse).toList(), 1500);
    }

    static List<DataplaneConfig.Interface> interfaces() {
        return List.of(
                iface("in", IN_MAC, "2001:db8:1::1/64", "192.0.2.1/24"),
                iface("out", OUT_MAC, "2001:db8:2::1/64", "198.51.100.1/24"));
    }

    static List<DataplaneConfig.Route> defaults() {
        return List.of(
                new DataplaneConfig.Route(0, Prefix.parse("::/0"), Addresses.parse("2001:db8:2::2"), null),
                new DataplaneConfig.Route(0, Prefix.parse("0.0.0.0/0"), Addresses.parse("198.51.100.2"), null));
    }

    static List<DataplaneConfig.Neighbor> neighbors() {
        return List.of(
                new DataplaneConfig.Neighbor(Addresses.parse("2001:db8:2::2"), PEER_MAC, "out"),
                new DataplaneConfig.Neighbor(Addresses.parse("198.51.100.2"), PEER_MAC, "out"));
    }

    static DataplaneConfig config(
            List<DataplaneConfig.Sid> sids, List<DataplaneConfig.Policy> policies, List<DataplaneConfig.Steer> steer) {
        return new DataplaneConfig(
                "test",
                interfaces(),
                defaults(),
                neighbors(),
                sids,
                policies,
                steer,
                new DataplaneConfig.Encap(Addresses.parse6("a3::"), 64));
    }

    static DataplaneConfig.Sid sid(String addr, String b, String nh) {
        return new DataplaneConfig.Sid("s-" + addr, Addresses.parse6(addr), b, args(nh, 0, null));
    }

    /** A SID's arguments: a next hop, a table (0: none) and a policy, each left out when null. */
    static Map<String, DataplaneConfig.Arg> args(String nh, int table, String policy) {
        Map<String, DataplaneConfig.Arg> a = new LinkedHashMap<>();
        if (nh != null) {
            a.put("nh", DataplaneConfig.Arg.of(Addresses.parse(nh)));
        }
        if (table != 0) {
            a.put("table", DataplaneConfig.Arg.of(table));
        }
        if (policy != null) {
            a.put("policy", DataplaneConfig.Arg.of(policy));
        }
        return a;
    }

    static DataplaneConfig.Policy policy(String name, DataplaneConfig.PolicyMode mode, String... sids) {
        return new DataplaneConfig.Policy(
                name,
                null,
                mode,
                List.of(new DataplaneConfig.SegmentList(
                        1, Arrays.stream(sids).map(Addresses::parse6).toList())));
    }

    Harness(DataplaneConfig config) throws ConfigException {
        this(config, Clock.SYSTEM);
    }

    /** A harness whose engine reads {@code clock} (a test's fake time). */
    Harness(DataplaneConfig config, Clock clock) throws ConfigException {
        engine = new Engine("test", clock, MemoryPort.FACTORY);
        engine.apply(config);
        engine.port("out", MemoryPort.class).onTransmit((i, s, o, l) -> out.add(copy(s, o, l)));
        engine.port("in", MemoryPort.class).onTransmit((i, s, o, l) -> in.add(copy(s, o, l)));
    }

    static byte[] copy(MemorySegment s, long off, int len) {
        byte[] b = new byte[len];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, off, b, 0, len);
        return b;
    }

    /** Wraps an IP packet in Ethernet towards {@code in} and runs the graph. */
    void send(byte[] ip) {
        engine.port("in", MemoryPort.class).inject(frame(IN_MAC, SENDER_MAC, ip));
        engine.poll();
    }

    static byte[] frame(MacAddress dst, MacAddress src, byte[] ip) {
        byte[] f = new byte[14 + ip.length];
        System.arraycopy(dst.bytes(), 0, f, 0, 6);
        System.arraycopy(src.bytes(), 0, f, 6, 6);
        int type = (ip[0] >>> 4) == 4 ? 0x0800 : 0x86dd;
        f[12] = (byte) (type >>> 8);
        f[13] = (byte) type;
        System.arraycopy(ip, 0, f, 14, ip.length);
        return f;
    }

    /** The one frame sent out of {@code out}, checked for its MACs and EtherType; returns the IP packet. */
    byte[] onlyOut() {
        assertThat(out).hasSize(1);
        byte[] f = out.getFirst();
        assertThat(Arrays.copyOfRange(f, 0, 6)).isEqualTo(PEER_MAC.bytes());
        assertThat(Arrays.copyOfRange(f, 6, 12)).isEqualTo(OUT_MAC.bytes());
        return Arrays.copyOfRange(f, 14, f.length);
    }

    /**
     * Every packet received, plus every packet the router made (ICMP errors, echo replies, ARP and ND
     * solicitations and answers), was transmitted (or refused by its device), dropped with a reason, consumed by the router (echo
     * requests answered, ARP and ND messages used) or is held for address resolution; and no buffer
     * leaked. {@link #close} checks it after every test that uses a harness.
     */
    void assertBalanced() {
        assertBalanced(engine);
    }

    /** The same check for an engine a test built itself. */
    static void assertBalanced(Engine engine) {
        Counters c = engine.counters();
        assertThat(c.received() + c.originated() + c.largeSends().added())
                .as(
                        "received %d + originated %d + added by cutting large sends = transmitted + tx errors"
                                + " + dropped + punted + held + coalesced%n%s",
                        c.received(), c.originated(), c)
                .isEqualTo(c.transmitted()
                        + c.txErrors()
                        + c.dropped()
                        + c.punted()
                        + c.held()
                        + c.largeSends().coalesced());
        assertThat(c.balanced()).isTrue();
        assertThat(engine.buffersInUse()).as("buffers leaked").isZero();
    }

    /** Checks that the counters balance and no buffer leaked, then frees the engine. */
    @Override
    public void close() {
        try {
            assertBalanced();
        } finally {
            engine.close();
        }
    }
}
