/**
 * The udp port driver: {@link dev.srv6sh.udp.UdpDriver} for a router's port factory, {@link
 * dev.srv6sh.udp.UdpPort} on Netty's epoll transport, {@link dev.srv6sh.udp.UdpWire} its device
 * syntax ({@code LOCAL:PORT->PEER:PORT}).
 */
package dev.srv6sh.udp;
