package dev.srv6sh.dataplane.agent;

import dev.srv6sh.dataplane.Clock;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import dev.srv6sh.dataplane.port.PortFactory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link AgentConformance} fixture of an {@link EngineAgent} over a real {@link Engine} on
 * in-memory ports, driven directly ({@link EngineHost#direct}); with a directory, its history is kept
 * there and {@link #restart} makes a new engine and agent over it. A transport's fixture wraps one:
 * the router runs here, and {@link #agent} is replaced by the transport's client of {@link #engineAgent}.
 * With several workers, the router is that many engines, each driven directly, and frames sent go to
 * one after the other.
 */
public class EngineFixture implements AgentConformance.Fixture {
    private final Path dir;
    private final ManualTime time = new ManualTime();
    private final Map<String, List<byte[]>> sent = new HashMap<>();
    private final int count;
    private final List<EngineAgent.Worker> workers = new ArrayList<>();
    private int next;
    private EngineAgent agent;

    /** A fixture keeping its history in {@code dir}, or in memory only when null. */
    public EngineFixture(Path dir) throws AgentException {
        this(dir, 1);
    }

    /** As {@link #EngineFixture(Path)}, the router's data plane {@code workers} engines. */
    public EngineFixture(Path dir, int workers) throws AgentException {
        this.dir = dir;
        this.count = workers;
        start();
    }

    private void start() throws AgentException {
        PortFactory ports = (iface, pool) -> {
            MemoryPort p = (MemoryPort) MemoryPort.FACTORY.open(iface, pool);
            p.onTransmit(this::transmitted);
            return p;
        };
        workers.clear();
        for (int w = 0; w < count; w++) {
            workers.add(new EngineAgent.Worker(new Engine("r1", Clock.SYSTEM, ports), EngineHost.direct()));
        }
        agent = new EngineAgent(
                "r1", workers, EngineAgent.Settings.DEFAULT.withTimer(time).withHistory(dir));
    }

    private void transmitted(String iface, MemorySegment segment, long offset, int length) {
        byte[] f = new byte[length];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, f, 0, length);
        synchronized (sent) {
            sent.computeIfAbsent(iface, k -> new ArrayList<>()).add(f);
        }
    }

    /** The in-process agent (what a transport's server serves). */
    public EngineAgent engineAgent() {
        return agent;
    }

    @Override
    public RouterAgent agent() {
        return agent;
    }

    @Override
    public ManualTime time() {
        return time;
    }

    @Override
    public void send(String iface, byte[] frame) throws Exception {
        EngineAgent.Worker w = workers.get(next++ % workers.size());
        Engine engine = w.engine();
        w.host().call(() -> {
            engine.port(iface, MemoryPort.class).inject(frame);
            engine.poll();
            return null;
        });
    }

    @Override
    public List<byte[]> sent(String iface) {
        synchronized (sent) {
            List<byte[]> out = sent.remove(iface);
            return out == null ? List.of() : out;
        }
    }

    @Override
    public boolean restart() throws Exception {
        if (dir == null) {
            return false;
        }
        stop();
        start();
        return true;
    }

    private void stop() throws Exception {
        agent.close();
        for (EngineAgent.Worker w : workers) {
            w.host().call(() -> {
                w.engine().close();
                return null;
            });
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
