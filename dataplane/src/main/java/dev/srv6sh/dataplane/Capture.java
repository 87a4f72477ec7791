package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.port.Port;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;

/**
 * A capture armed on an {@link Engine}, as VPP's {@code pcap trace rx tx drop}: the frames one
 * interface (or every interface) receives, transmits or drops go to a {@link Sink} while it runs.
 *
 * <pre>
 * port ─► Engine.poll ──(RX: the frame as received)──► sink
 *          interface-output ──(TX: the frame as sent)──► sink
 *          error-drop ──(DROP: the packet as its node left it, with the reason)──► sink
 * </pre>
 *
 * Off, it costs the engine one field read per vector in each of the three places; on, the
 * engine allocates nothing either: the sink sees each frame through one reused {@link Frame} and
 * copies what it keeps. A drop is attributed to the interface the packet arrived on.
 */
public final class Capture {
    /** Where a frame was seen. */
    public enum Direction {
        RX,
        TX,
        DROP
    }

    /** Receives captured frames, on the engine's thread. */
    @FunctionalInterface
    public interface Sink {
        /** One frame; {@code frame} and its bytes are valid only during the call. */
        void capture(Frame frame);
    }

    /** A view of one captured frame, reused from one frame to the next. */
    public static final class Frame {
        private Direction direction;
        private String iface;
        private long timeNanos;
        private String dropReason;
        private boolean ethernet;
        private MemorySegment segment;
        private long offset;
        private int length;

        public Direction direction() {
            return direction;
        }

        public String iface() {
            return iface;
        }

        /** The receive time the port was given with the frame (ns since the epoch), or 0. */
        public long timeNanos() {
            return timeNanos;
        }

        /** For a drop, {@code "node: reason"} as {@code show errors} names it; null otherwise. */
        public String dropReason() {
            return dropReason;
        }

        /**
         * True when the bytes start with an Ethernet header: always on RX and TX, and on DROP when
         * ethernet-input or interface-output dropped it; other nodes drop the IP packet alone.
         */
        public boolean ethernet() {
            return ethernet;
        }

        public MemorySegment segment() {
            return segment;
        }

        public long offset() {
            return offset;
        }

        public int length() {
            return length;
        }

        /** The bytes, copied. */
        public byte[] bytes() {
            byte[] out = new byte[length];
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, out, 0, length);
            return out;
        }
    }

    private final Engine engine;
    /** The port of the interface captured, or null for all of them. */
    private final Port port;

    private final boolean rx;
    /** Whether transmitted frames go to the sink: set at the start, and by {@link #transmitted}. */
    private volatile boolean tx;

    private final boolean drop;
    private final Sink sink;
    private final Frame frame = new Frame();
    /** By error id: "node: reason", and whether that node drops whole Ethernet frames. */
    private final String[] reasons;

    private final boolean[] l2;

    Capture(
            Engine engine,
            Port port,
            Set<Direction> directions,
            Sink sink,
            String[] errorNodes,
            String[] errorReasons) {
        this.engine = engine;
        this.port = port;
        this.rx = directions.contains(Direction.RX);
        this.tx = directions.contains(Direction.TX);
        this.drop = directions.contains(Direction.DROP);
        this.sink = sink;
        reasons = new String[errorNodes.length];
        l2 = new boolean[errorNodes.length];
        for (int i = 0; i < reasons.length; i++) {
            reasons[i] = errorNodes[i] + ": " + errorReasons[i];
            l2[i] = errorNodes[i].equals("ethernet-input") || errorNodes[i].equals("interface-output");
        }
    }

    /**
     * Turns the transmitted frames to the sink on or off, from any thread: a tap that needs them only
     * now and then (a router's tracing, while a capture runs) costs nothing per frame sent the rest
     * of the time.
     */
    public void transmitted(boolean on) {
        tx = on;
    }

    /** Stops this capture; frames already handed over stay with the sink. */
    public void stop() {
        engine.stopCapture(this);
    }

    /** The frames of a received vector, before ethernet-input looks at them. */
    static void rx(Capture[] captures, Buffers b, int[] vector, int n, Port from, String iface) {
        for (Capture c : captures) {
            if (c.rx && (c.port == null || c.port == from)) {
                for (int k = 0; k < n; k++) {
                    // a worker's learn-only copy of an ARP or ND frame: the answering worker's copy is
                    // the one on the wire, so that a capture of several workers shows each frame once
                    if ((b.flags[vector[k]] & Buffers.LEARN_ONLY) == 0) {
                        c.emit(Direction.RX, iface, b, vector[k], null, true);
                    }
                }
            }
        }
    }

    /** One frame interface-output is about to hand to {@code to}. */
    static void tx(Capture[] captures, Buffers b, int buf, Port to, String iface) {
        for (Capture c : captures) {
            if (c.tx && (c.port == null || c.port == to)) {
                c.emit(Direction.TX, iface, b, buf, null, true);
            }
        }
    }

    /** The packets of a vector error-drop is about to free, with their reasons. */
    static void drop(Capture[] captures, Engine engine, Fib fib, Buffers b, int[] vector, int n) {
        for (Capture c : captures) {
            if (!c.drop) {
                continue;
            }
            for (int k = 0; k < n; k++) {
                int buf = vector[k];
                Port from = engine.portOf(b.rxIf[buf]);
                if (from != null && (c.port == null || c.port == from)) {
                    int id = b.error[buf];
                    boolean known = id >= 0 && id < c.reasons.length;
                    c.emit(
                            Direction.DROP,
                            fib.ifNames[b.rxIf[buf]],
                            b,
                            buf,
                            known ? c.reasons[id] : "unknown reason " + id,
                            known && c.l2[id]);
                }
            }
        }
    }

    private void emit(Direction d, String iface, Buffers b, int buf, String reason, boolean ethernet) {
        Frame f = frame;
        f.direction = d;
        f.iface = iface;
        f.timeNanos = b.time[buf];
        f.dropReason = reason;
        f.ethernet = ethernet;
        f.segment = b.memory;
        f.offset = b.at(buf);
        f.length = b.length[buf];
        sink.capture(f);
    }
}
