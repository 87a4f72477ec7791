package dev.srv6sh.dataplane.port.linux;

/**
 * A system call that failed while a port opened: what was being done, the {@link Errno}, and what it
 * usually means there (a missing capability), as {@code "cannot open a packet socket: Operation not
 * permitted (EPERM): needs CAP_NET_RAW"}. A port turns it into a {@link
 * dev.srv6sh.dataplane.port.PortException} naming its driver and device.
 */
public final class ErrnoException extends Exception {
    private final Errno errno;

    /** {@code doing} is empty when the error alone says it ("No such device (ENODEV)"); {@code hint} may be null. */
    public ErrnoException(String doing, Errno errno, String hint) {
        super(message(doing, errno, hint));
        this.errno = errno;
    }

    /** The message of a failed step: the step, the error with its symbol, and the hint if any. */
    public static String message(String doing, Errno errno, String hint) {
        return (doing.isEmpty() ? "" : doing + ": ") + errno + (hint == null ? "" : ": " + hint);
    }

    public Errno errno() {
        return errno;
    }
}
