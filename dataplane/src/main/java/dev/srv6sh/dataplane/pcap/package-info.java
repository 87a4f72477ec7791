/**
 * Classic libpcap files, and replaying them through an engine ({@code srv6sh replay}).
 *
 * <pre>
 * IN.pcap ─► PcapReader ─► PcapRecord ─► (raw IP: + Ethernet to the port's MAC) ─► MemoryPort.inject
 *                                                                                      │ Engine.poll
 * DIR/IFACE.pcap ◄─ PcapWriter ◄─ Capture (TX, original timestamps) ◄──────────────────┘
 * DIR/counters.json ◄─ CountersJson ◄─ Engine.counters()
 * </pre>
 *
 * {@link dev.srv6sh.dataplane.pcap.PcapReader} reads both byte orders and both timestamp
 * resolutions (magic {@code a1b2c3d4}, microseconds; {@code a1b23c4d}, nanoseconds) with link types
 * Ethernet (1), raw IP (101), IPv4 (228) and IPv6 (229); a damaged file is a {@link
 * dev.srv6sh.dataplane.pcap.PcapException} naming the file and the record. pcapng is refused with
 * the editcap command that converts it.
 */
package dev.srv6sh.dataplane.pcap;
