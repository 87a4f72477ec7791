package dev.srv6sh.dataplane.port.linux;

import dev.srv6sh.dataplane.port.Port;

/**
 * A port on a Linux device with a file descriptor that polls readable when frames wait, so that the
 * thread driving an idle engine can sleep in the kernel until traffic comes instead of waking on a
 * timer: {@link #awaitReadable} for one port, {@link #fd} for a loop that polls several (and an
 * eventfd of its own to be woken) with {@code poll(2)} or {@code epoll}.
 *
 * <p>{@link AfPacketPort} and {@link TapPort} give their device's own descriptor. A port whose frames
 * another thread receives (the udp driver, on Netty's event loop) gives an {@link EventFd} that thread
 * signals when it has queued frames for the engine after the engine found none.
 */
public interface LinuxPort extends Port {
    /** The descriptor to poll for {@code POLLIN}; valid until {@link #close}. */
    int fd();

    /**
     * Every descriptor to poll for {@code POLLIN}, {@link #fd} first: a port that receives through
     * more than one (an af_packet port of a router with several workers has a second socket for ARP
     * and NS/NA, {@link Fanout}) gives them all.
     */
    default int[] fds() {
        return new int[] {fd()};
    }

    /**
     * Sleeps in {@code poll(2)} until frames wait on the device or {@code timeoutNanos} has passed
     * (rounded up to whole milliseconds, poll's unit; 0 only looks), and says whether frames wait.
     * Frames the port has already seen and not handed over count as waiting, so it never sleeps on
     * work in hand. Call it on the engine's thread, between polls.
     */
    boolean awaitReadable(long timeoutNanos);

    /**
     * What the port got from the kernel, when it has a choice to say, for a router's log ({@code
     * af_xdp on x0 queue 0: native XDP, copy mode, ...}, {@code tap on t0: io_uring, ...}); null when
     * there is nothing to add to its driver and device.
     */
    default String describe() {
        return null;
    }
}
