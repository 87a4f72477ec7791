package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.RouterHandle;
import dev.srv6sh.dataplane.pcap.PcapException;
import dev.srv6sh.dataplane.pcap.PcapWriter;
import java.util.ArrayDeque;

/**
 * A capture of a local router's frames to a pcap file, in virtual time, as a tap on the wires of its
 * ENIs would record them: a received frame when it arrives (whether or not the router has room for
 * it), a transmitted one when the run that sent it ended and it left. The router hands both over
 * outside its measured runs ({@link LocalRouter}), so a capture costs the router nothing and does not
 * change what it measures. Timestamps are virtual time from the deployment's epoch.
 *
 * <p>Records are written in time order, as a tap sees them. A run's frames are stamped with its end,
 * and a frame may arrive before that end (the router is busy): transmitted frames wait here until
 * the clock has passed their time, and a frame arriving meanwhile is written before them. Held and
 * written on the event loop.
 */
final class PcapCapture implements RouterHandle.Capturing {
    private record Waiting(long nanos, byte[] frame) {}

    private final String router;
    /** The interface captured, or null for all of them. */
    private final String iface;

    private final PcapWriter writer;
    private final EventLoop loop;
    /** Transmitted frames stamped later than what the clock has reached, oldest first. */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

    private PcapException failure;
    private Runnable onStop = () -> {};

    PcapCapture(String router, String iface, PcapWriter writer, EventLoop loop) {
        this.router = router;
        this.iface = iface;
        this.writer = writer;
        this.loop = loop;
    }

    /** What stopping must undo besides: the router's hand-over to this capture (run on the loop). */
    void armed(Runnable onStop) {
        this.onStop = onStop;
    }

    /** A frame that arrived on {@code rxIface} at {@code nanos} (since the epoch; now). On the loop. */
    void received(String rxIface, byte[] frame, long nanos) {
        if (iface == null || iface.equals(rxIface)) {
            writeUpTo(nanos);
            write(nanos, frame);
        }
    }

    /**
     * A frame sent on {@code txIface}, on the wire at {@code nanos} (the end of the run that sent it),
     * handed over at {@code now} (both since the epoch): kept, copied, until the clock passes it. On
     * the loop.
     */
    void transmitted(String txIface, byte[] frame, long nanos, long now) {
        if (iface == null || iface.equals(txIface)) {
            writeUpTo(now); // what was sent before now: nothing can arrive before it any more
            waiting.add(new Waiting(nanos, frame.clone()));
        }
    }

    private void writeUpTo(long nanos) {
        while (!waiting.isEmpty() && waiting.peekFirst().nanos() <= nanos) {
            Waiting w = waiting.pollFirst();
            write(w.nanos(), w.frame());
        }
    }

    private void write(long nanos, byte[] frame) {
        if (failure == null) {
            try {
                writer.write(nanos, frame);
            } catch (PcapException e) {
                failure = e;
            }
        }
    }

    /** The transmitted frames not written yet (tests). */
    int waiting() {
        return waiting.size();
    }

    /**
     * Stops the capture, writes what it still holds, and closes the file. Also from an interrupted
     * thread (Ctrl-C): it waits for the world without giving up, so that the router stops handing
     * frames over, whatever happens.
     */
    @Override
    public int stop() throws ProviderException {
        try {
            loop.held(() -> {
                onStop.run();
                writeUpTo(Long.MAX_VALUE);
            });
        } finally {
            closeQuietly();
        }
        if (failure != null) {
            throw new ProviderException("capture on " + router + ": " + failure.getMessage(), failure);
        }
        return writer.records();
    }

    void closeQuietly() {
        try {
            writer.close();
        } catch (PcapException e) {
            // what was written stays; the capture's own error, if any, is reported by stop
        }
    }
}
