/**
 * Header accessors: static methods over (MemorySegment, offset), no objects per packet. Shared by the
 * data plane's nodes and by the emulated hosts of the local backend (over heap segments).
 *
 * <pre>
 * Ethernet ─► Ip4 ─► (ICMP/UDP/TCP)        Checksum: RFC 1071 sum, RFC 1624 update
 *         └─► Ip6 ─► Srh ─► Ip4 | Ip6 | Ethernet
 * </pre>
 */
package dev.srv6sh.dataplane.proto;
