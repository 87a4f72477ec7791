package dev.srv6sh.shell.daemon;

import dev.srv6sh.dataplane.Clock;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.agent.AgentException;
import dev.srv6sh.dataplane.agent.CommitResult;
import dev.srv6sh.dataplane.agent.EngineAgent;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One router as a long-lived process ({@code srv6sh router}): its engine polled by a {@link Poller},
 * its {@link EngineAgent} keeping the commit history under a state directory, and one log line per
 * event on a stream (stderr). The configuration the script gives is the first commit; once there is
 * a history, the router starts from its last running configuration instead (what was committed over
 * SSH since survives a restart, as on a router).
 */
public final class RouterDaemon implements AutoCloseable {
    private final String name;
    private final PrintStream log;
    private final Engine engine;
    private final Poller poller;
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
        this.name = name;
        this.log = log;
        // the built-in drivers (memory, af_packet, af_packet_v3, af_xdp, tap) and udp, which runs on Netty in a module
        // of its
        // own
        this.engine = new Engine(
                name,
                Clock.SYSTEM,
                dev.srv6sh.dataplane.port.linux.LinuxPorts.fromConfig(new dev.srv6sh.udp.UdpDriver()));
        this.poller = new Poller(name, engine, t -> {
            log("the data plane stopped: " + t + " (please report it); the router exits");
            failed.run();
        });
        EngineAgent a;
        try {
            a = new EngineAgent(
                    name,
                    engine,
                    poller,
                    EngineAgent.Settings.DEFAULT.withHistory(stateDir).withEvents(this::log));
        } catch (AgentException | RuntimeException e) {
            poller.close();
            engine.close();
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
        log("data plane thread at " + poller.priority());
        log("forwarding on "
                + String.join(
                        ", ",
                        agent.runningConfig().interfaces().stream()
                                .map(x -> x.name() + " (" + x.driver() + (x.device() != null ? " on " + x.device() : "")
                                        + ")")
                                .toList()));
        // what an af_xdp port got from the kernel (native or generic XDP, copy or zero-copy) and why
        for (DataplaneConfig.Interface i : agent.runningConfig().interfaces()) {
            try {
                if (poller.call(() -> engine.port(i.name())) instanceof dev.srv6sh.dataplane.port.linux.AfXdpPort x) {
                    log("interface " + i.name() + ": " + x.describe());
                }
            } catch (Exception e) {
                // the interface is not in force after all: nothing to say about its port
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

    /** Why the data plane stopped by itself, or null while it runs. */
    public Throwable failure() {
        return poller.failure();
    }

    @Override
    public void close() {
        agent.close();
        poller.close();
        engine.close();
    }
}
