package dev.srv6sh.dataplane;

/** error-drop: counts each packet under the reason its node gave (showing it to drop captures), and frees the buffer. */
final class ErrorDrop extends Node {
    enum Error {}

    ErrorDrop(Engine e) {
        super(e, "error-drop", Error.values());
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        Capture[] c = engine.captures();
        if (c != null) {
            Capture.drop(c, engine, fib, b, vector, n);
        }
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            engine.countError(b.error[buf]);
            b.release(buf);
            next[k] = -1;
        }
    }
}
