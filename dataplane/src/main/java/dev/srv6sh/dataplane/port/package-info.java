/**
 * The data plane's edge: {@link dev.srv6sh.dataplane.port.Port}, a packet I/O device as an engine
 * sees it, and what crosses it. An engine is given a {@link dev.srv6sh.dataplane.port.PortFactory}
 * and asks it for a port per interface a configuration names; the in-memory port (tests, the local
 * backend, replay) is one implementation, devices (AF_PACKET, TAP, AF_XDP) are others, and a
 * {@link dev.srv6sh.dataplane.port.PortDriver} brings one from another module by name (udp, on Netty).
 *
 * <pre>
 *                  BufferPool (the engine's buffers: allocate, release, memory)
 *                    ▲ allocate / release          ▲ frees what a port is done with
 * device ─► Port.receive(RxBurst: buffer, offset, length, time) ─► Engine.poll ─► graph
 * device ◄─ Port.transmit(TxBurst: buffer, offset, length) ◄─ interface-output ◄─┘
 *             returns how many the engine frees now; the port frees the rest later
 * </pre>
 */
package dev.srv6sh.dataplane.port;
