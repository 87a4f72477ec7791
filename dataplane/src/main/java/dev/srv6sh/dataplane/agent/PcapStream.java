package dev.srv6sh.dataplane.agent;

import dev.srv6sh.dataplane.pcap.LinkType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;

/**
 * One capture's pcap stream (Ethernet, nanosecond timestamps, this machine's byte order) in a bounded
 * buffer its reader drains with {@link #read}. A frame that does not fit whole is dropped and counted,
 * never half written, so that a reader that falls behind loses frames, not the stream's framing; the
 * router never waits for it.
 *
 * <p>Records are written in the order of their stamps, as a tap on the wire sees them: a transmitted
 * frame stamped later than the moment it is handed over (the local backend's router is busy until
 * then) waits until a later frame or the host's clock has passed its stamp. Frames come in on the
 * engine's thread, reads on the caller's: every method holds the stream's lock.
 */
final class PcapStream {
    static final int MAGIC_NANOS = 0xa1b23c4d;
    static final int FILE_HEADER = 24;
    static final int RECORD_HEADER = 16;
    static final int SNAPLEN = dev.srv6sh.dataplane.pcap.PcapWriter.DEFAULT_SNAPLEN;

    private record Waiting(long stamp, byte[] frame) {}

    private final String id;
    private final String iface;
    private final int capacity;
    /** Grown up to {@link #capacity} as frames wait: a capture nobody reads fast costs what it holds. */
    private byte[] ring;

    private final ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER).order(ByteOrder.nativeOrder());
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int head;
    private int size;
    private long frames;
    private long dropped;
    private boolean stopped;

    PcapStream(String id, String iface, int capacity) {
        this.id = id;
        this.iface = iface;
        this.capacity = Math.max(capacity, FILE_HEADER + RECORD_HEADER + 2048);
        this.ring = new byte[Math.min(this.capacity, 1 << 16)];
        ByteBuffer h = ByteBuffer.allocate(FILE_HEADER).order(ByteOrder.nativeOrder());
        h.putInt(MAGIC_NANOS).putShort((short) 2).putShort((short) 4);
        h.putInt(0).putInt(0); // thiszone (UTC), sigfigs
        h.putInt(SNAPLEN).putInt(LinkType.ETHERNET.code());
        put(h.array(), 0, FILE_HEADER);
    }

    String id() {
        return id;
    }

    /** Whether it takes frames of {@code name}. */
    boolean covers(String name) {
        return iface == null || iface.equals(name);
    }

    synchronized void received(long stamp, byte[] frame, int offset, int length) {
        if (!stopped) {
            writeUpTo(stamp);
            write(stamp, frame, offset, length);
        }
    }

    synchronized void transmitted(long stamp, long now, byte[] frame, int offset, int length) {
        if (stopped) {
            return;
        }
        writeUpTo(now); // what left before now: nothing can arrive before it any more
        if (stamp <= now && waiting.isEmpty()) {
            write(stamp, frame, offset, length);
        } else {
            byte[] copy = new byte[length];
            System.arraycopy(frame, offset, copy, 0, length);
            waiting.add(new Waiting(stamp, copy));
        }
    }

    /** Writes what waits with a stamp up to {@code now}: the host's clock has passed it. */
    synchronized void passed(long now) {
        writeUpTo(now);
    }

    private void writeUpTo(long stamp) {
        while (!waiting.isEmpty() && waiting.peekFirst().stamp() <= stamp) {
            Waiting w = waiting.pollFirst();
            write(w.stamp(), w.frame(), 0, w.frame().length);
        }
    }

    private void write(long stamp, byte[] frame, int offset, int length) {
        int captured = Math.min(length, SNAPLEN);
        int need = RECORD_HEADER + captured;
        if (ring.length - size < need && ring.length < capacity) {
            grow((int) Math.min(capacity, Math.max(2L * ring.length, (long) size + need)));
        }
        if (ring.length - size < need || stamp < 0) {
            dropped++;
            return;
        }
        header.clear();
        header.putInt((int) (stamp / 1_000_000_000L));
        header.putInt((int) (stamp % 1_000_000_000L));
        header.putInt(captured);
        header.putInt(length);
        put(header.array(), 0, RECORD_HEADER);
        put(frame, offset, captured);
        frames++;
    }

    private void grow(int to) {
        byte[] bigger = new byte[to];
        int first = Math.min(size, ring.length - head);
        System.arraycopy(ring, head, bigger, 0, first);
        System.arraycopy(ring, 0, bigger, first, size - first);
        ring = bigger;
        head = 0;
    }

    private void put(byte[] b, int off, int len) {
        int tail = (head + size) % ring.length;
        int first = Math.min(len, ring.length - tail);
        System.arraycopy(b, off, ring, tail, first);
        System.arraycopy(b, off + first, ring, 0, len - first);
        size += len;
    }

    /** Up to {@code max} bytes of the stream, empty when none wait. */
    synchronized byte[] read(int max) {
        int n = Math.min(max, size);
        byte[] out = new byte[n];
        int first = Math.min(n, ring.length - head);
        System.arraycopy(ring, head, out, 0, first);
        System.arraycopy(ring, 0, out, first, n - first);
        head = (head + n) % ring.length;
        size -= n;
        return out;
    }

    /** Stops taking frames; what waited is written (or counted dropped, when there is no room). */
    synchronized CaptureSummary stop() {
        if (!stopped) {
            writeUpTo(Long.MAX_VALUE);
            stopped = true;
        }
        return summary();
    }

    synchronized CaptureSummary summary() {
        return new CaptureSummary(id, frames, dropped);
    }

    synchronized boolean stopped() {
        return stopped;
    }

    /** Stopped and read to the end: nothing more will come of it. */
    synchronized boolean finished() {
        return stopped && size == 0;
    }
}
