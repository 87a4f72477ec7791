package dev.srv6sh.dataplane;

/**
 * A graph node: takes a vector of buffer indices, decides each packet's next node, and never
 * allocates. The dispatcher calls {@link #process} once per vector (one virtual call per vector, none
 * per packet) and moves the packets to their next nodes as whole vectors.
 */
abstract class Node {
    // Node ids: the dispatcher's index into its pending vectors. It runs them in this order, with the
    // behaviors' nodes right after sr-localsid (dispatchOrder), so a node mostly sees the packets of
    // all nodes before it in one vector.
    static final int ETHERNET_INPUT = 0;
    static final int ARP_INPUT = 1;
    static final int IP4_INPUT = 2;
    static final int IP6_INPUT = 3;
    static final int IP6_ND = 4;
    static final int IP4_LOOKUP = 5;
    static final int IP6_LOOKUP = 6;
    static final int SR_LOCALSID = 7;
    static final int ENCAPS = 8;
    static final int ENCAPS_L2 = 9;
    static final int INSERT = 10;
    static final int IP4_LOCAL = 11;
    static final int IP6_LOCAL = 12;
    static final int IP4_REWRITE = 13;
    static final int IP6_REWRITE = 14;
    static final int IP4_GLEAN = 15;
    static final int IP6_GLEAN = 16;
    static final int INTERFACE_OUTPUT = 17;
    static final int ERROR_DROP = 18;
    static final int IP6_ICMP_ERROR = 19;
    static final int IP4_ICMP_ERROR = 20;
    /** The nodes above; behavior i of {@link Behaviors} runs in node FIXED + i. */
    static final int FIXED = 21;

    /** How many nodes a graph has: the fixed ones and one per behavior. */
    static int count() {
        return FIXED + Behaviors.count();
    }

    /** Whether node {@code id} runs a behavior. */
    static boolean isBehavior(int id) {
        return id >= FIXED;
    }

    /**
     * The order the dispatcher runs the nodes in: up to sr-localsid, the behaviors it feeds, then the
     * rest, so the packets of one vector meet again downstream of their behaviors.
     */
    static int[] dispatchOrder() {
        int[] order = new int[count()];
        int k = 0;
        for (int id = 0; id <= SR_LOCALSID; id++) {
            order[k++] = id;
        }
        for (int id = FIXED; id < order.length; id++) {
            order[k++] = id;
        }
        for (int id = SR_LOCALSID + 1; id < FIXED; id++) {
            order[k++] = id;
        }
        return order;
    }

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
    /**
     * The time spent in this node on the passes the engine timed after its first calls, and the
     * packets of those passes.
     */
    long nanos;

    long timedPackets;
    /** The time and packets of its first {@link Engine#ALWAYS_TIMED} calls, each timed. */
    long firstNanos;

    long firstPackets;
    int firstCalls;

    /**
     * The time spent in this node, estimated: its first calls' time as measured, and the rest's as
     * the sampled passes' mean (the engine times one pass in {@link Engine#TIMED_EVERY}) times its
     * packets; so that the first calls, cold (interpreted, their data not in cache), weigh once.
     */
    long nanos() {
        long rest = packets - firstPackets;
        if (rest <= 0) {
            return firstNanos;
        }
        if (timedPackets == 0) {
            return firstPackets == 0 ? 0 : Math.round((double) firstNanos * packets / firstPackets);
        }
        return firstNanos + Math.round((double) nanos * rest / timedPackets);
    }

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
        if ((b.flags[buf] & Buffers.LEARN_ONLY) != 0) {
            // a worker's copy of an ARP or ND frame: the worker that answers it counts its drop, so
            // that the router's summed errors count a frame on the wire once; the copy is consumed
            engine.resolution().consumed++;
            b.release(buf);
            return -1;
        }
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
