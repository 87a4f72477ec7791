package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.port.Port;
import dev.srv6sh.dataplane.port.TxBurst;

/**
 * interface-output: gathers the vector's frames by interface (showing each to tx captures), then
 * hands each interface's port its frames in one {@link Port#transmit} call, and frees those the port
 * is done with; a port that keeps frames on its transmit ring frees them itself later. A large send
 * (GSO) goes whole to a port that takes it and whose device can cut it; for any other it is cut here
 * ({@link Gso}), and the port gets the segments.
 * Inputs: ip4-rewrite, ip6-rewrite, arp-input, ip6-nd, end-dx2, neighbor resolution. Outputs: port tx, error-drop.
 */
final class InterfaceOutput extends Node {
    enum Error {
        NO_PORT("interface has no port"),
        LARGE_SEND_HEADERS("large send (GSO) with headers it cannot be cut behind"),
        LARGE_SEND_DATAGRAMS_TOO_BIG("large send (GSO) of UDP datagrams too large for a buffer each"),
        LARGE_SEND_NO_BUFFER("no buffer for a segment of a large send (GSO)");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private final Gso gso = new Gso();
    /** Large sends cut here, the segments they made, and the packets cutting added (n − 1 a send). */
    private long largeSendsCut;

    private long segmentsMade;
    private long segmentsAdded;

    InterfaceOutput(Engine e) {
        super(e, "interface-output", Error.values());
    }

    long largeSendsCut() {
        return largeSendsCut;
    }

    long segmentsMade() {
        return segmentsMade;
    }

    long segmentsAdded() {
        return segmentsAdded;
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        Capture[] c = engine.captures();
        Port[] ports = engine.portsByIf();
        TxBurst[] tx = engine.txBursts();
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            int i = b.txIf[buf];
            if (i < 0 || i >= ports.length) {
                next[k] = drop(b, buf, Error.NO_PORT);
                continue;
            }
            next[k] = -1;
            if (b.gsoSize[buf] != 0) {
                long frame = b.at(buf);
                int len = b.length[buf];
                int payload = b.gsoPayload[buf] - b.offset[buf];
                if (!gso.walk(b.memory, frame, len, payload)) {
                    next[k] = drop(b, buf, Error.LARGE_SEND_HEADERS);
                    continue;
                }
                if (!ports[i].takesLargeSends() || !gso.plain(b.gsoType[buf])) {
                    if (!cut(b, buf, frame, len, payload, ports[i], tx[i], c, fib.ifNames[i])) {
                        next[k] = drop(b, buf, Error.LARGE_SEND_DATAGRAMS_TOO_BIG);
                    } else {
                        b.release(buf);
                    }
                    continue;
                }
            }
            add(b, buf, ports[i], tx[i], c, fib.ifNames[i]);
        }
        for (int i = 0; i < tx.length; i++) {
            if (tx[i].count() > 0) {
                send(b, ports[i], tx[i]);
            }
        }
    }

    /**
     * Cuts the large send in {@code buf} (walked) into segments in small buffers, each added to the
     * port's burst (sent first when full) as a frame of its own; false when it cannot be cut (the
     * caller drops it). The large buffer stays the caller's.
     */
    private boolean cut(
            Buffers b, int buf, long frame, int len, int payload, Port port, TxBurst tx, Capture[] c, String ifName) {
        int size = gso.size(b.gsoSize[buf], payload);
        if (size == 0) {
            return false;
        }
        int count = Gso.count(len, payload, size);
        int bytes = len - payload;
        segmentsAdded += count - 1;
        for (int s = 0; s < count; s++) {
            int seg = b.allocate();
            if (seg < 0) {
                engine.countError(errors[Error.LARGE_SEND_NO_BUFFER.ordinal()], count - s);
                break;
            }
            int offset = s * size;
            int part = Math.min(size, bytes - offset);
            gso.segment(b.memory, frame, len, payload, s, offset, part, s == count - 1, b.at(seg));
            b.length[seg] = payload + part;
            b.txIf[seg] = b.txIf[buf];
            b.time[seg] = b.time[buf];
            add(b, seg, port, tx, c, ifName);
            segmentsMade++;
        }
        largeSendsCut++;
        return true;
    }

    /** Shows {@code buf} to tx captures and adds it to its port's burst, sent first if it is full. */
    private static void add(Buffers b, int buf, Port port, TxBurst tx, Capture[] c, String ifName) {
        if (c != null) {
            Capture.tx(c, b, buf, port, ifName);
        }
        if (tx.count() == TxBurst.MAX) {
            send(b, port, tx);
        }
        tx.add(buf);
    }

    /** One call per port and vector; the frames it is done with go back to the pool. */
    private static void send(Buffers b, Port port, TxBurst tx) {
        int n = tx.count();
        int done = port.transmit(tx);
        if (done < 0 || done > n) {
            tx.clear();
            throw misfit(port, done, n);
        }
        for (int k = 0; k < done; k++) {
            b.release(tx.buffer(k));
        }
        tx.clear();
    }

    /** Out of line: the hot path stays small enough to inline. */
    private static IllegalStateException misfit(Port port, int done, int n) {
        return new IllegalStateException(
                "port " + port.device() + " says it is done with " + done + " of the " + n + " frames it was given");
    }
}
