package dev.srv6sh.dataplane.port;

/**
 * A device that cannot be opened or used as a port, with what went wrong: {@code "device eth1: no such
 * device"}, or from a driver ({@link #driver}) {@code "af_packet on device 'eth1': cannot open a packet
 * socket: Operation not permitted (EPERM): needs CAP_NET_RAW"}. The engine reports it as a
 * configuration error of the interface that named the device ({@code "interface transit: ..."}).
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

    private PortException(String device, Throwable cause, String message) {
        super(message, cause);
        this.device = device;
    }

    /**
     * A driver's error, naming the driver and the device: {@code "af_packet on device 'veth9': No such
     * device (ENODEV)"}.
     */
    public static PortException driver(String driver, String device, String problem, Throwable cause) {
        return new PortException(device, cause, driver + " on device '" + device + "': " + problem);
    }

    /** The device, as the port names it. */
    public String device() {
        return device;
    }
}
