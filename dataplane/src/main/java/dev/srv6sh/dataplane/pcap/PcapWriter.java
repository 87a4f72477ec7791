package dev.srv6sh.dataplane.pcap;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a classic libpcap file (version 2.4) in the byte order and timestamp resolution asked
 * for; frames longer than the snap length are cut to it and keep their original length, as tcpdump
 * does.
 */
public final class PcapWriter implements AutoCloseable {
    public static final int DEFAULT_SNAPLEN = PcapReader.MAX_CAPTURED;

    private final String file;
    private final OutputStream out;
    private final boolean nanos;
    private final int snaplen;
    private final ByteBuffer header;
    private byte[] scratch = new byte[2048];
    private int records;

    private PcapWriter(String file, OutputStream out, LinkType type, ByteOrder order, boolean nanos, int snaplen)
            throws IOException {
        this.file = file;
        this.out = out;
        this.nanos = nanos;
        this.snaplen = snaplen;
        ByteBuffer h = ByteBuffer.allocate(PcapReader.FILE_HEADER).order(order);
        h.putInt(nanos ? PcapReader.MAGIC_NANOS : PcapReader.MAGIC_MICROS);
        h.putShort((short) 2).putShort((short) 4);
        h.putInt(0).putInt(0); // thiszone (UTC), sigfigs
        h.putInt(snaplen).putInt(type.code());
        out.write(h.array());
        header = ByteBuffer.allocate(PcapReader.RECORD_HEADER).order(order);
    }

    /** A microsecond file in this machine's byte order with the largest snap length. */
    public static PcapWriter create(Path path, LinkType type) throws PcapException {
        return create(path, type, ByteOrder.nativeOrder(), false, DEFAULT_SNAPLEN);
    }

    /** Creates (or replaces) {@code path} and writes the file header. */
    public static PcapWriter create(Path path, LinkType type, ByteOrder order, boolean nanosecond, int snaplen)
            throws PcapException {
        if (snaplen <= 0 || snaplen > PcapReader.MAX_CAPTURED) {
            throw new PcapException(path + ": snap length " + snaplen + " is not in 1.." + PcapReader.MAX_CAPTURED);
        }
        OutputStream os = null;
        try {
            os = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
            return new PcapWriter(path.toString(), os, type, order, nanosecond, snaplen);
        } catch (IOException e) {
            if (os != null) {
                try {
                    os.close();
                } catch (IOException ignored) {
                    // the open already failed; its message is the one to report
                }
            }
            throw new PcapException(path + ": cannot write it (" + e.getMessage() + ")", e);
        }
    }

    /** Appends one frame captured at {@code timeNanos} (ns since the epoch). */
    public void write(long timeNanos, byte[] data, int offset, int length) throws PcapException {
        if (timeNanos < 0 || timeNanos / 1_000_000_000L > 0xffff_ffffL) {
            throw new PcapException(file + ": record " + (records + 1) + ": time " + timeNanos
                    + " ns is outside what a pcap file holds (1970 to 2106)");
        }
        int captured = Math.min(length, snaplen);
        long seconds = timeNanos / 1_000_000_000L;
        long fraction = timeNanos % 1_000_000_000L;
        header.clear();
        header.putInt((int) seconds);
        header.putInt((int) (nanos ? fraction : fraction / 1000));
        header.putInt(captured);
        header.putInt(length);
        try {
            out.write(header.array());
            out.write(data, offset, captured);
        } catch (IOException e) {
            throw new PcapException(
                    file + ": record " + (records + 1) + ": cannot write it (" + e.getMessage() + ")", e);
        }
        records++;
    }

    public void write(long timeNanos, byte[] data) throws PcapException {
        write(timeNanos, data, 0, data.length);
    }

    /** Appends a frame held in off-heap memory (a captured engine buffer). */
    public void write(long timeNanos, MemorySegment segment, long offset, int length) throws PcapException {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, scratch, 0, length);
        write(timeNanos, scratch, 0, length);
    }

    /** Records written so far. */
    public int records() {
        return records;
    }

    @Override
    public void close() throws PcapException {
        try {
            out.close();
        } catch (IOException e) {
            throw new PcapException(file + ": cannot finish writing it (" + e.getMessage() + ")", e);
        }
    }
}
