package dev.srv6sh.aws;

import dev.srv6sh.dataplane.config.Prefix;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.PrefixListId;

/**
 * One security group rule in a form that compares: direction, protocol by name ({@code tcp}, {@code
 * udp}, {@code icmp}, {@code icmpv6}, else its number; {@code -1} all), ports (kept only for tcp, udp,
 * icmp and icmpv6: other protocols have none, and moto wants {@code -1} for them), and one peer: a
 * CIDR (canonical text) or a prefix list.
 */
record Rule(boolean egress, String protocol, int from, int to, String peer) {

    static Rule in(String protocol, int from, int to, String peer) {
        return of(false, protocol, from, to, peer);
    }

    static Rule out(String protocol, int from, int to, String peer) {
        return of(true, protocol, from, to, peer);
    }

    static Rule of(boolean egress, String protocol, int from, int to, String peer) {
        String p = protocol(protocol);
        boolean ports = p.equals("tcp") || p.equals("udp") || p.equals("icmp") || p.equals("icmpv6");
        return new Rule(egress, p, ports ? from : -1, ports ? to : -1, peer(peer));
    }

    private static String protocol(String p) {
        return switch (p.toLowerCase(java.util.Locale.ROOT)) {
            case "6", "tcp" -> "tcp";
            case "17", "udp" -> "udp";
            case "1", "icmp" -> "icmp";
            case "58", "icmpv6" -> "icmpv6";
            default -> p;
        };
    }

    private static String peer(String peer) {
        return peer.startsWith("pl-") ? peer : Prefix.parse(peer).network().toString();
    }

    /** Whether the peer is everything ({@code 0.0.0.0/0} or {@code ::/0}). */
    boolean world() {
        return peer.equals("0.0.0.0/0") || peer.equals("::/0");
    }

    /** The rules of {@code permissions}, one per peer. Peers that are other groups are left out (we make none). */
    static Set<Rule> of(boolean egress, Collection<IpPermission> permissions) {
        Set<Rule> out = new LinkedHashSet<>();
        for (IpPermission p : permissions) {
            int from = p.fromPort() == null ? -1 : p.fromPort();
            int to = p.toPort() == null ? -1 : p.toPort();
            for (IpRange r : p.ipRanges()) {
                out.add(of(egress, p.ipProtocol(), from, to, r.cidrIp()));
            }
            for (Ipv6Range r : p.ipv6Ranges()) {
                out.add(of(egress, p.ipProtocol(), from, to, r.cidrIpv6()));
            }
            for (PrefixListId r : p.prefixListIds()) {
                out.add(of(egress, p.ipProtocol(), from, to, r.prefixListId()));
            }
        }
        return out;
    }

    /** The permission that grants this rule. */
    IpPermission permission() {
        IpPermission.Builder b = IpPermission.builder().ipProtocol(protocol);
        if (!protocol.equals("-1")) {
            b.fromPort(from).toPort(to);
        }
        if (peer.startsWith("pl-")) {
            b.prefixListIds(PrefixListId.builder()
                    .prefixListId(peer)
                    .description("srv6sh")
                    .build());
        } else if (peer.contains(":")) {
            b.ipv6Ranges(
                    Ipv6Range.builder().cidrIpv6(peer).description("srv6sh").build());
        } else {
            b.ipRanges(IpRange.builder().cidrIp(peer).description("srv6sh").build());
        }
        return b.build();
    }

    static List<IpPermission> permissions(Collection<Rule> rules) {
        List<IpPermission> out = new ArrayList<>();
        rules.forEach(r -> out.add(r.permission()));
        return out;
    }

    @Override
    public String toString() {
        String ports = from == -1 && to == -1 ? "" : from == to ? " " + from : " " + from + "-" + to;
        return (egress ? "egress " : "ingress ") + protocol + ports + (egress ? " to " : " from ") + peer;
    }
}
