package dev.srv6sh.dataplane;

/**
 * A graph node: takes a vector of buffer indices, decides each packet's next node, and never
 * allocates. The dispatcher calls {@link #process} once per vector (one virtual call per vector, none
 * per packet) and moves the packets to their next nodes as whole vectors.
 */
abstract class Node {
    // Node ids: the dispatcher's index into its pending vectors. The dispatcher runs them in this
    // order, so a node mostly sees the packets of all nodes before it in one vector.
    static final int ETHERNET_INPUT = 0;
    static final int ARP_INPUT = 1;
    static final int IP4_INPUT = 2;
    static final int IP6_INPUT = 3;
    static final int IP6_ND = 4;
    static final int IP4_LOOKUP = 5;
    static final int IP6_LOOKUP = 6;
    static final int SR_LOCALSID = 7;
    static final int END = 8;
    static final int END_X = 9;
    static final int END_T = 10;
    static final int END_B6_ENCAPS = 11;
    static final int END_B6_ENCAPS_RED = 12;
    static final int END_B6_INSERT = 13;
    static final int END_B6_INSERT_RED = 14;
    static final int END_DX2 = 15;
    static final int END_DX4 = 16;
    static final int END_DX6 = 17;
    static final int END_DT4 = 18;
    static final int END_DT6 = 19;
    static final int END_DT46 = 20;
    static final int ENCAPS = 21;
    static final int ENCAPS_L2 = 22;
    static final int INSERT = 23;
    static final int IP4_LOCAL = 24;
    static final int IP6_LOCAL = 25;
    static final int IP4_REWRITE = 26;
    static final int IP6_REWRITE = 27;
    static final int IP4_GLEAN = 28;
    static final int IP6_GLEAN = 29;
    static final int INTERFACE_OUTPUT = 30;
    static final int ERROR_DROP = 31;
    static final int IP6_ICMP_ERROR = 32;
    static final int IP4_ICMP_ERROR = 33;
    static final int COUNT = 34;

    static final int ICMP6_PACKET_TOO_BIG = 2;
    static final int ICMP6_TIME_EXCEEDED = 3;
    static final int ICMP6_PARAMETER_PROBLEM = 4;

    final String name;
    final Engine engine;
    /** Ids of this node's error reasons in the engine's error counters, by the node's Error ordinal. */
    final int[] errors;

    /**
     * sr-localsid and the behavior nodes: a packet they drop or answer with an error reached a local SID
     * (its index is the buffer's target) and counts as that SID's bad traffic.
     */
    final boolean atSid;

    long calls;
    long vectors;
    long packets;
    long nanos;

    Node(Engine engine, String name, Enum<?>[] reasons) {
        this.engine = engine;
        this.name = name;
        this.errors = new int[reasons.length];
        this.atSid = this instanceof SrLocalSid || this instanceof Endpoint || this instanceof Decap;
        for (int i = 0; i < reasons.length; i++) {
            errors[i] = engine.registerError(name, reasons[i].toString());
        }
    }

    /** Sets {@code next[k]} for each of the {@code n} buffers in {@code vector}. */
    abstract void process(Fib fib, Buffers b, int[] vector, int n, int[] next);

    /**
     * Drops buffer {@code buf} with this node's reason and asks ip6-icmp-error to answer its source
     * with an ICMPv6 error of {@code type} and {@code code} (RFC 4443); {@code pointer} is the
     * Parameter Problem pointer, an offset into the invoking packet.
     */
    final int icmp(Buffers b, int buf, Enum<?> reason, int type, int code, int pointer) {
        mark(b, buf, reason);
        b.icmpTypeCode[buf] = (type << 8) | code;
        b.icmpPointer[buf] = pointer;
        return IP6_ICMP_ERROR;
    }

    /**
     * Drops buffer {@code buf} with this node's reason and asks ip4-icmp-error to answer its IPv4
     * source with an ICMP error of {@code type} and {@code code} (RFC 792); {@code word} is the 32-bit
     * field after the checksum (Fragmentation Needed: the next-hop MTU, RFC 1191).
     */
    final int icmp4(Buffers b, int buf, Enum<?> reason, int type, int code, int word) {
        mark(b, buf, reason);
        b.icmpTypeCode[buf] = (type << 8) | code;
        b.icmpPointer[buf] = word;
        return IP4_ICMP_ERROR;
    }

    /** Marks buffer {@code buf} for error-drop with this node's reason. */
    final int drop(Buffers b, int buf, Enum<?> reason) {
        mark(b, buf, reason);
        return ERROR_DROP;
    }

    /** The drop's reason; at a SID, the packet also counts as that SID's bad traffic. */
    private void mark(Buffers b, int buf, Enum<?> reason) {
        b.error[buf] = errors[reason.ordinal()];
        if (atSid) {
            engine.countSidBad(b.target[buf], b.length[buf]);
        }
    }
}
