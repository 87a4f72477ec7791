package dev.srv6sh.dataplane.pcap;

import dev.srv6sh.dataplane.Capture;
import dev.srv6sh.dataplane.ConfigException;
import dev.srv6sh.dataplane.Counters;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one router's data plane over pcap input, VPP's packet generator turned black-box harness:
 * every input file's records are received on their interface in time order (raw-IP records get an
 * Ethernet header addressed to the port), the graph runs until idle, and what each interface sends
 * is written to {@code DIR/IFACE.pcap} with the timestamp of the frame that caused it; the engine's
 * counters go to {@code DIR/counters.json}.
 */
public final class PcapReplay {
    /** The source MAC of the Ethernet header given to raw-IP records (RFC 7042 documentation range). */
    public static final MacAddress SENDER_MAC = MacAddress.parse("00:00:5e:00:53:01");

    static final int BATCH = 256;

    /** One {@code --in IFACE=FILE}. */
    public record Input(String iface, Path file) {}

    /** What became of one input file's records: received, or skipped by reason. */
    public record InputStats(String iface, Path file, long records, long received, Map<String, Long> skipped) {}

    /** One interface's output file and the frames in it. */
    public record Output(String iface, Path file, long frames) {}

    public record Result(List<InputStats> inputs, List<Output> outputs, Counters counters, Path countersFile) {}

    private PcapReplay() {}

    /**
     * Replays {@code inputs} through a fresh engine running {@code config} and writes the outputs into
     * {@code outDir}. An input naming an interface the router does not have, or a file the outputs
     * would overwrite, is an {@link IllegalArgumentException} before anything runs.
     */
    public static Result run(DataplaneConfig config, List<Input> inputs, Path outDir)
            throws PcapException, ConfigException {
        Map<String, DataplaneConfig.Interface> ifaces = new LinkedHashMap<>();
        config.interfaces().forEach(i -> ifaces.put(i.name(), i));
        for (Input in : inputs) {
            if (!ifaces.containsKey(in.iface())) {
                throw new IllegalArgumentException("router " + config.router() + " has no interface '" + in.iface()
                        + "'; its interfaces are " + String.join(", ", ifaces.keySet()));
            }
            for (String name : ifaces.keySet()) {
                if (sameFile(in.file(), outDir.resolve(name + ".pcap"))) {
                    throw new IllegalArgumentException(in.file() + " would be overwritten by the output of interface "
                            + name + "; choose another --out directory");
                }
            }
        }
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new PcapException(outDir + ": cannot create the output directory (" + e.getMessage() + ")", e);
        }
        List<Source> sources = new ArrayList<>();
        Outputs outputs = null;
        try (Engine engine = new Engine(config.router())) {
            engine.apply(config);
            for (Input in : inputs) {
                sources.add(new Source(
                        in, PcapReader.open(in.file()), ifaces.get(in.iface()).mac()));
            }
            boolean nanos = sources.stream().anyMatch(s -> s.reader.nanosecond());
            outputs = new Outputs(outDir, nanos);
            Capture capture = engine.capture(null, EnumSet.of(Capture.Direction.TX), outputs);
            feed(engine, sources);
            while (engine.poll() > 0) {
                // the graph is idle once a poll takes nothing in
            }
            capture.stop();
            List<Output> written = outputs.finish(ifaces.keySet());
            Counters counters = engine.counters();
            List<InputStats> stats = new ArrayList<>();
            for (Source s : sources) {
                stats.add(new InputStats(s.input.iface(), s.input.file(), s.records, s.received, s.skipped));
            }
            Path json = outDir.resolve("counters.json");
            try {
                Files.writeString(
                        json,
                        Json.write(CountersTree.of(config.router(), counters, stats, written)),
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new PcapException(json + ": cannot write it (" + e.getMessage() + ")", e);
            }
            return new Result(stats, written, counters, json);
        } finally {
            sources.forEach(s -> s.reader.close());
            if (outputs != null) {
                outputs.abandon();
            }
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b)
                    ? Files.isSameFile(a, b)
                    : a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        } catch (IOException e) {
            return false;
        }
    }

    /** Receives the records of all inputs in time order, one interface's run of up to 256 per poll. */
    private static void feed(Engine engine, List<Source> sources) throws PcapException {
        for (Source s : sources) {
            s.advance();
        }
        Source last = null;
        int batch = 0;
        while (true) {
            Source next = null;
            for (Source s : sources) {
                if (s.pending != null && (next == null || s.pending.timeNanos() < next.pending.timeNanos())) {
                    next = s;
                }
            }
            if (next == null) {
                return;
            }
            // Polling when the interface changes keeps outputs in the inputs' time order.
            if (batch == BATCH || (last != null && last != next && batch > 0)) {
                engine.poll();
                batch = 0;
            }
            if (next.receive(engine.port(next.input.iface()))) {
                batch++;
            }
            last = next;
            next.advance();
        }
    }

    /** One input file and what became of its records. */
    private static final class Source {
        final Input input;
        final PcapReader reader;
        final byte[] mac;
        final Map<String, Long> skipped = new LinkedHashMap<>();
        PcapRecord pending;
        long records;
        long received;

        Source(Input input, PcapReader reader, MacAddress portMac) {
            this.input = input;
            this.reader = reader;
            this.mac = portMac.bytes();
        }

        void advance() throws PcapException {
            pending = reader.next();
            if (pending != null) {
                records++;
            }
        }

        /** Hands the pending record to {@code port}; false (and counted) when it cannot be received. */
        boolean receive(MemoryPort port) {
            PcapRecord r = pending;
            if (r.truncated()) {
                return skip("cut short by the capture's snap length");
            }
            byte[] frame = r.data();
            if (reader.linkType() != LinkType.ETHERNET) {
                int version = frame.length == 0 ? 0 : (frame[0] & 0xff) >>> 4;
                int type =
                        switch (reader.linkType()) {
                            case IPV4 -> 0x0800;
                            case IPV6 -> 0x86dd;
                            default -> version == 4 ? 0x0800 : version == 6 ? 0x86dd : -1;
                        };
                if (type < 0) {
                    return skip("raw record is neither IPv4 nor IPv6");
                }
                frame = ethernet(frame, type);
            }
            if (frame.length > MemoryPort.MAX_FRAME) {
                return skip("larger than the data plane's " + MemoryPort.MAX_FRAME + "-byte frames");
            }
            port.inject(frame, 0, frame.length, r.timeNanos());
            received++;
            return true;
        }

        private byte[] ethernet(byte[] ip, int type) {
            byte[] f = new byte[14 + ip.length];
            System.arraycopy(mac, 0, f, 0, 6);
            System.arraycopy(SENDER_MAC.bytes(), 0, f, 6, 6);
            f[12] = (byte) (type >>> 8);
            f[13] = (byte) type;
            System.arraycopy(ip, 0, f, 14, ip.length);
            return f;
        }

        private boolean skip(String reason) {
            skipped.merge(reason, 1L, Long::sum);
            return false;
        }
    }

    /** The tx capture's sink: one Ethernet pcap per interface, opened at its first frame. */
    private static final class Outputs implements Capture.Sink {
        private final Path dir;
        private final boolean nanos;
        private final Map<String, PcapWriter> writers = new LinkedHashMap<>();
        private PcapException failure;

        Outputs(Path dir, boolean nanos) {
            this.dir = dir;
            this.nanos = nanos;
        }

        @Override
        public void capture(Capture.Frame f) {
            if (failure != null) {
                return;
            }
            try {
                PcapWriter w = writers.get(f.iface());
                if (w == null) {
                    w = PcapWriter.create(
                            dir.resolve(f.iface() + ".pcap"),
                            LinkType.ETHERNET,
                            ByteOrder.nativeOrder(),
                            nanos,
                            PcapWriter.DEFAULT_SNAPLEN);
                    writers.put(f.iface(), w);
                }
                w.write(f.timeNanos(), f.segment(), f.offset(), f.length());
            } catch (PcapException e) {
                failure = e;
            }
        }

        /** Closes whatever is still open after a failure; after {@link #finish} it does nothing. */
        void abandon() {
            for (PcapWriter w : writers.values()) {
                try {
                    w.close();
                } catch (PcapException e) {
                    // the failure that stopped the replay is the one reported
                }
            }
        }

        /**
         * Closes the files written; removes DIR/IFACE.pcap left by an earlier run for an interface that
         * sent nothing this time, so that DIR describes this run only.
         */
        List<Output> finish(Iterable<String> ifaces) throws PcapException {
            PcapException first = failure;
            List<Output> out = new ArrayList<>();
            for (var e : writers.entrySet()) {
                try {
                    e.getValue().close();
                } catch (PcapException x) {
                    first = first == null ? x : first;
                }
                out.add(new Output(
                        e.getKey(),
                        dir.resolve(e.getKey() + ".pcap"),
                        e.getValue().records()));
            }
            if (first != null) {
                throw first;
            }
            for (String i : ifaces) {
                if (!writers.containsKey(i)) {
                    try {
                        Files.deleteIfExists(dir.resolve(i + ".pcap"));
                    } catch (IOException x) {
                        throw new PcapException(
                                dir.resolve(i + ".pcap") + ": a stale output that cannot be removed (" + x.getMessage()
                                        + ")",
                                x);
                    }
                }
            }
            return out;
        }
    }
}
