package dev.srv6sh.dataplane.agent;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A router agent held in memory, enough to carry every kind of request and answer over the protocol
 * (the protocol's tests are about the wire, not about what a commit does to an engine).
 */
final class MemoryAgent implements RouterAgent {
    static final DataplaneConfig EMPTY = new DataplaneConfig(
            "r1",
            List.of(new DataplaneConfig.Interface("in", MacAddress.parse("02:00:00:00:00:01"), List.of(), 1500)),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            new DataplaneConfig.Encap(Addresses.parse6("2001:db8::1"), 64));

    private final Map<String, ConfigView> sessions = new ConcurrentHashMap<>();
    private final List<CommitInfo> commits = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private ConfigView running = new ConfigView(0, EMPTY);

    /** Counted down when a trace starts waiting, and when one is interrupted. */
    final CountDownLatch traceWaiting = new CountDownLatch(1);

    final CountDownLatch traceInterrupted = new CountDownLatch(1);
    final Set<String> closed = ConcurrentHashMap.newKeySet();

    @Override
    public Descriptor describe() {
        return new Descriptor(
                "r1",
                "test",
                List.of("in"),
                List.of(new Descriptor.BehaviorInfo(
                        "End.DX4",
                        List.of(),
                        "RFC 8986 4.6",
                        "decapsulate, IPv4 to a next hop",
                        "sid s End.DX4 nh 198.51.100.2",
                        List.of(new Descriptor.Param("nh", "IPv4 address", true, "the next hop")))));
    }

    @Override
    public String openSession(String user) {
        String id = user + "-" + ids.incrementAndGet();
        sessions.put(id, running);
        return id;
    }

    @Override
    public void closeSession(String session) {
        sessions.remove(session);
        closed.add(session);
    }

    @Override
    public synchronized ConfigView running() {
        return running;
    }

    private ConfigView session(String session) throws AgentException {
        ConfigView v = sessions.get(session);
        if (v == null) {
            throw new AgentException(AgentException.NO_SESSION, "no session " + session);
        }
        return v;
    }

    @Override
    public ConfigView candidate(String session) throws AgentException {
        return session(session);
    }

    @Override
    public ConfigView edit(String session, DataplaneConfig candidate) throws AgentException {
        ConfigView v = new ConfigView(session(session).generation(), candidate);
        sessions.put(session, v);
        return v;
    }

    @Override
    public synchronized List<Change> diff(String session) throws AgentException {
        ConfigView v = session(session);
        return v.config().equals(running.config())
                ? List.of()
                : List.of(new Change(
                        "encap",
                        "encap hoplimit 64",
                        "encap hoplimit " + v.config().encap().hopLimit()));
    }

    @Override
    public synchronized CommitResult commit(String session, String comment, Duration confirmWithin)
            throws AgentException {
        ConfigView v = session(session);
        if (v.generation() != running.generation()) {
            throw new AgentException(AgentException.CONFLICT, "encap was changed by commit " + running.generation());
        }
        if (v.config().equals(running.config())) {
            throw new AgentException(AgentException.NO_CHANGES, "nothing to commit");
        }
        if (v.config().encap().hopLimit() == 0) {
            throw new RuntimeException("hop limit 0 crashed the test agent");
        }
        running = new ConfigView(running.generation() + 1, v.config());
        sessions.put(session, running);
        Instant by = confirmWithin == null
                ? null
                : Instant.parse("2026-12-07T08:00:00Z").plus(confirmWithin);
        commits.addFirst(new CommitInfo(
                commits.size() + 1,
                session.substring(0, session.indexOf('-')),
                Instant.parse("2026-12-07T08:00:00Z"),
                comment,
                "~1 encap",
                running.generation(),
                by == null ? CommitInfo.COMMITTED : CommitInfo.PENDING,
                by));
        return new CommitResult(commits.size(), running.generation(), "~1 encap", by);
    }

    @Override
    public CommitResult confirm(String session) throws AgentException {
        throw new AgentException(AgentException.BAD_REQUEST, "no commit is waiting for confirmation");
    }

    @Override
    public CommitResult rollback(String session, int steps, String comment) throws AgentException {
        throw new AgentException(AgentException.BAD_REQUEST, "there are only " + commits.size() + " commits");
    }

    @Override
    public void discard(String session) throws AgentException {
        session(session);
        sessions.put(session, running());
    }

    @Override
    public synchronized List<CommitInfo> commits() {
        return List.copyOf(commits);
    }

    @Override
    public Counters counters() {
        return new Counters(
                List.of(new Counters.NodeStats("ip6-input", 1, 1, 1, 100)),
                Map.of("ip6-input: hop limit", Long.MAX_VALUE),
                List.of(new Counters.PortStats("in", 1, 2, 3, 4, 5, 6)),
                List.of(),
                Map.of(),
                0,
                Counters.NeighborStats.NONE);
    }

    @Override
    public List<FibEntry> fib() {
        return List.of(new FibEntry(0, "2001:db8::/32", "local"));
    }

    @Override
    public List<NeighborEntry> neighbors() {
        return List.of();
    }

    @Override
    public Traces trace(int count, Duration wait) throws InterruptedException {
        if (count < 0) {
            throw new IllegalStateException("a negative count reached the test agent");
        }
        traceWaiting.countDown();
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            traceInterrupted.countDown();
            throw e;
        }
        return new Traces(
                List.of(new PacketTrace(1, "in", List.of(new PacketTrace.Step("ip6-input", "hop limit 64")), false)),
                List.of());
    }

    @Override
    public String captureStart(String iface) throws AgentException {
        if (iface != null && !iface.equals("in")) {
            throw new AgentException(AgentException.BAD_REQUEST, "no interface " + iface);
        }
        return "c1";
    }

    @Override
    public byte[] captureRead(String capture, int max) {
        byte[] b = new byte[Math.min(max, 300)];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) k;
        }
        return b;
    }

    @Override
    public CaptureSummary captureStop(String capture) {
        return new CaptureSummary(capture, 3, 0);
    }
}
