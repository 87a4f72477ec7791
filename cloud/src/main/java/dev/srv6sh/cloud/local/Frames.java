package dev.srv6sh.cloud.local;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Ip4;
import dev.srv6sh.dataplane.proto.Ip6;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;

/**
 * What the emulated fabric needs to know of a frame to route it: its IPv4 or IPv6 destination. It
 * reads headers with the data plane's own accessors over a heap segment.
 */
final class Frames {
    private Frames() {}

    static int etherType(byte[] f) {
        return f.length < Ethernet.LENGTH ? -1 : Ethernet.type(MemorySegment.ofArray(f), 0);
    }

    /** The IPv4 or IPv6 destination, or null when the frame is too short or not IP. */
    static InetAddress destination(byte[] f) {
        MemorySegment m = MemorySegment.ofArray(f);
        return switch (etherType(f)) {
            case Ethernet.TYPE_IP4 ->
                f.length >= Ethernet.LENGTH + Ip4.MIN_LENGTH ? Addresses.v4(Ip4.dst(m, Ethernet.LENGTH)) : null;
            case Ethernet.TYPE_IP6 ->
                f.length >= Ethernet.LENGTH + Ip6.LENGTH
                        ? Addresses.v6(java.util.Arrays.copyOfRange(f, Ethernet.LENGTH + 24, Ethernet.LENGTH + 40))
                        : null;
            default -> null;
        };
    }

    static void setMacs(byte[] f, MacAddress dst, MacAddress src) {
        MemorySegment m = MemorySegment.ofArray(f);
        Ethernet.write(m, 0, dst.value(), src.value(), Ethernet.type(m, 0));
    }
}
