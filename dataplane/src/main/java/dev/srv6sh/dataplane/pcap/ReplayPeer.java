package dev.srv6sh.dataplane.pcap;

import dev.srv6sh.dataplane.Capture;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.proto.Arp;
import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Ip6;
import dev.srv6sh.dataplane.proto.Nd;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The far end of every link in a replay, as a packet-test framework's generator interfaces are: a pcap
 * has nobody behind it to answer the router, so this answers each ARP request and Neighbor
 * Solicitation the router sends (for any address: multicast or unicast, resolution or probe) from
 * the interface's peer, {@link #mac}. The answer is received at the time the router asked (the
 * solicitation's time stamp), so held packets leave at once in the replay's time. It sees what the
 * router transmits through the tx capture, passing every frame on to the output files.
 */
final class ReplayPeer implements Capture.Sink {
    /** An answer to deliver: received on {@code iface} at {@code timeNanos}. */
    record Answer(String iface, byte[] frame, long timeNanos) {}

    private final Capture.Sink next;
    private final Map<String, Integer> index = new LinkedHashMap<>();
    private final Map<String, Long> answered = new LinkedHashMap<>();
    private final List<Answer> pending = new ArrayList<>();

    ReplayPeer(Capture.Sink next, List<String> ifaces) {
        this.next = next;
        for (String i : ifaces) {
            index.put(i, index.size());
            answered.put(i, 0L);
        }
    }

    /**
     * The peer on the {@code ifIndex}-th interface (0 first, in the configuration's order): {@code
     * 00:00:5e:00:53:NN}, NN = ifIndex + 1 in hex, in the documentation range of RFC 7042 §2.1.2.
     * Raw-IP input records come from it too.
     */
    static MacAddress mac(int ifIndex) {
        if (ifIndex < 0 || ifIndex > 254) {
            throw new IllegalArgumentException("a replay plays the peer of at most 255 interfaces");
        }
        return new MacAddress(0x0000_5e00_5300L + ifIndex + 1);
    }

    /** Solicitations answered, per interface. */
    Map<String, Long> answered() {
        return answered;
    }

    /** The answers made since the last call, in the order the router asked. */
    List<Answer> take() {
        List<Answer> out = List.copyOf(pending);
        pending.clear();
        return out;
    }

    @Override
    public void capture(Capture.Frame f) {
        next.capture(f);
        Integer i = index.get(f.iface());
        if (i == null || f.length() < Ethernet.LENGTH) {
            return;
        }
        MemorySegment m = f.segment();
        long at = f.offset();
        long router = Ethernet.src(m, at);
        long peer = mac(i).value();
        byte[] answer = null;
        if (Ethernet.type(m, at) == Ethernet.TYPE_ARP && f.length() >= Ethernet.LENGTH + Arp.LENGTH) {
            long arp = at + Ethernet.LENGTH;
            if (Arp.opcode(m, arp) == Arp.REQUEST) {
                answer = new byte[Ethernet.LENGTH + Arp.LENGTH];
                MemorySegment a = MemorySegment.ofArray(answer);
                Ethernet.write(a, 0, router, peer, Ethernet.TYPE_ARP);
                Arp.write(
                        a,
                        Ethernet.LENGTH,
                        Arp.REPLY,
                        peer,
                        Arp.targetIp(m, arp),
                        Arp.senderMac(m, arp),
                        Arp.senderIp(m, arp));
            }
        } else if (isSolicitation(m, at, f.length())) {
            long ip = at + Ethernet.LENGTH;
            long icmp = ip + Ip6.LENGTH;
            answer = new byte[Ethernet.LENGTH + Nd.MESSAGE_LENGTH];
            MemorySegment a = MemorySegment.ofArray(answer);
            Ethernet.write(a, 0, router, peer, Ethernet.TYPE_IP6);
            long tHi = Nd.targetHi(m, icmp);
            long tLo = Nd.targetLo(m, icmp);
            Nd.write(
                    a,
                    Ethernet.LENGTH,
                    Nd.ADVERTISEMENT,
                    Nd.SOLICITED | Nd.OVERRIDE,
                    tHi,
                    tLo,
                    Ip6.srcHi(m, ip),
                    Ip6.srcLo(m, ip),
                    tHi,
                    tLo,
                    peer);
        }
        if (answer != null) {
            pending.add(new Answer(f.iface(), answer, f.timeNanos()));
            answered.merge(f.iface(), 1L, Long::sum);
        }
    }

    private static boolean isSolicitation(MemorySegment m, long at, int length) {
        long ip = at + Ethernet.LENGTH;
        return Ethernet.type(m, at) == Ethernet.TYPE_IP6
                && length >= Ethernet.LENGTH + Ip6.LENGTH + Nd.MIN_LENGTH
                && Ip6.nextHeader(m, ip) == Ip6.NH_ICMP6
                && Bytes.u8(m, ip + Ip6.LENGTH) == Nd.SOLICITATION
                && (Ip6.srcHi(m, ip) != 0 || Ip6.srcLo(m, ip) != 0);
    }
}
