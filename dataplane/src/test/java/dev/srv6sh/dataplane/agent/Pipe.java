package dev.srv6sh.dataplane.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * A byte pipe any thread may write to (the JDK's piped streams insist that the writing thread stays
 * alive, and the protocol's server writes each answer from the virtual thread that ran it).
 */
final class Pipe {
    private final byte[] ring = new byte[1 << 16];
    private int head;
    private int size;
    private boolean writerClosed;
    private boolean readerClosed;

    /** Ends the pipe as its writer does: the reader gets what is left, then the end of the input. */
    void closeOut() {
        synchronized (this) {
            writerClosed = true;
            notifyAll();
        }
    }

    final InputStream in = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            synchronized (Pipe.this) {
                while (size == 0) {
                    if (writerClosed) {
                        return -1;
                    }
                    if (readerClosed) {
                        throw new IOException("pipe closed");
                    }
                    try {
                        Pipe.this.wait();
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException("interrupted");
                    }
                }
                int n = Math.min(len, size);
                for (int k = 0; k < n; k++) {
                    b[off + k] = ring[(head + k) % ring.length];
                }
                head = (head + n) % ring.length;
                size -= n;
                Pipe.this.notifyAll();
                return n;
            }
        }

        @Override
        public void close() {
            synchronized (Pipe.this) {
                readerClosed = true;
                Pipe.this.notifyAll();
            }
        }
    };

    final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            synchronized (Pipe.this) {
                for (int k = 0; k < len; k++) {
                    while (size == ring.length) {
                        if (readerClosed) {
                            throw new IOException("pipe closed");
                        }
                        try {
                            Pipe.this.wait();
                        } catch (InterruptedException e) {
                            throw new InterruptedIOException("interrupted");
                        }
                    }
                    if (readerClosed || writerClosed) {
                        throw new IOException("pipe closed");
                    }
                    ring[(head + size) % ring.length] = b[off + k];
                    size++;
                    Pipe.this.notifyAll();
                }
            }
        }

        @Override
        public void close() {
            synchronized (Pipe.this) {
                writerClosed = true;
                Pipe.this.notifyAll();
            }
        }
    };
}
