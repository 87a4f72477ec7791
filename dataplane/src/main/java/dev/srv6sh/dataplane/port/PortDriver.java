package dev.srv6sh.dataplane.port;

/**
 * A port driver the data plane does not carry itself, added to a router's port factory by name
 * ({@link dev.srv6sh.dataplane.port.linux.LinuxPorts}): the {@code udp} driver, which runs on Netty
 * and so lives in a module of its own, keeping this one on the JDK alone. An interface whose {@code
 * driver} is the name gets its port from {@link #open}.
 */
public interface PortDriver {
    /** The name configurations use ({@code driver udp}). */
    String name();

    /**
     * Opens the port for an interface on {@code device} (the interface's {@code device}, in the
     * driver's own syntax; null when the configuration gave none) with the engine's pool. A device
     * that is malformed, missing or cannot be used is a {@link PortException} from {@link
     * PortException#driver}, naming this driver, the device and the cause; the engine adds the
     * interface.
     */
    Port open(String device, BufferPool pool) throws PortException;
}
