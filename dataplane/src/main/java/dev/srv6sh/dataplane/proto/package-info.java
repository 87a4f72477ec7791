/**
 * Header accessors: static methods over (MemorySegment, offset), no objects per packet. Shared by the
 * data plane's nodes and by the emulated hosts of the local backend (over heap segments).
 *
 * <pre>
 * Ethernet ─► Ip4 ─► Icmp4 | Udp          Checksum: RFC 1071 sum, RFC 1624 update,
 *         └─► Ip6 ─► Icmp6 | Udp           and the IPv4 / IPv6 pseudo-headers that Icmp6 and Udp use
 *               └─► Srh ─► Ip4 | Ip6 | Ethernet
 * </pre>
 *
 * <p>Nothing here checks bounds beyond the segment's own: callers check lengths first (the nodes do
 * it against the buffer's length), so that a field read never costs more than one bounds check.
 */
package dev.srv6sh.dataplane.proto;
