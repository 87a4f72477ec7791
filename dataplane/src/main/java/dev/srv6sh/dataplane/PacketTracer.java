package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.agent.PacketTrace;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.proto.Arp;
import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Ip4;
import dev.srv6sh.dataplane.proto.Ip6;
import dev.srv6sh.dataplane.proto.Srh;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The packet trace behind {@link Engine#trace}: the engine marks the next N received buffers with a
 * trace number ({@link Buffers#trace}) and, only while a vector holding marked packets runs, asks
 * this class to record each marked packet a node is about to process. Decoding allocates strings, so
 * it happens only for traced packets; with tracing off the engine checks one flag per vector.
 */
final class PacketTracer {
    /** Traces kept at most; older ones are dropped first. */
    static final int MAX_TRACES = 1000;

    private final Engine engine;
    private final List<String> rxInterfaces = new ArrayList<>();
    private final List<List<PacketTrace.Step>> steps = new ArrayList<>();
    private final List<Boolean> truncated = new ArrayList<>();
    private int first = 1; // the number of the oldest trace kept

    PacketTracer(Engine engine) {
        this.engine = engine;
    }

    /** Starts a trace for a packet received on {@code iface}; returns its slot. */
    int start(String iface) {
        if (steps.size() == MAX_TRACES) {
            rxInterfaces.removeFirst();
            steps.removeFirst();
            truncated.removeFirst();
            first++;
        }
        rxInterfaces.add(iface);
        steps.add(new ArrayList<>());
        truncated.add(false);
        return first + steps.size() - 1;
    }

    /** Records the traced packets among the {@code n} in {@code vector} entering node {@code id}. */
    void record(int id, Node node, Fib fib, Buffers b, int[] vector, int n) {
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            int t = b.trace[buf] - first;
            if (t < 0 || t >= steps.size()) {
                continue;
            }
            List<PacketTrace.Step> s = steps.get(t);
            if (s.size() == PacketTrace.MAX_STEPS) {
                truncated.set(t, true);
                continue;
            }
            s.add(new PacketTrace.Step(node.name, describe(id, fib, b, buf)));
        }
    }

    /** How many packets are traced (kept) now. */
    int size() {
        return steps.size();
    }

    List<PacketTrace> traces() {
        List<PacketTrace> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            out.add(new PacketTrace(first + i, rxInterfaces.get(i), steps.get(i), truncated.get(i)));
        }
        return List.copyOf(out);
    }

    void clear() {
        first += steps.size();
        rxInterfaces.clear();
        steps.clear();
        truncated.clear();
    }

    private String describe(int id, Fib fib, Buffers b, int buf) {
        MemorySegment m = b.memory;
        long at = b.at(buf);
        int len = b.length[buf];
        return switch (id) {
            case Node.ETHERNET_INPUT -> frame(m, at, len);
            case Node.INTERFACE_OUTPUT -> "out " + ifName(fib, b.txIf[buf]) + " " + len + " bytes";
            case Node.ERROR_DROP -> engine.errorName(b.error[buf]);
            case Node.IP6_ICMP_ERROR ->
                String.format(
                        "ICMPv6 type %d code %d pointer %d about %s",
                        b.icmpTypeCode[buf] >>> 8, b.icmpTypeCode[buf] & 0xff, b.icmpPointer[buf], ip(m, at, len));
            case Node.SR_LOCALSID -> sid(fib, b.target[buf]) + ", " + ip(m, at, len);
            case Node.IP4_ICMP_ERROR ->
                String.format(
                        "ICMPv4 type %d code %d rest %d about %s",
                        b.icmpTypeCode[buf] >>> 8, b.icmpTypeCode[buf] & 0xff, b.icmpPointer[buf], ip(m, at, len));
            case Node.ENCAPS, Node.INSERT -> policy(fib, b.target[buf]) + ": " + ip(m, at, len);
            case Node.ENCAPS_L2 -> policy(fib, b.target[buf]) + ": " + frame(m, at, len);
            case Node.ARP_INPUT -> arp(m, at, len);
            case Node.IP4_REWRITE, Node.IP6_REWRITE, Node.IP4_GLEAN, Node.IP6_GLEAN ->
                "via " + ifName(fib, fib.adjIf[b.target[buf]]) + ": " + ip(m, at, len);
            case Node.IP4_LOOKUP, Node.IP6_LOOKUP -> "table slot " + b.table[buf] + ": " + ip(m, at, len);
            default ->
                // a behavior's node: the SID it runs, by its spec's name, and the packet
                Node.isBehavior(id) ? sid(fib, b.target[buf]) + ", " + ip(m, at, len) : ip(m, at, len);
        };
    }

    private static String policy(Fib fib, int p) {
        return p < 0 || p >= fib.policyName.length ? "policy ?" : "policy " + fib.policyName[p];
    }

    /** {@code src -> dst type T, N bytes} of an Ethernet frame. */
    private static String frame(MemorySegment m, long at, int len) {
        return len < Ethernet.LENGTH
                ? len + " bytes"
                : String.format(
                        "%s -> %s type 0x%04x, %d bytes",
                        mac(Ethernet.src(m, at)), mac(Ethernet.dst(m, at)), Ethernet.type(m, at), len);
    }

    /** {@code request who-has T tell S (MAC)} or {@code reply S is-at MAC}. */
    private static String arp(MemorySegment m, long at, int len) {
        if (len < Arp.LENGTH) {
            return len + " bytes, not ARP";
        }
        String sender = Addresses.format(Addresses.v4(Arp.senderIp(m, at)));
        return Arp.opcode(m, at) == Arp.REPLY
                ? "reply " + sender + " is-at " + mac(Arp.senderMac(m, at))
                : "request who-has " + Addresses.format(Addresses.v4(Arp.targetIp(m, at))) + " tell " + sender + " ("
                        + mac(Arp.senderMac(m, at)) + ")";
    }

    private static String sid(Fib fib, int sid) {
        return sid < 0 || sid >= fib.sidName.length ? "sid ?" : fib.sidBehavior[sid] + " " + fib.sidName[sid];
    }

    private static String ifName(Fib fib, int ifi) {
        return ifi >= 0 && ifi < fib.ifNames.length ? fib.ifNames[ifi] : "?";
    }

    /** {@code src -> dst hlim N [SRH sl S le L] len N}, or the IPv4 equivalent. */
    static String ip(MemorySegment m, long at, int len) {
        if (len >= Ip6.LENGTH && Ip6.version(m, at) == 6) {
            StringBuilder sb = new StringBuilder()
                    .append(ip6(Ip6.srcHi(m, at), Ip6.srcLo(m, at)))
                    .append(" -> ")
                    .append(ip6(Ip6.dstHi(m, at), Ip6.dstLo(m, at)))
                    .append(" hlim ")
                    .append(Ip6.hopLimit(m, at));
            if (Ip6.nextHeader(m, at) == Ip6.NH_ROUTING && len >= Ip6.LENGTH + Srh.FIXED) {
                long srh = at + Ip6.LENGTH;
                sb.append(Srh.routingType(m, srh) == Srh.ROUTING_TYPE ? " SRH" : " RH" + Srh.routingType(m, srh))
                        .append(" sl ")
                        .append(Srh.segmentsLeft(m, srh))
                        .append(" le ")
                        .append(Srh.lastEntry(m, srh));
            } else {
                sb.append(" nh ").append(Ip6.nextHeader(m, at));
            }
            return sb.append(" len ").append(len).toString();
        }
        if (len >= Ip4.MIN_LENGTH && Ip4.version(m, at) == 4) {
            return Addresses.format(Addresses.v4(Ip4.src(m, at))) + " -> "
                    + Addresses.format(Addresses.v4(Ip4.dst(m, at))) + " ttl " + Ip4.ttl(m, at) + " proto "
                    + Ip4.protocol(m, at) + " len " + len;
        }
        return len + " bytes, not IP";
    }

    private static String ip6(long hi, long lo) {
        byte[] a = new byte[16];
        for (int i = 0; i < 8; i++) {
            a[i] = (byte) (hi >>> (56 - 8 * i));
            a[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return Addresses.format(Addresses.v6(a));
    }

    private static String mac(long mac) {
        return String.format(
                "%02x:%02x:%02x:%02x:%02x:%02x",
                (mac >>> 40) & 0xff,
                (mac >>> 32) & 0xff,
                (mac >>> 24) & 0xff,
                (mac >>> 16) & 0xff,
                (mac >>> 8) & 0xff,
                mac & 0xff);
    }
}
