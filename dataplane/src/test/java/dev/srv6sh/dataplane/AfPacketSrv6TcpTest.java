package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.AfPacketForwardingTest.Polling;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.DataplaneConfig.PolicyMode;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.dataplane.port.linux.AfPacketPort;
import dev.srv6sh.dataplane.port.linux.LinuxPorts;
import dev.srv6sh.dataplane.port.linux.Netns;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * TCP between two kernel hosts through two engines on veths, SRv6 in between (H.Encaps on the first,
 * End.DX4 on the second, both ways), on af_packet ports:
 *
 * <pre>
 *   a 192.0.2.2 ── host [r1] core ══ 2001:db8:12::/64 ══ core [r2] host ── b 198.51.100.2
 * </pre>
 *
 * Host a's 64 KiB sends are taken whole by r1's port, encapsulated once, and cut into encapsulated
 * segments on r1's core port (the kernel has no virtio_net_hdr for a tunnel's GSO); r2's port
 * coalesces the segments of each burst again, End.DX4 decapsulates each send once, and r2's host
 * port hands it to the kernel whole, for host b. The bytes that arrive are the bytes sent (SHA-256),
 * both ways, and every packet is accounted for in both engines.
 */
class AfPacketSrv6TcpTest {
    static final MacAddress R1_HOST = MacAddress.parse("02:00:00:00:01:01");
    static final MacAddress R1_CORE = MacAddress.parse("02:00:00:00:01:02");
    static final MacAddress R2_CORE = MacAddress.parse("02:00:00:00:02:02");
    static final MacAddress R2_HOST = MacAddress.parse("02:00:00:00:02:01");

    static DataplaneConfig router(
            String name,
            MacAddress hostMac,
            String hostAddress,
            MacAddress coreMac,
            String coreAddress,
            String peerCore,
            String mySid,
            String myHost,
            String peerSid,
            String farPrefix) {
        return new DataplaneConfig(
                name,
                List.of(
                        new DataplaneConfig.Interface("host", hostMac, List.of(Prefix.parse(hostAddress)), 1500),
                        new DataplaneConfig.Interface("core", coreMac, List.of(Prefix.parse(coreAddress)), 1600)),
                List.of(new DataplaneConfig.Route(
                        0,
                        Prefix.parse(peerSid.substring(0, peerSid.lastIndexOf(':')) + ":/64"),
                        Addresses.parse(peerCore),
                        "core")),
                List.of(),
                List.of(Harness.sid(mySid, "End.DX4", myHost)),
                List.of(Harness.policy("far", PolicyMode.ENCAP, peerSid)),
                List.of(new DataplaneConfig.Steer(0, Prefix.parse(farPrefix), "far")),
                new DataplaneConfig.Encap(Addresses.parse6(coreAddress.substring(0, coreAddress.indexOf('/'))), 64));
    }

    @Test
    void tcpThroughTwoRoutersArrivesIntactWithItsLargeSendsKeptWhole() throws Exception {
        Netns.require("python3");
        run(false);
    }

    /**
     * As above with the kernel's GRO on r2's core device, as on a NIC, where Linux turns it on by
     * default: the kernel joins r1's encapsulated segments into large sends of the inner TCP/IPv4
     * packet behind the outer IPv6 header and its SRH, and r2's port keeps them whole (its
     * virtio_net_hdr names the inner packet's kind, TCPV4, under an IPv6 header); before, they were
     * dropped as sends it could not describe. r1's core device has its segmentation offload off, as
     * veth then hands its frames to the peer's GRO, and the peer holds them up to 50 µs for more.
     */
    @Test
    void largeSendsTheKernelJoinedBehindAnSrv6EncapsulationAreKeptWhole() throws Exception {
        Netns.require("python3", "ethtool");
        run(true);
    }

    private static void run(boolean kernelGro) throws Exception {
        try (Netns a = Netns.create("a", true);
                Netns b = Netns.create("b", true);
                Netns r1 = Netns.create("r1", false);
                Netns r2 = Netns.create("r2", false)) {
            r1.ip("link", "add", "rh", "type", "veth", "peer", "name", "a0", "netns", a.name());
            r2.ip("link", "add", "rh", "type", "veth", "peer", "name", "b0", "netns", b.name());
            r1.ip(
                    "link", "add", "rc", "mtu", "1600", "type", "veth", "peer", "name", "rc", "mtu", "1600", "netns",
                    r2.name());
            r1.ip("link", "set", "rh", "address", R1_HOST.toString(), "up");
            r1.ip("link", "set", "rc", "address", R1_CORE.toString(), "up");
            r2.ip("link", "set", "rh", "address", R2_HOST.toString(), "up");
            r2.ip("link", "set", "rc", "address", R2_CORE.toString(), "up");
            if (kernelGro) {
                r1.exec("ethtool", "-K", "rc", "tso", "off");
                try {
                    r2.exec("ethtool", "-K", "rc", "gro", "on");
                } catch (IllegalStateException e) {
                    Assumptions.abort("this kernel's veth has no GRO to turn on: " + e.getMessage());
                }
                r2.exec("sh", "-c", "echo 50000 > /sys/class/net/rc/gro_flush_timeout");
            }
            AfPacketForwardingTest.host(a, "a0", "192.0.2.2/24", "2001:db8:a::2/64", "192.0.2.1", "2001:db8:a::1");
            AfPacketForwardingTest.host(
                    b, "b0", "198.51.100.2/24", "2001:db8:b::2/64", "198.51.100.1", "2001:db8:b::1");
            LinuxPorts ports1 = new LinuxPorts(Map.of(
                    "host", new LinuxPorts.Binding(LinuxPorts.Driver.AF_PACKET, "rh"),
                    "core", new LinuxPorts.Binding(LinuxPorts.Driver.AF_PACKET, "rc")));
            LinuxPorts ports2 = new LinuxPorts(Map.of(
                    "host", new LinuxPorts.Binding(LinuxPorts.Driver.AF_PACKET, "rh"),
                    "core", new LinuxPorts.Binding(LinuxPorts.Driver.AF_PACKET, "rc")));
            DataplaneConfig c1 = router(
                    "r1",
                    R1_HOST,
                    "192.0.2.1/24",
                    R1_CORE,
                    "2001:db8:12::1/64",
                    "2001:db8:12::2",
                    "2001:db8:1::d4",
                    "192.0.2.2",
                    "2001:db8:2::d4",
                    "198.51.100.0/24");
            DataplaneConfig c2 = router(
                    "r2",
                    R2_HOST,
                    "198.51.100.1/24",
                    R2_CORE,
                    "2001:db8:12::2/64",
                    "2001:db8:12::1",
                    "2001:db8:2::d4",
                    "198.51.100.2",
                    "2001:db8:1::d4",
                    "192.0.2.0/24");
            Engine e1 = r1.call(() -> {
                Engine x = new Engine("r1", Clock.SYSTEM, ports1);
                x.apply(c1);
                return x;
            });
            Engine e2 = r2.call(() -> {
                Engine x = new Engine("r2", Clock.SYSTEM, ports2);
                x.apply(c2);
                return x;
            });
            try {
                try (Polling _ = new Polling(e1);
                        Polling _ = new Polling(e2)) {
                    a.exec("ping", "-c", "2", "-W", "2", "198.51.100.2");
                    AfPacketForwardingTest.transfer(a, b, "198.51.100.2", 16 << 20);
                    AfPacketForwardingTest.transfer(b, a, "192.0.2.2", 4 << 20);
                }
                AfPacketPort host1 = e1.port("host", AfPacketPort.class);
                AfPacketPort core2 = e2.port("core", AfPacketPort.class);
                AfPacketPort host2 = e2.port("host", AfPacketPort.class);
                assertThat(host1.sendsWhole())
                        .as("host a's large sends taken whole by r1")
                        .isPositive();
                assertThat(e1.counters().largeSends().added())
                        .as("r1 cut its encapsulated large sends into segments for the core")
                        .isPositive();
                if (kernelGro) {
                    assertThat(core2.sendsWhole())
                            .as("encapsulated large sends of the kernel's GRO kept whole by r2")
                            .isPositive();
                } else {
                    assertThat(core2.segmentsCoalesced())
                            .as("r2 coalesced the encapsulated segments it received")
                            .isPositive();
                }
                assertThat(host2.largeSent())
                        .as("r2 handed the kernel whole sends for host b")
                        .isPositive();
                for (Engine e : List.of(e1, e2)) {
                    assertThat(e.counters().txErrors()).isZero();
                    Harness.assertBalanced(e);
                }
            } finally {
                e1.close();
                e2.close();
            }
        }
    }
}
