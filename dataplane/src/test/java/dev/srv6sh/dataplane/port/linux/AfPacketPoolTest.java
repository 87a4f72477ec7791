package dev.srv6sh.dataplane.port.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * An af_packet port on a pool with no large buffers (the netns link daemon's) never holds a large
 * send, so it opens no socket to send one whole: interface-output cuts any for it. An engine's pool
 * has them (AfPacketForwardingTest sends large sends whole).
 */
class AfPacketPoolTest {
    @Test
    void aPortOnAPoolWithoutLargeBuffersTakesNoLargeSends() throws Exception {
        Netns.require();
        try (Netns ns = Netns.create("pool", false)) {
            ns.ip("link", "add", "p0", "type", "veth", "peer", "name", "f0");
            ns.ip("link", "set", "p0", "up");
            ns.ip("link", "set", "f0", "up");
            AfXdpPortTest.Pool pool = new AfXdpPortTest.Pool();
            assertThat(pool.hasLargeBuffers()).isFalse();
            AfPacketPort port = ns.call(() -> AfPacketPort.open("p0", pool));
            try {
                assertThat(port.takesLargeSends()).isFalse();
            } finally {
                port.close();
            }
        }
    }
}
