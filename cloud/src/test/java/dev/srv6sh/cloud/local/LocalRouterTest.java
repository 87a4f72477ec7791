package dev.srv6sh.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.cloud.HostHandle;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.RouterHandle;
import dev.srv6sh.dataplane.agent.CaptureFile;
import dev.srv6sh.dataplane.agent.RouterAgent;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.pcap.PcapReader;
import dev.srv6sh.dataplane.pcap.PcapRecord;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local router as the rest of the emulation sees it: what it charges to the virtual clock (only
 * the data plane's own work), what it sends when (also when a configuration releases packets), what
 * its captures record and in which order, and how it takes an interrupt (Ctrl-C).
 */
class LocalRouterTest {
    /**
     * A run's cost in bytes the thread allocated during it instead of nanoseconds: a deterministic
     * trace of work done inside the measured region. The engine allocates nothing per packet
     * (dataplane AllocationTest); the emulator's copies of frames would, were they inside.
     */
    static final WorkMeter ALLOCATED_BYTES = new WorkMeter() {
        private final com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        @Override
        public long start() {
            return mx.getCurrentThreadAllocatedBytes();
        }

        @Override
        public long since(long start) {
            return mx.getCurrentThreadAllocatedBytes() - start;
        }
    };

    private static List<Long> rtts(Deployment d, int count) throws Exception {
        return d
                .host("pc")
                .ping(d.host("lc").address(), count, Duration.ofMillis(10), 56, Duration.ofSeconds(2))
                .stream()
                .map(HostHandle.Probe::rttNanos)
                .toList();
    }

    private static List<PcapRecord> records(Path file) throws Exception {
        List<PcapRecord> out = new ArrayList<>();
        try (PcapReader in = PcapReader.open(file)) {
            for (PcapRecord r = in.next(); r != null; r = in.next()) {
                out.add(r);
            }
        }
        return out;
    }

    private static int etherType(PcapRecord r) {
        return (r.data()[12] & 0xff) << 8 | (r.data()[13] & 0xff);
    }

    @Test
    void anInterruptReachesTheCallerAsOneAndTheRouterKeepsItsProgram() throws Exception {
        try (LocalProvider p = LinkModelTest.exact()) {
            Deployment d = LinkModelTest.deploy(p);
            RouterHandle lr = d.router("lr");
            DataplaneConfig program = lr.agent().running().config();
            Thread.currentThread().interrupt(); // Ctrl-C, before or while the router waits for the world
            try {
                assertThatThrownBy(() -> lr.configure(lr.base()))
                        .isInstanceOf(ProviderException.class)
                        .hasMessage("router lr: configuring was interrupted")
                        .hasCauseInstanceOf(InterruptedException.class);
                assertThat(Thread.currentThread().isInterrupted()).isTrue(); // still a Ctrl-C for the caller
                RouterAgent a = lr.agent();
                assertThatThrownBy(a::counters).hasMessage("router lr: reading the counters was interrupted");
                assertThatThrownBy(a::fib).hasMessage("router lr: reading the FIB was interrupted");
                assertThatThrownBy(a::neighbors).hasMessage("router lr: reading the neighbor table was interrupted");
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(lr.agent().running().config()).isSameAs(program);
            assertThat(rtts(d, 1)).allMatch(rtt -> rtt > 0); // the program in force still forwards
        }
    }

    @Test
    void everythingDoneToTheRouterGoesThroughItsAgentAndIsInItsHistory() throws Exception {
        try (LocalProvider p = LinkModelTest.exact()) {
            Deployment d = LinkModelTest.deploy(p);
            RouterHandle lr = d.router("lr");
            RouterAgent a = lr.agent();
            assertThat(a.commits())
                    .extracting(c -> c.id() + " " + c.user() + " " + c.comment())
                    .containsExactly("2 srv6sh apply", "1 srv6sh the backend's topology");
            assertThat(a.running().generation()).isEqualTo(2);
            assertThat(a.describe().interfaces()).containsExactly("inside", "transit");
            assertThat(rtts(d, 1)).allMatch(rtt -> rtt > 0);
            String s = a.openSession("alice");
            a.rollback(s, 1, "back to the topology");
            assertThat(a.running().config()).isEqualTo(lr.base());
            assertThat(a.fib()).noneMatch(e -> e.result().contains("End.DX4"));
            assertThat(d.host("pc").ping(d.host("lc").address(), 1, Duration.ZERO, 56, Duration.ofMillis(100)))
                    .noneMatch(HostHandle.Probe::answered); // lr has no End.DX4 any more
            a.rollback(s, 1, "the program again");
            assertThat(rtts(d, 1)).allMatch(rtt -> rtt > 0);
            lr.configure(a.running().config()); // the same configuration again commits nothing
            assertThat(a.running().generation()).isEqualTo(4);
        }
    }

    @Test
    void aCaptureStoppedOnAnInterruptedThreadIsDisarmedAndItsFileComplete(@TempDir Path dir) throws Exception {
        try (LocalProvider p = LinkModelTest.exact()) {
            Deployment d = LinkModelTest.deploy(p);
            LocalRouter pr = (LocalRouter) d.router("pr");
            CaptureFile capture = CaptureFile.start(pr.agent(), null, dir.resolve("pr.pcap"));
            rtts(d, 1);
            Thread.currentThread().interrupt();
            long written;
            try {
                written = capture.stop().frames();
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(written).isEqualTo(4); // request in and out, reply in and out
            rtts(d, 3); // the router hands it nothing more
            assertThat(records(dir.resolve("pr.pcap"))).hasSize(4);
        }
    }

    @Test
    void framesAConfigurationReleasesLeaveWhenItIsApplied(@TempDir Path dir) throws Exception {
        try (LocalProvider p = LinkModelTest.exact()) {
            Deployment d = LinkModelTest.deploy(p);
            RouterHandle lr = d.router("lr");
            EmulatedHost lc = (EmulatedHost) d.host("lc");
            DataplaneConfig program = lr.agent().running().config();
            // without lc's static neighbor entry, lr's End.DX4 holds the echo request while it asks for
            // lc's MAC (which no emulated host answers)
            lr.configure(new DataplaneConfig(
                    program.router(),
                    program.interfaces(),
                    program.routes(),
                    program.neighbors().stream()
                            .filter(n -> !n.address().equals(lc.address()))
                            .toList(),
                    program.sids(),
                    program.policies(),
                    program.steering(),
                    program.encap(),
                    program.srDomain()));
            assertThat(d.host("pc").ping(lc.address(), 1, Duration.ZERO, 56, Duration.ofMillis(100)))
                    .noneMatch(HostHandle.Probe::answered);
            assertThat(lr.agent().counters().held()).isEqualTo(1);
            CaptureFile capture = CaptureFile.start(lr.agent(), "inside", dir.resolve("lr.pcap"));
            lr.configure(program); // names lc statically: apply sends the request it held
            assertThat(lr.agent().counters().held()).isZero();
            d.sleep(Duration.ofNanos(2 * VpcFabric.INTRA_VPC_NANOS)); // lc's answer is back on lr's inside by then
            assertThat(lc.echoesAnswered.get()).isEqualTo(1);
            assertThat(capture.stop().frames()).isEqualTo(2);
            List<PcapRecord> r = records(dir.resolve("lr.pcap"));
            // out at the apply, lc answers at once, the reply is back two hops later
            assertThat(r.get(1).timeNanos() - r.get(0).timeNanos()).isEqualTo(2 * VpcFabric.INTRA_VPC_NANOS);
        }
    }

    @Test
    void onlyTheDataPlanesWorkIsChargedWithOrWithoutACapture(@TempDir Path dir) throws Exception {
        try (LocalProvider p = new LocalProvider(LinkModelTest.EXACT, ALLOCATED_BYTES)) {
            Deployment d = LinkModelTest.deploy(p);
            rtts(d, 50); // every path taken once (the first run of a path may link call sites)
            List<Long> without = rtts(d, 20);
            CaptureFile pr = CaptureFile.start(d.router("pr").agent(), null, dir.resolve("pr.pcap"));
            CaptureFile lr = CaptureFile.start(d.router("lr").agent(), null, dir.resolve("lr.pcap"));
            List<Long> with = rtts(d, 20);
            assertThat(pr.stop().frames()).isEqualTo(80);
            assertThat(lr.stop().frames()).isEqualTo(80);
            // no byte allocated in any measured run: neither the copies of transmitted frames nor the
            // captures' are charged, so each RTT is the path's (link, two hops each side) exactly
            long path = LinkModelTest.PARIS_LONDON + 4 * VpcFabric.INTRA_VPC_NANOS;
            assertThat(without).containsOnly(path);
            assertThat(with).isEqualTo(without);
        }
    }

    @Test
    void aCapturesRecordsAreInTimeOrderAndEachFrameStampedWhenItWasOnTheWire(@TempDir Path dir) throws Exception {
        // a datagram every 11.2 µs (1400 B at 1 Gbit/s) into a router whose every run costs 20 µs: frames
        // arrive while the router is busy, before the end of the run whose transmissions are stamped then
        try (LocalProvider p = new LocalProvider(LinkModelTest.EXACT, WorkMeter.fixed(20_000))) {
            Deployment d = LinkModelTest.deploy(p);
            CaptureFile capture = CaptureFile.start(d.router("pr").agent(), null, dir.resolve("pr.pcap"));
            HostHandle.UdpReport report = d.host("pc")
                    .udp(
                            d.host("lc"),
                            d.host("lc").address(),
                            new HostHandle.UdpFlow(1_000_000_000L, 1400, Duration.ofMillis(1)));
            assertThat(report.lost()).isZero();
            assertThat(capture.stop().frames()).isEqualTo(2 * report.sent());
            List<PcapRecord> r = records(dir.resolve("pr.pcap"));
            assertThat(r).extracting(PcapRecord::timeNanos).isSorted();
            // received (IPv4 from pc, on inside) at their arrival, as paced; sent (IPv6, encapsulated) at the
            // end of a run, in batches: at least one frame arrived between a run's start and its end
            List<Long> in = r.stream()
                    .filter(x -> etherType(x) == 0x0800)
                    .map(PcapRecord::timeNanos)
                    .toList();
            List<Long> out = r.stream()
                    .filter(x -> etherType(x) == 0x86dd)
                    .map(PcapRecord::timeNanos)
                    .toList();
            assertThat(in).hasSize((int) report.sent());
            for (int k = 1; k < in.size(); k++) {
                assertThat(in.get(k) - in.get(k - 1)).isEqualTo(11_200L);
            }
            assertThat(out).hasSize((int) report.sent());
            assertThat(in.get(1)).isLessThan(out.getFirst()); // the second arrived during the first run
        }
    }
}
