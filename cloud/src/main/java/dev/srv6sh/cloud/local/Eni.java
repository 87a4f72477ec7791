package dev.srv6sh.cloud.local;

import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * An elastic network interface on a VPC fabric: the addresses it owns, the prefixes delegated to it
 * (a router's locator), who receives the frames the fabric delivers to it, and the instance whose
 * bandwidth shapes what it sends. Like an AWS ENI with the source/destination check off, it may send
 * from any address.
 */
record Eni(
        String owner,
        String iface,
        MacAddress mac,
        List<InetAddress> addresses,
        List<Prefix> delegated,
        Consumer<byte[]> receiver,
        Instance instance) {

    boolean owns(InetAddress a) {
        if (addresses.contains(a)) {
            return true;
        }
        for (Prefix p : delegated) { // a loop, not a stream: the fabric asks this for every frame
            if (p.contains(a)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return owner + "." + iface;
    }
}
