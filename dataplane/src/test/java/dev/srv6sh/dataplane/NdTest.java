package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * ip6-nd: Neighbor Solicitations for the router's addresses answered byte for byte as RFC 4861 §4.4
 * and §7.2.4 lay an NA out, what an NS teaches (§7.2.3), and every validation rule of §7.1.1 and
 * §7.1.2 dropped under its own counter.
 */
class NdTest {
    static final String ME = "2001:db8:1::1"; // 'in''s address
    static final String HOST = "2001:db8:1::99";
    static final MacAddress HOST_MAC = Harness.SENDER_MAC;

    static DataplaneConfig router() {
        return Harness.config(List.of(), List.of(), List.of());
    }

    /** The neighbor entries other than the harness's static ones. */
    static List<NeighborEntry> learned(Harness h) {
        return h.engine.neighbors().stream()
                .filter(e -> e.state() != NeighborEntry.State.PERMANENT)
                .toList();
    }

    /** Sends an IPv6 packet in a frame to {@code dst} on 'in'. */
    static void send(Harness h, MacAddress dst, byte[] ip) {
        h.engine.port("in", MemoryPort.class).inject(Harness.frame(dst, HOST_MAC, ip));
        h.engine.poll();
    }

    /** The NA RFC 4861 §4.4 lays out, from the data plane's 'in' interface. */
    static byte[] expectedNa(MacAddress ethDst, String ipDst, int flags) {
        byte[] ip = NdFrames.na(ME, ipDst, ME, flags, Harness.IN_MAC);
        return Harness.frame(ethDst, Harness.IN_MAC, ip);
    }

    @Test
    void anNsToTheSolicitedNodeGroupIsAnsweredWithRouterSolicitedOverride() throws Exception {
        try (Harness h = new Harness(router())) {
            send(h, NdFrames.group("ff02::1:ff00:1"), NdFrames.ns(HOST, "ff02::1:ff00:1", ME, HOST_MAC));
            assertThat(h.in).hasSize(1);
            byte[] na = h.in.getFirst();
            assertThat(na).isEqualTo(expectedNa(HOST_MAC, HOST, 0xe0));
            // field by field, as RFC 4861 §4.4 and §7.2.4 want them
            assertThat(na[14 + 7] & 0xff).as("hop limit").isEqualTo(255);
            assertThat(na[14 + 40] & 0xff).as("type NA").isEqualTo(136);
            assertThat(na[14 + 44] & 0xe0).as("R=1 S=1 O=1").isEqualTo(0xe0);
            assertThat(Arrays.copyOfRange(na, 14 + 64, 14 + 72))
                    .as("target link-layer address option")
                    .isEqualTo(NdFrames.lla(2, Harness.IN_MAC));
            assertThat(NdFrames.checksum(Arrays.copyOfRange(na, 14, na.length)))
                    .as("checksum")
                    .isEqualTo(((na[14 + 42] & 0xff) << 8) | (na[14 + 43] & 0xff));
            // §7.2.3: the solicitation's source link-layer address makes a STALE entry
            NeighborEntry e = learned(h).getFirst();
            assertThat(e.address()).isEqualTo(Addresses.parse(HOST));
            assertThat(e.mac()).isEqualTo(HOST_MAC);
            assertThat(e.state()).isEqualTo(NeighborEntry.State.STALE);
            assertThat(h.engine.counters().neighbors()).isEqualTo(new Counters.NeighborStats(0, 1, 1, 0));
        }
    }

    @Test
    void anNsToTheUnicastAddressWithoutSourceOptionIsAnsweredToTheFramesSource() throws Exception {
        try (Harness h = new Harness(router())) {
            send(h, Harness.IN_MAC, NdFrames.ns(HOST, ME, ME, null));
            assertThat(h.in).containsExactly(expectedNa(HOST_MAC, HOST, 0xe0));
            assertThat(learned(h)).isEmpty(); // nothing to learn without the option
        }
    }

    @Test
    void duplicateAddressDetectionIsAnsweredToAllNodesWithoutSolicited() throws Exception {
        try (Harness h = new Harness(router())) {
            send(h, NdFrames.group("ff02::1:ff00:1"), NdFrames.ns("::", "ff02::1:ff00:1", ME, null));
            assertThat(h.in).containsExactly(expectedNa(NdFrames.group("ff02::1"), "ff02::1", 0xa0));
            assertThat(learned(h)).isEmpty();
        }
    }

    @Test
    void theLinkLocalAddressFromTheMacIsAnsweredToo() throws Exception {
        String ll = "fe80::ff:fe00:1"; // 02:00:00:00:00:01, U/L flipped, ff:fe inserted
        try (Harness h = new Harness(router())) {
            send(h, NdFrames.group("ff02::1:ff00:1"), NdFrames.ns(HOST, "ff02::1:ff00:1", ll, HOST_MAC));
            assertThat(h.in).hasSize(1);
            assertThat(Arrays.copyOfRange(h.in.getFirst(), 14 + 8, 14 + 24)).isEqualTo(Packets.addr(ll));
        }
    }

    /** One malformed or misdirected message, and the reason it must be counted under. */
    static void rejected(String reason, MacAddress dst, byte[] ip, Consumer<Harness> before) throws Exception {
        DataplaneConfig c = router();
        List<DataplaneConfig.Neighbor> statics = new java.util.ArrayList<>(c.neighbors());
        statics.add(new DataplaneConfig.Neighbor(Addresses.parse("2001:db8:1::5"), Harness.PEER_MAC, "in"));
        try (Harness h = new Harness(new DataplaneConfig(
                "test", c.interfaces(), c.routes(), statics, List.of(), List.of(), List.of(), c.encap()))) {
            before.accept(h);
            send(h, dst, ip);
            assertThat(h.in).as(reason).isEmpty();
            assertThat(h.engine.counters().get("ip6-nd", reason)).as(reason).isEqualTo(1);
        }
    }

    static void rejected(String reason, byte[] ip) throws Exception {
        rejected(reason, Harness.IN_MAC, ip, h -> {});
    }

    @Test
    void everyValidationRuleIsCountedByItsReason() throws Exception {
        String sn = "ff02::1:ff00:1";
        MacAddress group = NdFrames.group(sn);
        byte[] ns = NdFrames.icmp(135, 0, 0, ME, NdFrames.lla(1, HOST_MAC));
        rejected("NS/NA hop limit is not 255 (it crossed a router)", NdFrames.ip6(HOST, ME, 254, ns));
        rejected("NS/NA ICMPv6 code is not 0", NdFrames.ip6(HOST, ME, 255, NdFrames.icmp(135, 1, 0, ME, new byte[0])));
        byte[] bad = NdFrames.ns(HOST, ME, ME, null);
        bad[43] ^= 1;
        rejected("NS/NA ICMPv6 checksum is wrong", bad);
        rejected(
                "NS/NA shorter than 24 bytes",
                NdFrames.ip6(HOST, ME, 255, Arrays.copyOf(NdFrames.icmp(135, 0, 0, ME, new byte[0]), 20)));
        rejected("NS/NA target is a multicast address", NdFrames.ns(HOST, ME, "ff02::1", null));
        rejected(
                "NS/NA option of length 0",
                NdFrames.ip6(HOST, ME, 255, NdFrames.icmp(135, 0, 0, ME, new byte[] {1, 0, 0, 0, 0, 0, 0, 0})));
        rejected(
                "NS/NA option runs past the message",
                NdFrames.ip6(HOST, ME, 255, NdFrames.icmp(135, 0, 0, ME, new byte[] {14, 2, 0, 0, 0, 0, 0, 0})));
        rejected(
                "link-layer address option is not 8 bytes holding a unicast MAC",
                NdFrames.ip6(HOST, ME, 255, NdFrames.icmp(135, 0, 0, ME, NdFrames.lla(1, MacAddress.BROADCAST))));
        rejected("NS from :: not to a solicited-node group", NdFrames.ns("::", ME, ME, null));
        rejected(
                "NS from :: with a source link-layer address option",
                group,
                NdFrames.ns("::", sn, ME, HOST_MAC),
                h -> {});
        rejected("NS for an address the interface does not have", NdFrames.ns(HOST, ME, "2001:db8:2::1", null));
        rejected("NS from an address of this interface", NdFrames.ns(ME, ME, ME, HOST_MAC));
        rejected(
                "NS/NA to an address that is not this interface's",
                group,
                NdFrames.ns(HOST, "ff02::1:ff00:7", ME, null),
                h -> {});
        rejected(
                "NA to a multicast address with the Solicited flag",
                group,
                NdFrames.na(HOST, "ff02::1", HOST, 0x60, HOST_MAC),
                h -> {});
        rejected("NA for an address of this interface (a duplicate?)", NdFrames.na(HOST, ME, ME, 0x20, HOST_MAC));
        rejected(
                "NA for a neighbor not in the table (ignored, RFC 4861 §7.2.5)",
                NdFrames.na(HOST, ME, HOST, 0x60, HOST_MAC));
        rejected(
                "NA for a static neighbor (ignored)",
                NdFrames.na("2001:db8:1::5", ME, "2001:db8:1::5", 0x60, HOST_MAC));
    }

    @Test
    void anNaThatIsNotNdIsNotTakenForOne() throws Exception {
        try (Harness h = new Harness(router())) {
            // an echo request to the router is still ip6-local's; ip6-nd sees ICMPv6 types 135 and 136 only
            send(h, Harness.IN_MAC, LocalDeliveryTest.echo6(LocalDeliveryTest.SENDER6, ME));
            assertThat(h.engine.counters().node("ip6-nd").packets()).isZero();
        }
    }
}
