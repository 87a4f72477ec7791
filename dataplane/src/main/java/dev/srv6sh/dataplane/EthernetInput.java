package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Ethernet;

/**
 * ethernet-input: accepts frames for the interface's MAC (or a group address) and hands IPv4, IPv6
 * and ARP on. An interface steered at layer 2 is an attachment circuit instead: all its frames, whatever
 * their MAC or EtherType, go whole to sr-policy-rewrite-encaps-l2 (H.Encaps.L2, RFC 8986 §5.3);
 * a worker's learn-only copy of an ARP or ND frame there ({@link Buffers#LEARN_ONLY}) is consumed, the
 * worker that answers resolution encapsulating the customer's frame once.
 * Inputs: ports. Outputs: ip4-input, ip6-input, arp-input, sr-policy-rewrite-encaps-l2, error-drop.
 */
final class EthernetInput extends Node {
    enum Error {
        TOO_SHORT("frame shorter than an Ethernet header"),
        NOT_FOR_US("destination MAC is not this interface's"),
        UNKNOWN_ETHERTYPE("EtherType is not IPv4, IPv6 or ARP");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    EthernetInput(Engine e) {
        super(e, "ethernet-input", Error.values());
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        var m = b.memory;
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            long at = b.at(buf);
            if (b.length[buf] < Ethernet.LENGTH) {
                next[k] = drop(b, buf, Error.TOO_SHORT);
                continue;
            }
            int l2 = fib.ifL2Policy[b.rxIf[buf]];
            if (l2 >= 0) {
                if ((b.flags[buf] & Buffers.LEARN_ONLY) != 0) {
                    // the customer's ARP or ND, which the worker given it to answer encapsulates: once
                    engine.resolution().consumed++;
                    b.release(buf);
                    next[k] = -1;
                    continue;
                }
                b.target[buf] = l2;
                next[k] = ENCAPS_L2;
                continue;
            }
            long dst = Ethernet.dst(m, at);
            if (dst != fib.ifMac[b.rxIf[buf]] && !Ethernet.isGroup(dst)) {
                next[k] = drop(b, buf, Error.NOT_FOR_US);
                continue;
            }
            int type = Ethernet.type(m, at);
            int to = type == Ethernet.TYPE_IP6
                    ? IP6_INPUT
                    : type == Ethernet.TYPE_IP4 ? IP4_INPUT : type == Ethernet.TYPE_ARP ? ARP_INPUT : -1;
            if (to < 0) {
                next[k] = drop(b, buf, Error.UNKNOWN_ETHERTYPE);
                continue;
            }
            b.offset[buf] += Ethernet.LENGTH;
            b.length[buf] -= Ethernet.LENGTH;
            next[k] = to;
        }
    }
}
