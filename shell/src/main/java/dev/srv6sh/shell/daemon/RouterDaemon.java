package dev.srv6sh.shell.daemon;

import dev.srv6sh.dataplane.Clock;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.agent.AgentException;
import dev.srv6sh.dataplane.agent.CommitResult;
import dev.srv6sh.dataplane.agent.EngineAgent;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.port.linux.Fanout;
import dev.srv6sh.dataplane.port.linux.LinuxPorts;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One router as a long-lived process ({@code srv6sh router}): its engine polled by a {@link Poller},
 * its {@link EngineAgent} keeping the commit history under a state directory, and one log line per
 * event on a stream (stderr). The configuration the script gives is the first commit; once there is
 * a history, the router starts from its last running configuration instead (what was committed over
 * SSH since survives a restart, as on a router).
 *
 * <p>With several workers ({@code --workers N}) the data plane is N engines, each polled by its own
 * {@link Poller} thread with its own sockets on the same devices, the kernel keeping each flow on one
 * of them ({@link Fanout}); the agent drives them as one router. One worker is the router as it
 * always was.
 */
public final class RouterDaemon implements AutoCloseable {
    private final String name;
    private final PrintStream log;
    private final List<Engine> engines = new ArrayList<>();
    private final List<Poller> pollers = new ArrayList<>();
    private final EngineAgent agent;

    /**
     * Starts router {@code name}: {@code config} is the script's configuration, {@code stateDir} where
     * the history is kept, {@code source} how the log names the script.
     */
    public RouterDaemon(String name, DataplaneConfig config, Path stateDir, String source, PrintStream log)
            throws AgentException {
        this(name, config, stateDir, source, log, () -> {});
    }

    /** As above; {@code failed} runs when the data plane stops by itself (a defect), after the log says why. */
    public RouterDaemon(
            String name, DataplaneConfig config, Path stateDir, String source, PrintStream log, Runnable failed)
            throws AgentException {
        this(name, config, stateDir, source, log, failed, 1, List.of());
    }

    /**
     * As above, the data plane {@code workers} engines (1 to {@value Fanout#MAX_WORKERS}), each on a
     * polling thread of its own; worker {@code k} pinned to CPU {@code cpus[k % size]} when {@code cpus}
     * is not empty ({@code --cpus}).
     */
    public RouterDaemon(
            String name,
            DataplaneConfig config,
            Path stateDir,
            String source,
            PrintStream log,
            Runnable failed,
            int workers,
            List<Integer> cpus)
            throws AgentException {
        this.name = name;
        this.log = log;
        List<Fanout> fanouts = Fanout.workers(workers);
        // the built-in drivers (memory, af_packet, af_packet_v3, af_xdp, tap) and udp, which runs on Netty in a module
        // of its
        // own
        LinuxPorts ports = LinuxPorts.fromConfig(new dev.srv6sh.udp.UdpDriver());
        AtomicBoolean stopped = new AtomicBoolean();
        List<EngineAgent.Worker> all = new ArrayList<>();
        EngineAgent a;
        try {
            for (Fanout f : fanouts) {
                Engine e = new Engine(name, Clock.SYSTEM, workers == 1 ? ports : ports.worker(f));
                engines.add(e);
                Poller p = new Poller(
                        workers == 1 ? name : name + "-" + f.worker(),
                        e,
                        t -> {
                            log("the data plane" + (workers == 1 ? "" : " (worker " + f.worker() + ")") + " stopped: "
                                    + t + " (please report it); the router exits");
                            if (stopped.compareAndSet(false, true)) {
                                failed.run();
                            }
                        },
                        cpus.isEmpty() ? -1 : cpus.get(f.worker() % cpus.size()));
                pollers.add(p);
                all.add(new EngineAgent.Worker(e, p));
            }
            a = new EngineAgent(
                    name,
                    all,
                    EngineAgent.Settings.DEFAULT.withHistory(stateDir).withEvents(this::log));
        } catch (AgentException | RuntimeException e) {
            pollers.forEach(Poller::close);
            engines.forEach(Engine::close);
            throw e;
        }
        this.agent = a;
        long generation = agent.running().generation();
        if (generation == 0) {
            CommitResult r;
            try {
                r = agent.install("srv6sh", config, "from " + source);
            } catch (AgentException e) {
                close();
                throw e;
            }
            log("configured from " + source + ": "
                    + (r == null ? "nothing to commit" : "commit " + r.id() + ", " + r.summary()));
        } else {
            log("configured from its history in " + stateDir + ": generation " + generation
                    + " (the script's configuration is not applied over it; 'rollback' and 'commit' manage it)");
        }
        if (workers == 1) {
            log("data plane thread at " + pollers.getFirst().priority());
        } else {
            log(workers + " data plane threads (workers, flows spread by the kernel: PACKET_FANOUT's hash, or"
                    + " af_xdp's receive queues) at "
                    + String.join(
                            "; ",
                            new java.util.LinkedHashSet<>(
                                    pollers.stream().map(Poller::priority).toList())));
        }
        log("forwarding on "
                + String.join(
                        ", ",
                        agent.runningConfig().interfaces().stream()
                                .map(x -> x.name() + " (" + x.driver() + (x.device() != null ? " on " + x.device() : "")
                                        + ")")
                                .toList()));
        // what a port got from the kernel (af_xdp: native or generic XDP, copy or zero-copy; tap:
        // io_uring or a system call per frame) and why
        for (DataplaneConfig.Interface i : agent.runningConfig().interfaces()) {
            for (int w = 0; w < engines.size(); w++) {
                Engine e = engines.get(w);
                try {
                    if (pollers.get(w).call(() -> e.port(i.name()))
                                    instanceof dev.srv6sh.dataplane.port.linux.LinuxPort x
                            && x.describe() != null) {
                        log("interface " + i.name() + (workers == 1 ? "" : " (worker " + w + ")") + ": "
                                + x.describe());
                    }
                } catch (Exception ex) {
                    // the interface is not in force after all: nothing to say about its port
                }
            }
        }
    }

    public EngineAgent agent() {
        return agent;
    }

    public String name() {
        return name;
    }

    /**
     * One line on the log: the time (UTC, ms), the router, the event; control characters (a newline in
     * a user name or a comment a client sent) shown as {@code ?}, so that no one writes a line of it.
     */
    public void log(String event) {
        String line = event.replaceAll("\\p{Cntrl}", "?");
        synchronized (log) {
            log.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " router " + name + ": " + line);
            log.flush();
        }
    }

    /** Why the data plane stopped by itself (a worker's, the first that did), or null while it runs. */
    public Throwable failure() {
        for (Poller p : pollers) {
            if (p.failure() != null) {
                return p.failure();
            }
        }
        return null;
    }

    /** How many workers (engines, each on its own thread) the data plane runs. */
    public int workers() {
        return engines.size();
    }

    @Override
    public void close() {
        agent.close();
        pollers.forEach(Poller::close);
        engines.forEach(Engine::close);
    }
}
