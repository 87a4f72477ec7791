package dev.srv6sh.dataplane.pcap;

/**
 * One packet of a pcap file: when it was captured (ns since the epoch), its length on the wire, and
 * the bytes captured, which are fewer than {@code originalLength} when the snap length cut it.
 */
public record PcapRecord(long timeNanos, int originalLength, byte[] data) {
    /** True when the capture cut the packet short (snap length). */
    public boolean truncated() {
        return data.length < originalLength;
    }
}
