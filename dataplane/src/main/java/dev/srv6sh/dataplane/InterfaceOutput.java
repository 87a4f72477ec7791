package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.port.Port;
import dev.srv6sh.dataplane.port.TxBurst;

/**
 * interface-output: gathers the vector's frames by interface (showing each to tx captures), then
 * hands each interface's port its frames in one {@link Port#transmit} call, and frees those the port
 * is done with; a port that keeps frames on its transmit ring frees them itself later.
 * Inputs: ip4-rewrite, ip6-rewrite, arp-input, ip6-nd, end-dx2, neighbor resolution. Outputs: port tx, error-drop.
 */
final class InterfaceOutput extends Node {
    enum Error {
        NO_PORT("interface has no port");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    InterfaceOutput(Engine e) {
        super(e, "interface-output", Error.values());
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
            if (c != null) {
                Capture.tx(c, b, buf, ports[i], fib.ifNames[i]);
            }
            tx[i].add(buf);
            next[k] = -1;
        }
        for (int i = 0; i < tx.length; i++) {
            if (tx[i].count() > 0) {
                send(b, ports[i], tx[i]);
            }
        }
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
