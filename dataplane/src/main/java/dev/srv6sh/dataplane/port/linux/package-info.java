/**
 * Ports on Linux devices through FFM ({@code java.lang.foreign}; no JNI, no Unsafe): {@link
 * dev.srv6sh.dataplane.port.linux.AfPacketPort} (an existing Ethernet device through an AF_PACKET
 * socket's memory-mapped TPACKET_V2 rings, or a TPACKET_V3 receive ring for {@code af_packet_v3}), {@link dev.srv6sh.dataplane.port.linux.TapPort} (a TAP
 * device the router creates), and {@link dev.srv6sh.dataplane.port.linux.LinuxPorts}, the factory that
 * binds interface names to them. {@link dev.srv6sh.dataplane.port.linux.Libc} is the small binding
 * layer underneath (socket, bind, setsockopt, mmap, poll, ioctl, sendto, read, write, ... with their
 * errno), and {@link dev.srv6sh.dataplane.port.linux.Offload} finishes what the kernel left to a NIC.
 */
package dev.srv6sh.dataplane.port.linux;
