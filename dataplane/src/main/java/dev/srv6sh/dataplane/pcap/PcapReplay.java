package dev.srv6sh.dataplane.pcap;

import dev.srv6sh.dataplane.Capture;
import dev.srv6sh.dataplane.ConfigException;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.agent.NeighborEntry;
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
 * Ethernet header from the interface's peer to the port), the graph runs until idle, and what each
 * interface sends is written to {@code DIR/IFACE.pcap} with the timestamp of the frame that caused it;
 * the engine's counters and neighbor table go to {@code DIR/counters.json}.
 *
 * <p>The replay's time is the records' time: records of one interface up to 1 ms apart are received
 * as one vector (at most 256), the engine's clock reads the time of the latest record received, and
 * address resolution's timers (retransmits, aging) run, at their deadline, when the records' time
 * passes it ({@link ReplayFeed}). The far end of each link is played by {@link ReplayPeer}: every ARP request and Neighbor
 * Solicitation the router sends is answered, at the time it was sent, from {@link #peerMac}, so that
 * packets to next hops without a static neighbor leave with that MAC. The solicitations are in the
 * output files (the router sent them); the answers, like the input records, are not.
 */
public final class PcapReplay {
    /** The peer of the first interface, and the source MAC of its raw-IP records ({@link #peerMac}(0)). */
    public static final MacAddress SENDER_MAC = ReplayPeer.mac(0);

    /** One {@code --in IFACE=FILE}. */
    public record Input(String iface, Path file) {}

    /** What became of one input file's records: received, or skipped by reason. */
    public record InputStats(String iface, Path file, long records, long received, Map<String, Long> skipped) {}

    /** One interface's output file and the frames in it. */
    public record Output(String iface, Path file, long frames) {}

    /** The far end of one interface: its MAC, and the ARP requests and solicitations it answered. */
    public record Peer(String iface, MacAddress mac, long answered) {}

    public record Result(
            List<InputStats> inputs,
            List<Output> outputs,
            Counters counters,
            List<NeighborEntry> neighbors,
            List<Peer> peers,
            Path countersFile) {}

    /**
     * The MAC of the peer a replay plays on the {@code ifIndex}-th interface of the configuration (0
     * first): {@code 00:00:5e:00:53:NN}, NN = ifIndex + 1 (RFC 7042's documentation range).
     */
    public static MacAddress peerMac(int ifIndex) {
        return ReplayPeer.mac(ifIndex);
    }

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
        List<String> names = List.copyOf(ifaces.keySet());
        ReplayFeed.ReplayClock clock = new ReplayFeed.ReplayClock();
        try (Engine engine = new Engine(config.router(), clock, MemoryPort.FACTORY)) {
            engine.apply(config.inMemory()); // a router bound to Linux devices replays in memory too
            for (Input in : inputs) {
                int i = names.indexOf(in.iface());
                sources.add(new Source(
                        in, PcapReader.open(in.file()), ifaces.get(in.iface()).mac(), ReplayPeer.mac(i)));
            }
            boolean nanos = sources.stream().anyMatch(s -> s.reader.nanosecond());
            outputs = new Outputs(outDir, nanos);
            ReplayPeer peer = new ReplayPeer(outputs, names);
            Capture capture = engine.capture(null, EnumSet.of(Capture.Direction.TX), peer);
            new ReplayFeed(engine, clock, peer).run(sources);
            capture.stop();
            List<Output> written = outputs.finish(ifaces.keySet());
            Counters counters = engine.counters();
            List<NeighborEntry> neighbors = engine.neighbors();
            List<Peer> peers = new ArrayList<>();
            peer.answered().forEach((i, n) -> peers.add(new Peer(i, ReplayPeer.mac(names.indexOf(i)), n)));
            List<InputStats> stats = new ArrayList<>();
            for (Source s : sources) {
                stats.add(new InputStats(s.input.iface(), s.input.file(), s.records, s.received, s.skipped));
            }
            Path json = outDir.resolve("counters.json");
            try {
                Files.writeString(
                        json,
                        Json.write(CountersTree.of(config.router(), counters, stats, written, neighbors, peers)),
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new PcapException(json + ": cannot write it (" + e.getMessage() + ")", e);
            }
            return new Result(stats, written, counters, neighbors, peers, json);
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

    /** One input file and what became of its records. */
    static final class Source {
        final Input input;
        final PcapReader reader;
        final byte[] mac;
        final byte[] peer;
        final Map<String, Long> skipped = new LinkedHashMap<>();
        PcapRecord pending;
        long records;
        long received;

        Source(Input input, PcapReader reader, MacAddress portMac, MacAddress peerMac) {
            this.input = input;
            this.reader = reader;
            this.mac = portMac.bytes();
            this.peer = peerMac.bytes();
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
            System.arraycopy(peer, 0, f, 6, 6);
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
