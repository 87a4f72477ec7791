package dev.srv6sh.dataplane;

/**
 * interface-output: hands each frame to its interface's port (and to tx captures), counts it, frees
 * the buffer (or leaves that to the port's transmit ring, {@link MemoryPort#holdTransmitted}).
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
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            MemoryPort port = engine.portOf(b.txIf[buf]);
            if (port == null) {
                next[k] = drop(b, buf, Error.NO_PORT);
                continue;
            }
            if (c != null) {
                Capture.tx(c, b, buf, port);
            }
            if (port.transmit(b, buf)) {
                b.release(buf);
            } // else the port holds it on its transmit ring until drained
            next[k] = -1;
        }
    }
}
