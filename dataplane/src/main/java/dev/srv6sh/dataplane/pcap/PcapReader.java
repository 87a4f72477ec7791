package dev.srv6sh.dataplane.pcap;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a classic libpcap file record by record: the 24-byte file header (magic, version, snap
 * length, link type), then 16-byte record headers each followed by the captured bytes. The magic
 * says the byte order and whether timestamps are in microseconds ({@code a1b2c3d4}) or nanoseconds
 * ({@code a1b23c4d}). Anything damaged is a {@link PcapException} naming the file and record number.
 */
public final class PcapReader implements AutoCloseable {
    static final int MAGIC_MICROS = 0xa1b2c3d4;
    static final int MAGIC_NANOS = 0xa1b23c4d;
    static final int MAGIC_PCAPNG = 0x0a0d0d0a;
    static final int FILE_HEADER = 24;
    static final int RECORD_HEADER = 16;
    /** libpcap's largest snap length: a captured length above it is corruption, not a packet. */
    static final int MAX_CAPTURED = 262_144;

    private final String file;
    private final InputStream in;
    private final ByteOrder order;
    private final boolean nanos;
    private final int snaplen;
    private final LinkType linkType;
    private final ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
    private int records;

    private PcapReader(String file, InputStream in) throws IOException {
        this.file = file;
        this.in = in;
        byte[] h = in.readNBytes(FILE_HEADER);
        if (h.length == 0) {
            throw new PcapException(file + ": empty file, not a pcap");
        }
        if (h.length >= 4 && ByteBuffer.wrap(h).getInt() == MAGIC_PCAPNG) {
            throw new PcapException(
                    file + ": pcapng is not supported; convert with editcap -F pcap " + file + " OUT.pcap");
        }
        if (h.length < FILE_HEADER) {
            throw new PcapException(file + ": truncated file header (" + h.length + " of 24 bytes)");
        }
        ByteBuffer bb = ByteBuffer.wrap(h).order(ByteOrder.BIG_ENDIAN);
        int magic = bb.getInt(0);
        if (magic == MAGIC_MICROS || magic == MAGIC_NANOS) {
            order = ByteOrder.BIG_ENDIAN;
        } else if (Integer.reverseBytes(magic) == MAGIC_MICROS || Integer.reverseBytes(magic) == MAGIC_NANOS) {
            order = ByteOrder.LITTLE_ENDIAN;
            magic = Integer.reverseBytes(magic);
        } else {
            throw new PcapException(String.format("%s: not a pcap file (magic 0x%08x)", file, magic));
        }
        nanos = magic == MAGIC_NANOS;
        bb.order(order);
        int major = bb.getShort(4) & 0xffff;
        int minor = bb.getShort(6) & 0xffff;
        if (major != 2) {
            throw new PcapException(file + ": pcap version " + major + "." + minor + " is not supported (2.4 is)");
        }
        snaplen = bb.getInt(16);
        int network = bb.getInt(20);
        if ((network & 0x0400_0000) != 0) {
            throw new PcapException(file + ": its frames carry a frame check sequence, which srv6sh does not read");
        }
        linkType = LinkType.of(network & 0xffff);
        if (linkType == null) {
            throw new PcapException(file + ": link type " + (network & 0xffff)
                    + " is not supported; srv6sh reads 1 (Ethernet), 101 (raw IP), 228 (IPv4) and 229 (IPv6)");
        }
        header.order(order);
    }

    /** Opens {@code path} and reads its file header. */
    public static PcapReader open(Path path) throws PcapException {
        String file = path.toString();
        InputStream in;
        try {
            in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new PcapException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new PcapException(file + ": permission denied");
        } catch (IOException e) {
            throw new PcapException(file + ": cannot open it (" + e.getMessage() + ")", e);
        }
        try {
            return new PcapReader(file, in);
        } catch (PcapException e) {
            close(in);
            throw e;
        } catch (IOException e) {
            close(in);
            throw new PcapException(file + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }

    public LinkType linkType() {
        return linkType;
    }

    public int snaplen() {
        return snaplen;
    }

    /** True for the nanosecond variant (magic a1b23c4d). */
    public boolean nanosecond() {
        return nanos;
    }

    public ByteOrder byteOrder() {
        return order;
    }

    /** The next record, or null at the end of the file. */
    public PcapRecord next() throws PcapException {
        int n = records + 1;
        try {
            byte[] h = in.readNBytes(RECORD_HEADER);
            if (h.length == 0) {
                return null;
            }
            if (h.length < RECORD_HEADER) {
                throw new PcapException(
                        file + ": record " + n + ": truncated record header (" + h.length + " of 16 bytes)");
            }
            header.clear();
            header.put(h).flip();
            long seconds = Integer.toUnsignedLong(header.getInt(0));
            long fraction = Integer.toUnsignedLong(header.getInt(4));
            long captured = Integer.toUnsignedLong(header.getInt(8));
            long original = Integer.toUnsignedLong(header.getInt(12));
            if (fraction >= (nanos ? 1_000_000_000L : 1_000_000L)) {
                throw new PcapException(file + ": record " + n + ": corrupt timestamp (" + fraction
                        + (nanos ? " ns" : " µs") + " past the second)");
            }
            if (captured > MAX_CAPTURED) {
                throw new PcapException(file + ": record " + n + ": captured length " + captured
                        + " is more than any snap length (" + MAX_CAPTURED + "); the file is corrupt");
            }
            byte[] data = in.readNBytes((int) captured);
            if (data.length < captured) {
                throw new PcapException(file + ": record " + n + ": truncated: the record says " + captured
                        + " bytes, the file has " + data.length);
            }
            records = n;
            long time = seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000);
            return new PcapRecord(time, (int) Math.min(Integer.MAX_VALUE, Math.max(original, captured)), data);
        } catch (PcapException e) {
            throw e;
        } catch (IOException e) {
            throw new PcapException(file + ": record " + n + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }

    /** Records read so far. */
    public int records() {
        return records;
    }

    @Override
    public void close() {
        close(in);
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // reading is over; nothing was written that a failed close could lose
        }
    }
}
