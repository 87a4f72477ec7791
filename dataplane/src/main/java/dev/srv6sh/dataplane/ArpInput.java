package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Arp;
import dev.srv6sh.dataplane.proto.Ethernet;
import java.lang.foreign.MemorySegment;

/**
 * arp-input: ARP for IPv4 over Ethernet (RFC 826), checked field by field (every failure a counted
 * reason). RFC 826's merge: the sender's entry is updated if the table has one, and created when the
 * message is for an address of the receiving interface; a reply unicast to this router confirms
 * reachability as a solicited NA does, anything else leaves the entry STALE if its MAC changed (as
 * Linux does, on RFC 4861's state machine). A request for an address of the interface is answered in
 * its own buffer; a probe from 0.0.0.0 (RFC 5227) is answered but teaches nothing. A worker's copy of
 * a frame another worker answers ({@link Buffers#LEARN_ONLY}) is learned from, and consumed.
 * Inputs: ethernet-input (EtherType 0x0806). Outputs: interface-output (the reply), error-drop.
 */
final class ArpInput extends Node {
    enum Error {
        TOO_SHORT("ARP shorter than 28 bytes"),
        HARDWARE_TYPE("ARP hardware type is not Ethernet"),
        PROTOCOL_TYPE("ARP protocol type is not IPv4"),
        ADDRESS_LENGTHS("ARP address lengths are not 6 and 4"),
        OPCODE("ARP opcode is neither request nor reply"),
        SENDER_MAC("ARP sender MAC is broadcast, multicast or zero"),
        SENDER_IP("ARP sender IP address is multicast, broadcast or loopback"),
        TARGET_IP("ARP target IP address is multicast, broadcast or loopback"),
        SENDER_IS_US("ARP sender claims an address of this interface"),
        NOT_FOR_US("ARP for another host, from a sender not in the table");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    ArpInput(Engine e) {
        super(e, "arp-input", Error.values());
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        MemorySegment m = b.memory;
        for (int k = 0; k < n; k++) {
            next[k] = handle(fib, b, m, vector[k]);
        }
    }

    /** 0.0.0.0/8, 127.0.0.0/8 and 224.0.0.0/3 (multicast, class E, broadcast) are no host's. */
    private static boolean martian(int ip) {
        int first = ip >>> 24;
        return first == 127 || first >= 224;
    }

    private int handle(Fib fib, Buffers b, MemorySegment m, int buf) {
        long at = b.at(buf);
        if (b.length[buf] < Arp.LENGTH) {
            return drop(b, buf, Error.TOO_SHORT);
        }
        if (Arp.hardwareType(m, at) != Arp.HARDWARE_ETHERNET) {
            return drop(b, buf, Error.HARDWARE_TYPE);
        }
        if (Arp.protocolType(m, at) != Ethernet.TYPE_IP4) {
            return drop(b, buf, Error.PROTOCOL_TYPE);
        }
        if (Arp.hardwareLength(m, at) != 6 || Arp.protocolLength(m, at) != 4) {
            return drop(b, buf, Error.ADDRESS_LENGTHS);
        }
        int op = Arp.opcode(m, at);
        if (op != Arp.REQUEST && op != Arp.REPLY) {
            return drop(b, buf, Error.OPCODE);
        }
        long sha = Arp.senderMac(m, at);
        if (!Ethernet.isUnicast(sha)) {
            return drop(b, buf, Error.SENDER_MAC);
        }
        int spa = Arp.senderIp(m, at);
        int tpa = Arp.targetIp(m, at);
        boolean probe = spa == 0 && op == Arp.REQUEST;
        if ((spa == 0 && !probe) || martian(spa)) {
            return drop(b, buf, Error.SENDER_IP);
        }
        if (martian(tpa)) {
            return drop(b, buf, Error.TARGET_IP);
        }
        int ifi = b.rxIf[buf];
        if (fib.isAddress4(ifi, spa)) {
            return drop(b, buf, Error.SENDER_IS_US);
        }
        boolean forUs = fib.isAddress4(ifi, tpa);
        boolean known = false;
        if (!probe) {
            Neighbors neighbors = engine.resolution();
            long key = NeighborTable.key4(spa);
            long frame = at - Ethernet.LENGTH;
            boolean unicastReply = op == Arp.REPLY && Ethernet.dst(m, frame) == fib.ifMac[ifi];
            known = unicastReply && neighbors.advertised(fib, ifi, 0, key, sha, true, true) != Neighbors.Heard.NO_ENTRY
                    || neighbors.heard(fib, ifi, 0, key, sha, forUs);
        }
        if (forUs && op == Arp.REQUEST && (b.flags[buf] & Buffers.LEARN_ONLY) == 0) {
            return reply(fib, b, m, buf, ifi, sha, spa, tpa);
        }
        if (!forUs && !known) {
            return drop(b, buf, Error.NOT_FOR_US);
        }
        engine.resolution().consumed++;
        b.release(buf);
        return -1;
    }

    /** Turns the request into the reply: from this interface's MAC and the asked address, to the asker. */
    private int reply(Fib fib, Buffers b, MemorySegment m, int buf, int ifi, long sha, int spa, int tpa) {
        long at = b.at(buf);
        long own = fib.ifMac[ifi];
        Arp.write(m, at, Arp.REPLY, own, tpa, sha, spa);
        Ethernet.write(m, at - Ethernet.LENGTH, sha, own, Ethernet.TYPE_ARP);
        b.offset[buf] -= Ethernet.LENGTH;
        b.length[buf] = Ethernet.LENGTH + Arp.LENGTH;
        b.txIf[buf] = ifi;
        b.flags[buf] = Buffers.ORIGINATED;
        Neighbors neighbors = engine.resolution();
        neighbors.consumed++;
        neighbors.answers++;
        return INTERFACE_OUTPUT;
    }
}
