package dev.srv6sh.shell.router;

import dev.srv6sh.dataplane.agent.AgentException;
import dev.srv6sh.dataplane.agent.CaptureSummary;
import dev.srv6sh.dataplane.agent.Change;
import dev.srv6sh.dataplane.agent.CommitInfo;
import dev.srv6sh.dataplane.agent.CommitResult;
import dev.srv6sh.dataplane.agent.ConfigView;
import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.agent.Descriptor;
import dev.srv6sh.dataplane.agent.FibEntry;
import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.agent.RouterAgent;
import dev.srv6sh.dataplane.agent.Traces;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** A router agent that answers what the SSH tests ask (the transport is under test, not the agent). */
final class TestAgent implements RouterAgent {
    final CountDownLatch traceWaiting = new CountDownLatch(1);

    private static AgentException no() {
        return new AgentException(AgentException.BAD_REQUEST, "not in this test");
    }

    @Override
    public Descriptor describe() {
        return new Descriptor("r1", "test", List.of("in"), List.of());
    }

    @Override
    public String openSession(String user) {
        return user;
    }

    @Override
    public void closeSession(String session) {}

    @Override
    public ConfigView running() {
        return new ConfigView(
                0, new DataplaneConfig("r1", List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null));
    }

    @Override
    public ConfigView candidate(String session) throws AgentException {
        throw no();
    }

    @Override
    public ConfigView edit(String session, DataplaneConfig candidate) throws AgentException {
        throw no();
    }

    @Override
    public List<Change> diff(String session) throws AgentException {
        throw no();
    }

    @Override
    public CommitResult commit(String session, String comment, Duration confirmWithin) throws AgentException {
        throw no();
    }

    @Override
    public CommitResult confirm(String session) throws AgentException {
        throw no();
    }

    @Override
    public CommitResult rollback(String session, int steps, String comment) throws AgentException {
        throw no();
    }

    @Override
    public void discard(String session) throws AgentException {
        throw no();
    }

    @Override
    public List<CommitInfo> commits() {
        return List.of();
    }

    @Override
    public Counters counters() throws AgentException {
        throw no();
    }

    @Override
    public List<FibEntry> fib() {
        return List.of(new FibEntry(0, "2001:db8::/32", "via 2001:db8::2 out"));
    }

    @Override
    public List<NeighborEntry> neighbors() {
        return List.of();
    }

    @Override
    public Traces trace(int count, Duration wait) throws AgentException, InterruptedException {
        if (count < 1) {
            throw new AgentException(AgentException.BAD_REQUEST, "trace needs a count of 1 or more");
        }
        traceWaiting.countDown();
        Thread.sleep(wait);
        return new Traces(List.of(), List.of());
    }

    @Override
    public String captureStart(String iface) throws AgentException {
        throw no();
    }

    @Override
    public byte[] captureRead(String capture, int max) throws AgentException {
        throw no();
    }

    @Override
    public CaptureSummary captureStop(String capture) throws AgentException {
        throw no();
    }
}
