package dev.srv6sh.cloud.netns;

import dev.srv6sh.cloud.HostHandle.TcpFlow;
import dev.srv6sh.cloud.HostHandle.TcpReport;
import dev.srv6sh.cloud.HostHandle.UdpFlow;
import dev.srv6sh.cloud.HostHandle.UdpReport;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.dataplane.agent.JsonText;
import dev.srv6sh.dataplane.config.Addresses;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Throughput between two netns hosts with iperf3, the paper's tool: a one-off server ({@code iperf3
 * -s -1 -J}) in the receiver's namespace on a free port, the client in the sender's, both asked for
 * JSON. The server is removed on every path, and an error iperf3 reports in its JSON ({@code
 * "error"}) becomes a {@link ProviderException} quoting it.
 *
 * <p>Its client options ({@link #udpOptions}, {@link #tcpOptions}) and its JSON reports ({@link
 * #udpReport}, {@link #tcpReport}) are public: the aws backend runs the same iperf3 over SSH on its
 * hosts, so that its measurements are the same records as here.
 */
public final class Iperf3 {
    private Iperf3() {}

    /** IPv4 and UDP headers: a flow's size is the whole IP datagram's, iperf3's {@code -l} the payload's. */
    private static final int UDP4_HEADERS = 28;

    private static final int UDP6_HEADERS = 48;

    /** How long the server may take to listen, and to write its JSON once the client is done. */
    private static final long SERVER_WAIT_MS = 10_000;

    static UdpReport udp(String fromNs, String toNs, InetAddress target, UdpFlow flow)
            throws ProviderException, InterruptedException {
        Outputs o = run(fromNs, toNs, target, flow.duration(), udpOptions(target, flow));
        return udpReport(o.client(), o.server(), flow.size());
    }

    /**
     * The client's options for a UDP flow to {@code target}: one stream of datagrams whose IP size is
     * {@code flow.size()} at {@code flow.rateBps()} of whole IP datagrams (iperf3 counts payload).
     */
    public static List<String> udpOptions(InetAddress target, UdpFlow flow) throws ProviderException {
        int headers = target instanceof Inet6Address ? UDP6_HEADERS : UDP4_HEADERS;
        int payload = flow.size() - headers;
        if (payload < 16) {
            throw new ProviderException("a UDP datagram of " + flow.size() + " bytes leaves iperf3 " + payload
                    + " bytes of payload; it needs at least 16");
        }
        long payloadRate = Math.max(1, Math.round(flow.rateBps() * (double) payload / flow.size()));
        return List.of("-u", "-b", Long.toString(payloadRate), "-l", Integer.toString(payload), "-P", "1");
    }

    static TcpReport tcp(String fromNs, String toNs, InetAddress target, TcpFlow flow)
            throws ProviderException, InterruptedException {
        Outputs o = run(fromNs, toNs, target, flow.duration(), tcpOptions(flow));
        return tcpReport(o.client(), flow.streams());
    }

    /** The client's options for a TCP transfer: its streams, and its rate cap split between them. */
    public static List<String> tcpOptions(TcpFlow flow) {
        List<String> opts = new ArrayList<>(List.of("-P", Integer.toString(flow.streams())));
        if (flow.rateBps() > 0) {
            // iperf3's -b is per stream
            opts.addAll(List.of("-b", Long.toString(Math.max(1, flow.rateBps() / flow.streams()))));
        }
        return opts;
    }

    /** iperf3's {@code -t}: whole seconds, at least one. */
    public static long seconds(Duration duration) {
        return Math.max(1, (long) Math.ceil(duration.toNanos() / 1e9));
    }

    private record Outputs(String client, String server) {}

    /**
     * Starts the one-off server, waits until it listens, runs the client, then collects the server's
     * JSON; the server process is destroyed whatever happens.
     */
    private static Outputs run(String fromNs, String toNs, InetAddress target, Duration duration, List<String> opts)
            throws ProviderException, InterruptedException {
        int port = freePort(toNs);
        Path serverOut = null;
        Process server = null;
        try {
            serverOut = Files.createTempFile("srv6sh-iperf3", ".json");
            server = new ProcessBuilder(Sys.measuring(toNs, "iperf3", "-s", "-1", "-J", "-p", Integer.toString(port)))
                    .redirectOutput(serverOut.toFile())
                    .redirectErrorStream(true)
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            awaitListening(server, toNs, port, serverOut);
            long seconds = seconds(duration);
            List<String> cmd = Sys.measuring(
                    fromNs,
                    "iperf3",
                    "-c",
                    Addresses.format(target),
                    "-p",
                    Integer.toString(port),
                    "-J",
                    "-t",
                    Long.toString(seconds));
            cmd.addAll(opts);
            Sys.Result c = Sys.exec(cmd, null, seconds * 1000 + 30_000);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            String client = c.out();
            checkError("iperf3's client", client, c.err());
            String srv = "";
            if (server.waitFor(SERVER_WAIT_MS, TimeUnit.MILLISECONDS)) {
                srv = Files.readString(serverOut, StandardCharsets.UTF_8);
                checkError("iperf3's server", srv, "");
            }
            return new Outputs(client, srv);
        } catch (IOException e) {
            throw new ProviderException("cannot run iperf3: " + e.getMessage()
                    + " (the netns backend measures throughput with iperf3: apt-get install iperf3)");
        } finally {
            if (server != null && server.isAlive()) {
                server.destroyForcibly();
                server.waitFor(SERVER_WAIT_MS, TimeUnit.MILLISECONDS);
            }
            if (serverOut != null) {
                try {
                    Files.deleteIfExists(serverOut);
                } catch (IOException e) {
                    // a temporary file: nothing else to do
                }
            }
        }
    }

    /** A port nothing in {@code ns} listens on (each namespace has its own ports). */
    private static int freePort(String ns) throws ProviderException {
        String listening = Sys.inNs(ns, "ss", "-Hltn");
        for (int i = 0; i < 20; i++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            if (!listening.contains(":" + port + " ")) {
                return port;
            }
        }
        throw new ProviderException("no free port for iperf3's server in " + ns);
    }

    private static void awaitListening(Process server, String ns, int port, Path out)
            throws ProviderException, InterruptedException, IOException {
        long deadline = System.nanoTime() + SERVER_WAIT_MS * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                String text = Files.readString(out, StandardCharsets.UTF_8);
                checkError("iperf3's server", text, "");
                throw new ProviderException("iperf3's server in " + ns + " ended before it listened (exit "
                        + server.exitValue() + "): " + text.strip());
            }
            Sys.Result r = Sys.exec(List.of("ip", "netns", "exec", ns, "ss", "-Hltn", "sport = :" + port), null, 5_000);
            if (r.ok() && !r.out().isBlank()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new ProviderException(
                "iperf3's server in " + ns + " did not listen on port " + port + " within " + SERVER_WAIT_MS + " ms");
    }

    /** Throws when {@code json} is not iperf3's JSON or carries its {@code "error"}, quoting it. */
    public static void checkError(String who, String json, String stderr) throws ProviderException {
        Map<?, ?> root = root(who, json, stderr);
        if (root.get("error") instanceof String e) {
            throw new ProviderException(who + " failed: " + e);
        }
    }

    private static Map<?, ?> root(String who, String json, String stderr) throws ProviderException {
        // iperf3 may print a line such as "iperf3: exiting" after its JSON: the report is the object
        int from = json.indexOf('{');
        int to = json.lastIndexOf('}');
        if (from >= 0 && to > from) {
            try {
                if (JsonText.parse(json.substring(from, to + 1)) instanceof Map<?, ?> m) {
                    return m;
                }
            } catch (IllegalArgumentException e) {
                // not JSON: said below
            }
        }
        throw new ProviderException(who + " printed no JSON report" + said(stderr + "\n" + json));
    }

    /**
     * What iperf3 said outside JSON (a parameter error comes after its whole usage text): the last
     * {@code iperf3: ...} message, else the last line.
     */
    static String said(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return "";
        }
        int at = t.lastIndexOf("iperf3: ");
        String msg = at >= 0 ? t.substring(at) : t.substring(t.lastIndexOf('\n') + 1);
        msg = msg.strip();
        return ": " + (msg.length() > 300 ? msg.substring(0, 300) + "..." : msg);
    }

    /**
     * A UDP flow's report from the client's JSON (datagrams sent, for how long) and the server's
     * (received, lost, jitter, out of order); {@code size} is the IP datagram's size, so bytes are IP
     * bytes as on local. Without the server's JSON, the client's copy of the server's counts is used.
     */
    public static UdpReport udpReport(String clientJson, String serverJson, int size) throws ProviderException {
        checkError("iperf3's client", clientJson, "");
        Map<?, ?> client = root("iperf3's client", clientJson, "");
        Map<?, ?> sent = obj(obj(client, "end"), "sum_sent");
        long sentPackets = num(sent, "packets");
        double seconds = dbl(sent, "seconds");
        Map<?, ?> receiverEnd = serverJson == null || serverJson.isBlank()
                ? obj(client, "end")
                : obj(root("iperf3's server", serverJson, ""), "end");
        Map<?, ?> got = obj(receiverEnd, "sum_received");
        // iperf3's receiver counts "packets" up to the highest sequence number seen, "lost_packets" the gaps
        long received = Math.max(0, num(got, "packets") - num(got, "lost_packets"));
        long reordered = 0;
        if (receiverEnd.get("streams") instanceof List<?> streams) {
            for (Object s : streams) {
                if (s instanceof Map<?, ?> m && m.get("udp") instanceof Map<?, ?> u && u.get("out_of_order") != null) {
                    reordered += num(u, "out_of_order");
                }
            }
        }
        return new UdpReport(
                sentPackets,
                received,
                received * size,
                Math.max(0, sentPackets - received),
                reordered,
                0,
                dbl(got, "jitter_ms") * 1e6,
                -1,
                Duration.ofNanos(Math.round(seconds * 1e9)));
    }

    /** A TCP transfer's report from the client's JSON: the receiver's sum, the sender's retransmits. */
    public static TcpReport tcpReport(String clientJson, int streams) throws ProviderException {
        checkError("iperf3's client", clientJson, "");
        Map<?, ?> end = obj(root("iperf3's client", clientJson, ""), "end");
        Map<?, ?> got = obj(end, "sum_received");
        Map<?, ?> sent = obj(end, "sum_sent");
        return new TcpReport(
                num(got, "bytes"),
                dbl(got, "bits_per_second"),
                sent.get("retransmits") == null ? 0 : num(sent, "retransmits"),
                streams,
                Duration.ofNanos(Math.round(dbl(got, "seconds") * 1e9)));
    }

    private static Map<?, ?> obj(Map<?, ?> m, String key) throws ProviderException {
        if (m.get(key) instanceof Map<?, ?> v) {
            return v;
        }
        throw new ProviderException("iperf3's JSON report has no '" + key + "'");
    }

    private static double dbl(Map<?, ?> m, String key) throws ProviderException {
        if (m.get(key) instanceof Number n) {
            return n.doubleValue();
        }
        throw new ProviderException("iperf3's JSON report has no number '" + key + "'");
    }

    private static long num(Map<?, ?> m, String key) throws ProviderException {
        return Math.round(dbl(m, key));
    }
}
