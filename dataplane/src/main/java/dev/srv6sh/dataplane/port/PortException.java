package dev.srv6sh.dataplane.port;

/**
 * A device that cannot be opened or used as a port, with what went wrong: {@code "device eth1: cannot
 * open an AF_PACKET socket: Operation not permitted (CAP_NET_RAW is needed)"}. The engine reports it
 * as a configuration error of the interface that named the device.
 */
public final class PortException extends Exception {
    private final String device;

    public PortException(String device, String problem) {
        super("device " + device + ": " + problem);
        this.device = device;
    }

    public PortException(String device, String problem, Throwable cause) {
        super("device " + device + ": " + problem, cause);
        this.device = device;
    }

    /** The device, as the port names it. */
    public String device() {
        return device;
    }
}
