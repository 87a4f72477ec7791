package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.HostHandle.UdpReport;
import java.time.Duration;
import java.util.BitSet;

/**
 * The receiving end of a measurement flow: counts datagrams and bytes, duplicates, reordering (a
 * datagram whose sequence number is below one already received, RFC 4737's "reordered" in its simplest
 * form), the interarrival jitter of RFC 3550 §6.4.1, and the TTL or hop limit of what arrives. Loss is
 * known only once the source says how many it sent. Runs on the event loop only.
 */
final class UdpSink {
    final int flow;
    private final BitSet seen = new BitSet();
    private long received;
    private long bytes;
    private long duplicates;
    private long reordered;
    private long highest = -1;
    private boolean haveTransit;
    private long lastTransit;
    private double jitter;
    private long maxTransit;
    private int hopLimit = -1;

    UdpSink(int flow) {
        this.flow = flow;
    }

    /** One datagram: its sequence number, the time it was sent and received (ns), its IP size and TTL. */
    void accept(long seq, long sentNanos, long arrivalNanos, int size, int ttl) {
        if (seq < 0 || seq > Integer.MAX_VALUE) {
            return;
        }
        // RFC 3550 §6.4.1: D(i-1,i) = (Rj - Ri) - (Sj - Si), taken in order of arrival; J += (|D| - J) / 16
        long transit = arrivalNanos - sentNanos;
        if (haveTransit) {
            jitter += (Math.abs(transit - lastTransit) - jitter) / 16.0;
        }
        lastTransit = transit;
        haveTransit = true;
        maxTransit = Math.max(maxTransit, transit);
        hopLimit = ttl;
        if (seen.get((int) seq)) {
            duplicates++;
            return;
        }
        seen.set((int) seq);
        received++;
        bytes += size;
        if (seq < highest) {
            reordered++;
        } else {
            highest = seq;
        }
    }

    long received() {
        return received;
    }

    /** The longest one-way time seen so far (ns), to judge how long stragglers may take. */
    long maxTransit() {
        return maxTransit;
    }

    UdpReport report(long sent, Duration duration) {
        return new UdpReport(
                sent, received, bytes, Math.max(0, sent - received), reordered, duplicates, jitter, hopLimit, duration);
    }
}
