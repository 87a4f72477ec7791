package dev.srv6sh.dataplane.port;

/**
 * A port's device counters, as {@code ip -s link} shows a NIC's: kept by the port on the engine's
 * thread (plain fields, no allocation), read by the engine for {@code show interfaces}.
 *
 * <ul>
 *   <li>rx packets and bytes: frames the port handed to the engine;
 *   <li>rx no-buffer: frames the device received that never reached the engine: no free buffer, a
 *       full receive queue, a frame larger than a buffer, or dropped while the interface left the
 *       configuration;
 *   <li>tx packets and bytes: frames the engine handed over that the port sent or queued to send;
 *   <li>tx errors: frames the engine handed over that the device refused (its ring full, the
 *       socket's error). Every frame handed over is counted once: tx packets or tx errors. (A udp
 *       port also counts the refusals its peer's host sends back for frames already sent, ICMP
 *       port unreachable, so there a frame can be counted twice: its tx errors say the wire is
 *       down.)
 * </ul>
 */
public final class PortCounters {
    private long rxPackets;
    private long rxBytes;
    private long rxNoBuffer;
    private long txPackets;
    private long txBytes;
    private long txErrors;
    private long rxCoalesced;

    /** A frame of {@code bytes} handed to the engine (added to an {@link RxBurst}). */
    public void received(int bytes) {
        rxPackets++;
        rxBytes += bytes;
    }

    /** A received frame that will never reach the engine. */
    public void noBuffer() {
        rxNoBuffer++;
    }

    /** {@code frames} received frames that will never reach the engine (a device's count of its drops). */
    public void noBuffer(long frames) {
        rxNoBuffer += frames;
    }

    /** {@code frames} of {@code bytes} in all handed to the engine: a burst's worth at once. */
    public void received(int frames, long bytes) {
        rxPackets += frames;
        rxBytes += bytes;
    }

    /** A frame of {@code bytes} sent, or queued to the device. */
    public void transmitted(int bytes) {
        txPackets++;
        txBytes += bytes;
    }

    /** {@code frames} of {@code bytes} in all sent or queued: a burst's worth at once. */
    public void transmitted(int frames, long bytes) {
        txPackets += frames;
        txBytes += bytes;
    }

    /** A frame handed over for transmission that the device refused. */
    public void txError() {
        txErrors++;
    }

    /** {@code frames} handed over that the device refused: a count another thread kept, folded in. */
    public void txError(long frames) {
        txErrors += frames;
    }

    /** A received frame joined another's large send (receive coalescing): counted received, and one packet less for the engine. */
    public void coalesced() {
        rxCoalesced++;
    }

    public long rxCoalesced() {
        return rxCoalesced;
    }

    public long rxPackets() {
        return rxPackets;
    }

    public long rxBytes() {
        return rxBytes;
    }

    public long rxNoBuffer() {
        return rxNoBuffer;
    }

    public long txPackets() {
        return txPackets;
    }

    public long txBytes() {
        return txBytes;
    }

    public long txErrors() {
        return txErrors;
    }
}
