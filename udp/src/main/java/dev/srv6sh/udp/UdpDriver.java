package dev.srv6sh.udp;

import dev.srv6sh.dataplane.port.BufferPool;
import dev.srv6sh.dataplane.port.Port;
import dev.srv6sh.dataplane.port.PortDriver;
import dev.srv6sh.dataplane.port.PortException;

/**
 * The {@code udp} driver for {@link dev.srv6sh.dataplane.port.linux.LinuxPorts}: {@code interface
 * transit { driver udp; device "198.51.100.1:4789->198.51.100.2:4789" }} opens a {@link UdpPort} on
 * that wire. Making one touches no Netty class: Netty loads when the first udp interface opens.
 */
public final class UdpDriver implements PortDriver {
    @Override
    public String name() {
        return UdpPort.DRIVER;
    }

    @Override
    public Port open(String device, BufferPool pool) throws PortException {
        return UdpPort.open(device, pool);
    }
}
