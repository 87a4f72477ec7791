package dev.srv6sh.dataplane.kernel;

import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.port.linux.Netns;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Linux kernel doing SRv6, linked to a router under test: a node of its own (the "kernel": SIDs,
 * encapsulation routes) whose interface {@code eth0} is the other end of a device in the router's
 * namespace, and hosts behind it, each a network namespace on a veth pair from the kernel node. Tests
 * say what to do as shell commands for the kernel node or a host, the same text on either kind:
 *
 * <ul>
 *   <li>{@link Namespaces}, where this machine's kernel has seg6 ({@link #hostHasSeg6}): the kernel
 *       node is a namespace here, linked to the router by a veth pair;
 *   <li>{@link Guest}, where it does not: Debian's kernel under qemu ({@link QemuGuest}), on the TAP
 *       device qemu creates in the router's namespace; its hosts are namespaces inside the guest.
 * </ul>
 */
public sealed interface Seg6Peer extends AutoCloseable {
    Duration COMMAND = Duration.ofSeconds(60);

    /** What the peer is, for reports. */
    String describe();

    /** Runs one line of shell in the kernel node. */
    CommandResult kernel(String command, Duration timeout);

    /** Runs one line of shell in {@code host}. */
    CommandResult host(String host, String command, Duration timeout);

    /**
     * Adds a host: a network namespace that {@link #host} runs in. Returns its name as the kernel node
     * names it ({@code ip link add … netns NAME}).
     */
    String addHost(String host);

    /**
     * Captures the link to the router on the peer's side, where both directions show, from now until
     * {@link WireCapture#stop}, into {@code file}.
     */
    WireCapture capture(Path file) throws IOException;

    default String kernel(String command) {
        return kernel(command, COMMAND).orThrow();
    }

    default String host(String host, String command) {
        return host(host, command, COMMAND).orThrow();
    }

    /** What the peer can tell of itself when a check fails (the guest's console), or nothing. */
    default String diagnostics() {
        return "";
    }

    @Override
    void close();

    /**
     * The peer for this machine, linked to {@code device} in {@code router}'s namespace, its {@code
     * eth0} at {@code mac}: a namespace when this kernel has seg6 (unless {@code
     * SRV6SH_SEG6_PEER=qemu}), else a guest under qemu (the image prepared, or taken from the cache,
     * first). {@code dir} is for the capture files.
     */
    static Seg6Peer open(Netns router, String device, MacAddress mac, Path dir, Duration boot) throws IOException {
        if (!"qemu".equals(System.getenv("SRV6SH_SEG6_PEER")) && hostHasSeg6()) {
            return Namespaces.open(router, device, mac);
        }
        long start = System.nanoTime();
        GuestImage image = GuestImage.prepare();
        Duration prepared = Duration.ofNanos(System.nanoTime() - start);
        Path dump = dir.resolve("qemu-" + device + ".pcap");
        return new Guest(QemuGuest.boot(image, router, device, mac, dump, boot), dump, prepared);
    }

    /**
     * Skips the test unless it runs as root with {@code tools} and what the peer for this machine
     * needs (qemu and the tools that make its guest, where this kernel has no seg6); under {@code
     * CI=true} it fails instead ({@link Netns#require}).
     */
    static void require(String... tools) {
        Netns.require(tools);
        if (!"qemu".equals(System.getenv("SRV6SH_SEG6_PEER")) && hostHasSeg6()) {
            return;
        }
        List<String> guest = new ArrayList<>(List.of("qemu-system-x86_64"));
        guest.addAll(GuestImage.NEEDS);
        guest.addAll(GuestImage.TOOLS);
        Netns.require(guest.toArray(String[]::new));
    }

    /** Whether this machine's kernel takes a seg6 encapsulation route (tried in a namespace of its own). */
    static boolean hostHasSeg6() {
        try (Netns probe = Netns.create("probe", true)) {
            return CommandResult.run(
                            null,
                            COMMAND,
                            List.of(
                                    "ip",
                                    "-n",
                                    probe.name(),
                                    "-6",
                                    "route",
                                    "add",
                                    "2001:db8:5::/64",
                                    "encap",
                                    "seg6",
                                    "mode",
                                    "encap",
                                    "segs",
                                    "2001:db8:5::1",
                                    "dev",
                                    "lo"))
                    .ok();
        }
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 100 / 10.0;
    }

    /** {@code text} quoted for a POSIX shell. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** Debian's kernel under qemu; hosts are namespaces in the guest. */
    record Guest(QemuGuest guest, Path dump, Duration prepared) implements Seg6Peer {
        /** qemu writes every frame through the guest's NIC to {@code dump} ({@code filter-dump}). */
        @Override
        public WireCapture capture(Path file) throws IOException {
            return WireCapture.from(dump, file);
        }

        @Override
        public String describe() {
            return "Linux " + guest.release() + " under qemu (image ready in " + seconds(prepared) + " s, booted in "
                    + seconds(guest.bootTime()) + " s)";
        }

        @Override
        public CommandResult kernel(String command, Duration timeout) {
            return guest.run(command, timeout);
        }

        @Override
        public CommandResult host(String host, String command, Duration timeout) {
            CommandResult r = guest.run("ip netns exec " + host + " sh -c " + Seg6Peer.quote(command), timeout);
            return new CommandResult(host + ": " + command, r.exit(), r.output());
        }

        @Override
        public String addHost(String host) {
            kernel("ip netns add " + host);
            host(host, "ip link set lo up");
            return host;
        }

        @Override
        public String diagnostics() {
            return "the guest's console:\n" + guest.transcript();
        }

        @Override
        public void close() {
            guest.close();
        }
    }

    /** This machine's kernel: the kernel node and each host a namespace here. */
    record Namespaces(Netns node, Map<String, Netns> hosts) implements Seg6Peer {
        static Namespaces open(Netns router, String device, MacAddress mac) {
            Netns node = Netns.create("k", true);
            try {
                router.ip("link", "add", device, "type", "veth", "peer", "name", "eth0", "netns", node.name());
                node.ip("link", "set", "eth0", "address", mac.toString());
                return new Namespaces(node, new LinkedHashMap<>());
            } catch (RuntimeException e) {
                node.close();
                throw e;
            }
        }

        @Override
        public WireCapture capture(Path file) throws IOException {
            return WireCapture.live(node, "eth0", file);
        }

        @Override
        public String describe() {
            return "this machine's Linux " + System.getProperty("os.version") + " in a namespace";
        }

        @Override
        public CommandResult kernel(String command, Duration timeout) {
            return in(node, command, timeout);
        }

        @Override
        public CommandResult host(String host, String command, Duration timeout) {
            Netns ns = hosts.get(host);
            if (ns == null) {
                throw new IllegalArgumentException("no host " + host + " (addHost first)");
            }
            CommandResult r = in(ns, command, timeout);
            return new CommandResult(host + ": " + command, r.exit(), r.output());
        }

        private static CommandResult in(Netns ns, String command, Duration timeout) {
            return CommandResult.run(
                    null, timeout, new ArrayList<>(List.of("ip", "netns", "exec", ns.name(), "sh", "-c", command)));
        }

        @Override
        public String addHost(String host) {
            Netns ns = Netns.create(host, true);
            hosts.put(host, ns);
            return ns.name();
        }

        @Override
        public void close() {
            for (Netns ns : hosts.values()) {
                ns.endProcesses();
                ns.close();
            }
            node.endProcesses();
            node.close();
        }
    }
}
