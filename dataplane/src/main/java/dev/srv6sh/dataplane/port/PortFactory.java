package dev.srv6sh.dataplane.port;

import dev.srv6sh.dataplane.config.DataplaneConfig;

/**
 * Where an engine gets its ports: asked once per interface name, when a configuration first names
 * it, with the pool the port receives into. The engine keeps the port while the engine lives, across
 * configurations that drop the interface and bring it back ({@link Port#drain} in between); a port
 * opened for a configuration that is then rejected is closed at once.
 */
@FunctionalInterface
public interface PortFactory {
    /**
     * Opens the device behind {@code iface} on {@code pool}. A device that is missing, or cannot be
     * opened, is a {@link PortException} naming it and the problem; the engine rejects the
     * configuration with it and keeps the one in force.
     */
    Port open(DataplaneConfig.Interface iface, BufferPool pool) throws PortException;
}
