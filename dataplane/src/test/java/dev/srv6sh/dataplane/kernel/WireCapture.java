package dev.srv6sh.dataplane.kernel;

import dev.srv6sh.dataplane.port.linux.Netns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What passed on the link between a router and a {@link Seg6Peer}, in a pcap file that {@code tshark}
 * decodes: the SRv6 packets as another implementation than ours reads them. Captured on the peer's
 * side of the link, where both directions show: the router's AF_PACKET port sends with {@code
 * PACKET_QDISC_BYPASS}, straight to the driver, so a capture on the router's own device never sees
 * what it sends.
 */
public sealed interface WireCapture extends AutoCloseable {
    /** Ends the capture and decodes every frame with an SRH. */
    List<Srh> stop();

    @Override
    void close();

    /**
     * One IPv6 packet with a Segment Routing Header: outer source and destination, Segments Left, the
     * segment list as on the wire (Segment List[0], the last segment, first), and the inner IPv4
     * source and destination if it carries IPv4.
     */
    record Srh(String src, String dst, int segmentsLeft, List<String> segments, String innerSrc, String innerDst) {
        @Override
        public String toString() {
            return src + " > " + dst + " SL " + segmentsLeft + " " + segments + " (" + innerSrc + " > " + innerDst
                    + ")";
        }
    }

    /** tshark capturing on {@code device} in {@code ns} into {@code file}; returns once it captures. */
    static WireCapture live(Netns ns, String device, Path file) throws IOException {
        Process p = new ProcessBuilder(
                        "ip", "netns", "exec", ns.name(), "tshark", "-q", "-i", device, "-w", file.toString())
                .redirectErrorStream(true)
                .start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        for (String line; (line = r.readLine()) != null; ) {
            said.append(line).append('\n');
            if (line.contains("Capturing on")) {
                Thread.ofVirtual().start(() -> drain(r));
                return new Live(p, file);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("tshark did not start capturing on " + device + ": " + said);
    }

    /**
     * What is appended from now on to {@code dump}, a pcap file another program writes a frame at a
     * time (qemu's {@code filter-dump}), copied into {@code file} when stopped.
     */
    static WireCapture from(Path dump, Path file) throws IOException {
        return new Slice(dump, Files.size(dump), file);
    }

    private static void drain(BufferedReader r) {
        try {
            while (r.readLine() != null) {
                // tshark's counts and warnings
            }
        } catch (IOException e) {
            // tshark ended
        }
    }

    /** A tshark process writing {@code file}. */
    record Live(Process tshark, Path file) implements WireCapture {
        @Override
        public List<Srh> stop() {
            tshark.destroy();
            try {
                if (!tshark.waitFor(20, TimeUnit.SECONDS)) {
                    tshark.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return decode(file);
        }

        @Override
        public void close() {
            tshark.destroyForcibly();
        }
    }

    /** The frames of {@code dump} after offset {@code from}, behind the dump's pcap file header. */
    record Slice(Path dump, long from, Path file) implements WireCapture {
        private static final int PCAP_HEADER = 24;

        @Override
        public List<Srh> stop() {
            try {
                Thread.sleep(200); // the last frames' writes
                try (FileChannel in = FileChannel.open(dump);
                        FileChannel out = FileChannel.open(
                                file,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE,
                                StandardOpenOption.TRUNCATE_EXISTING)) {
                    long end = in.size();
                    in.transferTo(0, PCAP_HEADER, out);
                    in.transferTo(from, end - from, out);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return decode(file);
        }

        @Override
        public void close() {
            // nothing runs for a slice
        }
    }

    /** The frames of {@code pcap} with an SRH, as tshark decodes them. */
    static List<Srh> decode(Path pcap) {
        List<String> command = new ArrayList<>(List.of(
                "tshark",
                "-r",
                pcap.toString(),
                "-Y",
                "ipv6.routing.type == 4",
                "-T",
                "fields",
                "-E",
                "separator=|",
                "-E",
                "occurrence=a",
                "-E",
                "aggregator=,"));
        for (String field :
                List.of("ipv6.src", "ipv6.dst", "ipv6.routing.segleft", "ipv6.routing.srh.addr", "ip.src", "ip.dst")) {
            command.add("-e");
            command.add(field);
        }
        String out = CommandResult.run(null, Duration.ofSeconds(60), command).orThrow();
        List<Srh> srhs = new ArrayList<>();
        for (String line : out.lines().toList()) {
            String[] f = line.split("\\|", -1);
            if (f.length < 6 || f[2].isEmpty()) {
                continue; // tshark's "Running as user root" and the like
            }
            srhs.add(new Srh(
                    first(f[0]),
                    first(f[1]),
                    Integer.parseInt(first(f[2])),
                    Arrays.asList(f[3].split(",")),
                    first(f[4]),
                    first(f[5])));
        }
        return srhs;
    }

    /** The first of a field's occurrences: the outer header's, for an ICMPv6 error that quotes a packet. */
    private static String first(String aggregated) {
        int comma = aggregated.indexOf(',');
        return comma < 0 ? aggregated : aggregated.substring(0, comma);
    }
}
