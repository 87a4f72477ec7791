package dev.srv6sh.shell.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code srv6sh router} opens a script's {@code driver udp} interface: a process of its own whose
 * transit interface is a udp wire on loopback answers ARP across it, and a second router given the
 * same local end does not start, saying why.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UdpRouterDaemonTest {
    @TempDir
    Path dir;

    static final byte[] FAR_MAC = HexFormat.of().parseHex("020000000077");

    static String script(int local, int peer) {
        return """
                region paris aws "eu-west-3"
                vpc pv in paris { cidr 198.51.100.0/24 }
                host pc in pv
                router pr in pv {
                  locator auto
                  sid dx4 End.DX4 nh pc
                  interface transit {
                    mtu 1400
                    address 203.0.113.1/24
                    driver udp
                    device "127.0.0.1:%d->127.0.0.1:%d"
                  }
                }
                """
                .formatted(local, peer);
    }

    static int freePort() throws Exception {
        try (DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET)) {
            c.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return ((InetSocketAddress) c.getLocalAddress()).getPort();
        }
    }

    record Daemon(Process process, List<String> log) {}

    private Daemon start(Path script, Path state) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.srv6sh.shell.Main",
                        "router",
                        "--config",
                        script.toString(),
                        "--name",
                        "pr",
                        "--state",
                        state.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> log = new CopyOnWriteArrayList<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    log.add(line);
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        return new Daemon(p, log);
    }

    private static void await(Daemon d, String text) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (d.log().stream().noneMatch(l -> l.contains(text))) {
            assertThat(System.nanoTime() < until)
                    .as("waiting for '%s': %s", text, d.log())
                    .isTrue();
            assertThat(d.process().isAlive() || d.log().stream().anyMatch(l -> l.contains(text)))
                    .as("the daemon exited: " + d.log())
                    .isTrue();
            Thread.sleep(20);
        }
    }

    /** An ARP request from the far end (203.0.113.2) for the router's transit address. */
    static byte[] whoHas() {
        ByteBuffer b = ByteBuffer.allocate(42);
        b.put(HexFormat.of().parseHex("ffffffffffff")).put(FAR_MAC).putShort((short) 0x0806);
        b.put(HexFormat.of().parseHex("0001080006040001")).put(FAR_MAC).put(new byte[] {(byte) 203, 0, 113, 2});
        b.put(new byte[6]).put(new byte[] {(byte) 203, 0, 113, 1});
        return b.array();
    }

    @Test
    void theRouterForwardsOnAUdpWireAndASecondOneOnTheSameEndSaysWhyItCannot() throws Exception {
        int local = freePort();
        int peer = freePort();
        Path script = dir.resolve("r.srv6");
        Files.writeString(script, script(local, peer));
        Daemon d = start(script, dir.resolve("state"));
        try {
            await(d, "running (pid ");
            assertThat(d.log())
                    .anyMatch(l -> l.contains("forwarding on inside (memory), transit (udp on 127.0.0.1:" + local
                            + "->127.0.0.1:" + peer + ")"));
            try (DatagramSocket far =
                    new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), peer))) {
                far.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), local));
                far.setSoTimeout(10_000);
                List<byte[]> replies = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    byte[] ask = whoHas();
                    far.send(new DatagramPacket(ask, ask.length));
                    DatagramPacket got = new DatagramPacket(new byte[2048], 2048);
                    far.receive(got); // the daemon's thread wakes for it, answers, and Netty's sends
                    replies.add(Arrays.copyOf(got.getData(), got.getLength()));
                }
                for (byte[] r : replies) {
                    assertThat(Arrays.copyOfRange(r, 0, 6)).as("to the far end").isEqualTo(FAR_MAC);
                    assertThat(r[12]).isEqualTo((byte) 0x08);
                    assertThat(r[13]).as("ARP").isEqualTo((byte) 0x06);
                    assertThat(r[21]).as("a reply").isEqualTo((byte) 2);
                    assertThat(Arrays.copyOfRange(r, 28, 32)).isEqualTo(new byte[] {(byte) 203, 0, 113, 1});
                }
            }

            Daemon second = start(script, dir.resolve("state2"));
            assertThat(second.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.process().exitValue()).isEqualTo(3);
            await(second, "could not start");
            assertThat(second.log())
                    .anyMatch(l -> l.contains("interface transit: udp on device '127.0.0.1:" + local + "->127.0.0.1:"
                            + peer + "': cannot bind 127.0.0.1:" + local
                            + ": Address already in use (EADDRINUSE): another socket has that address and port"));
        } finally {
            d.process().toHandle().destroy();
            assertThat(d.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(d.log()).anyMatch(l -> l.endsWith("router pr: stopped"));
    }
}
