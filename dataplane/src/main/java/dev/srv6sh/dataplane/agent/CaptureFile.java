package dev.srv6sh.dataplane.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A capture written to a pcap file, over any {@link RouterAgent}: started with {@link
 * RouterAgent#captureStart}, its stream drained into the file by a thread of its own while it runs (a
 * capture's buffer is bounded: a reader that falls behind loses frames), and finished by {@link
 * #stop}, which writes the rest and closes the file. What {@code capture ... to "F.pcap"} does.
 */
public final class CaptureFile {
    /** How often the drain looks for frames while the capture runs. */
    private static final long DRAIN_MILLIS = 10;

    private final RouterAgent agent;
    private final String id;
    private final Path file;
    private final OutputStream out;
    private final Thread drain;
    private volatile boolean stopping;
    private IOException failure;

    private CaptureFile(RouterAgent agent, String id, Path file, OutputStream out) {
        this.agent = agent;
        this.id = id;
        this.file = file;
        this.out = out;
        this.drain = Thread.ofVirtual().name("capture " + id).start(this::drainWhileRunning);
    }

    /** Starts capturing {@code iface} (null: every interface) of the agent's router into {@code file}. */
    public static CaptureFile start(RouterAgent agent, String iface, Path file) throws AgentException {
        OutputStream out;
        try {
            out = Files.newOutputStream(file);
        } catch (IOException e) {
            throw new AgentException(AgentException.BAD_REQUEST, "cannot write " + file + ": " + e.getMessage(), e);
        }
        try {
            return new CaptureFile(agent, agent.captureStart(iface), file, out);
        } catch (AgentException | RuntimeException e) {
            try {
                out.close();
                Files.deleteIfExists(file);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    /** The capture's id on the router. */
    public String id() {
        return id;
    }

    private void drainWhileRunning() {
        try {
            while (!stopping) {
                drainAll();
                Thread.sleep(DRAIN_MILLIS);
            }
        } catch (InterruptedException e) {
            // stop drains the rest itself
        } catch (AgentException e) {
            // the router went away; stop reports it
        }
    }

    /** Reads until nothing waits; returns whether anything came. */
    private synchronized void drainAll() throws AgentException {
        while (true) {
            byte[] b = agent.captureRead(id, 1 << 20);
            if (b.length == 0) {
                return;
            }
            if (failure == null) {
                try {
                    out.write(b);
                } catch (IOException e) {
                    failure = e;
                }
            }
        }
    }

    /**
     * Stops the capture, writes what it still holds and closes the file; returns what it captured and
     * lost. Also on an interrupted thread (Ctrl-C): the capture is stopped and the file complete
     * whatever happens, and the thread stays interrupted.
     */
    public CaptureSummary stop() throws AgentException {
        stopping = true;
        boolean interrupted = Thread.interrupted();
        try {
            drain.join();
        } catch (InterruptedException e) {
            interrupted = true;
        }
        try {
            CaptureSummary s = agent.captureStop(id);
            drainAll();
            if (failure != null) {
                throw new AgentException(
                        AgentException.INTERNAL,
                        "capture to " + file + ": cannot write it: " + failure.getMessage(),
                        failure);
            }
            return s;
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
