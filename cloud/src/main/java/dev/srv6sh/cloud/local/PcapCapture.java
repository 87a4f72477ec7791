package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.RouterHandle;
import dev.srv6sh.dataplane.Capture;
import dev.srv6sh.dataplane.pcap.PcapException;
import dev.srv6sh.dataplane.pcap.PcapWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A capture of a local router's frames to a pcap file, in virtual time. During a run the engine's
 * sink only copies what it sees ({@link #hold}); the file is written after the run ({@link
 * #write}), so the file's I/O is not charged to the router as processing. Timestamps are virtual
 * time from the deployment's epoch: a received frame at its arrival, a transmitted one when the run
 * that sent it ended. Held and written on the event loop.
 */
final class PcapCapture implements RouterHandle.Capturing {
    private record Held(boolean transmitted, long receivedNanos, byte[] frame) {}

    private final String router;
    private final PcapWriter writer;
    private final EventLoop loop;
    private final List<Held> held = new ArrayList<>();
    private Capture armed;
    private PcapException failure;
    private Runnable onStop = () -> {};

    PcapCapture(String router, PcapWriter writer, EventLoop loop) {
        this.router = router;
        this.writer = writer;
        this.loop = loop;
    }

    /** Arms the engine's capture, and what stopping must undo besides (on the loop). */
    void armed(Capture capture, Runnable onStop) {
        this.armed = capture;
        this.onStop = onStop;
    }

    /** The engine's sink: a copy of the frame, for {@link #write} after the run. */
    void hold(Capture.Frame f) {
        byte[] copy = new byte[f.length()];
        MemorySegment.copy(f.segment(), ValueLayout.JAVA_BYTE, f.offset(), copy, 0, f.length());
        held.add(new Held(f.direction() == Capture.Direction.TX, f.timeNanos(), copy));
    }

    /** Writes what the run held; {@code sentNanos} is when it ended (ns since the epoch). */
    void write(long sentNanos) {
        for (Held h : held) {
            if (failure == null) {
                try {
                    writer.write(h.transmitted() ? sentNanos : h.receivedNanos(), h.frame());
                } catch (PcapException e) {
                    failure = e;
                }
            }
        }
        held.clear();
    }

    @Override
    public int stop() throws ProviderException {
        try {
            loop.call(() -> {
                armed.stop();
                onStop.run();
                return null;
            });
        } catch (Exception e) {
            throw new ProviderException("capture on " + router + ": " + e.getMessage(), e);
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
