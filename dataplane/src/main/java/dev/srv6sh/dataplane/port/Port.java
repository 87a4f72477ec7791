package dev.srv6sh.dataplane.port;

import dev.srv6sh.dataplane.config.MacAddress;

/**
 * A packet I/O device as an engine sees it: Ethernet frames received in bursts into the engine's
 * buffers, and transmitted in bursts out of them. One interface call per burst, none per packet;
 * nothing allocates after the port is open. Every call comes from the engine's thread.
 *
 * <h2>Who owns a buffer, when</h2>
 *
 * A buffer belongs to exactly one of: the engine's {@link BufferPool} (free), the engine (in the
 * graph, or held for address resolution), or a port.
 *
 * <ul>
 *   <li>A port takes buffers from the pool with {@link BufferPool#allocate} whenever it needs them
 *       (to copy a frame into, or to post empty to its device) and counts them in {@link
 *       #buffersHeld} until it hands them to the engine in {@link #receive} or frees them ({@link
 *       BufferPool#release}).
 *   <li>{@link #receive}: each frame the port adds to the {@link RxBurst} is the engine's from then
 *       on.
 *   <li>{@link #transmit}: every frame of the {@link TxBurst} is the port's from the call on. It
 *       returns how many of them, counted from the first, it is done with: the engine frees those
 *       when the call returns (a port that copied the frames out returns them all). The others stay
 *       the port's (on a transmit ring the device reads in place) until it frees them itself with
 *       {@link BufferPool#release}, during a later call of the engine's ({@link #receive}, {@link
 *       #transmit}, {@link #drain}) or on the owner's call between polls, once the device is done
 *       (AF_XDP's completion ring). Until then they count as in use.
 *   <li>{@link #drain} and {@link #close}: the port gives back everything it holds.
 * </ul>
 */
public interface Port extends AutoCloseable {
    /** The device, as errors and counters name it ({@code eth1}, {@code memory:in}). */
    String device();

    /**
     * The largest IP packet the device carries, or 0 when it has no limit of its own (an in-memory
     * port: the configuration's MTU holds). A configuration that gives the interface a larger MTU
     * is rejected.
     */
    int mtu();

    /**
     * The device's own MAC address, when frames reach the port only if sent to it (a NIC not in
     * promiscuous mode): a configuration that gives the interface another MAC is rejected. Null
     * when the device takes whatever MAC the configuration gives it (in memory, a TAP device's far
     * end, a tunnel).
     */
    MacAddress mac();

    /**
     * Adds the frames waiting on the device to {@code rx}, at most {@link RxBurst#room} of them, in
     * the order received; none when nothing waits. A frame that cannot be taken (no free buffer, too
     * large) is counted as rx no-buffer and dropped. The engine calls it again while frames come,
     * up to a bound per poll.
     */
    void receive(RxBurst rx);

    /**
     * Sends the frames of {@code tx}, in order, and returns how many of them, from the first, the
     * engine may free now ({@code tx.count()} for a port that copied them out; fewer for one that
     * keeps them until its device is done). Counts each frame as transmitted or as a tx error.
     */
    int transmit(TxBurst tx);

    /**
     * Buffers the port holds on its receive side: frames received and not yet handed over, empty
     * buffers posted to the device or kept as spares. The engine counts them apart from the buffers
     * in use; transmitted buffers the port still holds are not among them.
     */
    int buffersHeld();

    /** The device's counters, live: the same object every time. */
    PortCounters counters();

    /**
     * The interface left the configuration: frames waiting to be received are dropped (counted as
     * rx no-buffer), frames queued for transmission finish or are dropped, and every buffer the port
     * holds goes back to the pool. The port stays open: a later configuration may name the
     * interface again.
     */
    void drain();

    /**
     * The interface is in the configuration being applied: a port that had to give up its device to
     * {@link #drain} (AF_XDP, whose fill ring can only be taken back by closing its socket) takes it
     * again. Called for every port in force at each configuration, drained before or not; nothing to do
     * for most ports. A device that cannot be taken again is a {@link PortException}: the
     * configuration is refused.
     */
    default void resume() throws PortException {}

    /**
     * Whether the port takes a large send whole ({@link TxBurst#gsoSize}: TCP or UDP right behind the
     * frame's one IP header) and has its device cut it into segments; the engine cuts every other
     * large send itself before this port sees it.
     */
    default boolean takesLargeSends() {
        return false;
    }

    /**
     * Gives back every buffer and closes the device. The engine calls it once: when it closes, or at
     * once if the configuration the port was opened for is rejected.
     */
    @Override
    void close();
}
