package dev.srv6sh.dataplane.port.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The classic BPF socket filters ({@code SO_ATTACH_FILTER}) that split a device's frames between the
 * AF_PACKET sockets of a router with several workers ({@link Fanout}): the kernel runs them before a
 * frame is copied to the socket, so a frame a filter refuses costs the socket nothing. Each program
 * is a few {@code struct sock_filter} of its own, read from the frame's Ethernet header on: the
 * kernel hands a {@code SOCK_RAW} packet socket's filter the frame from its MAC header, with a VLAN
 * tag the device took off already out of it.
 *
 * <p>"Resolution" is what a neighbor table learns from: ARP (EtherType 0x0806), and ICMPv6 Neighbor
 * Solicitations and Advertisements (types 135 and 136) right behind the IPv6 header, as ip6-input
 * hands to ip6-nd (an NS or NA with an extension header before it is no valid one: RFC 4861 sends
 * them with hop limit 255 and none).
 */
final class Bpf {
    // <linux/filter.h>, <linux/bpf_common.h>
    private static final short LD_W_ABS = 0x20;
    private static final short LD_H_ABS = 0x28;
    private static final short LD_B_ABS = 0x30;
    private static final short JEQ_K = 0x15;
    private static final short RET_K = 0x06;
    /** SKF_AD_OFF + SKF_AD_PKTTYPE: the ancillary load of the frame's packet type. */
    private static final int PKTTYPE = -0x1000 + 4;

    private static final int ACCEPT = -1; // the whole frame
    private static final int REJECT = 0;
    static final int SOL_SOCKET = 1;
    static final int SO_ATTACH_FILTER = 26;

    private Bpf() {}

    /** One instruction: {@code code}, the jumps if true and if false (from the next one), {@code k}. */
    private static long insn(short code, int jt, int jf, int k) {
        return (code & 0xffffL) | (long) (jt & 0xff) << 16 | (long) (jf & 0xff) << 24 | (k & 0xffff_ffffL) << 32;
    }

    /** Nothing: what a socket takes while it is set up (bound, before it joins its fanout group). */
    static final long[] NONE = {insn(RET_K, 0, 0, REJECT)};

    /** ARP and NS/NA only, and none the device sends ({@code PACKET_OUTGOING}, 4). */
    static final long[] RESOLUTION = {
        insn(LD_W_ABS, 0, 0, PKTTYPE), // 0
        insn(JEQ_K, 9, 0, 4), // 1: outgoing → reject
        insn(LD_H_ABS, 0, 0, 12), // 2: EtherType
        insn(JEQ_K, 6, 0, 0x0806), // 3: ARP → accept
        insn(JEQ_K, 0, 6, 0x86dd), // 4: not IPv6 → reject
        insn(LD_B_ABS, 0, 0, 14 + 6), // 5: next header
        insn(JEQ_K, 0, 4, 58), // 6: not ICMPv6 → reject
        insn(LD_B_ABS, 0, 0, 14 + 40), // 7: ICMPv6 type
        insn(JEQ_K, 1, 0, 135), // 8: NS → accept
        insn(JEQ_K, 0, 1, 136), // 9: NA → accept, else reject
        insn(RET_K, 0, 0, ACCEPT), // 10
        insn(RET_K, 0, 0, REJECT) // 11
    };

    /** Every frame but ARP and NS/NA: what a worker's fanout socket takes. */
    static final long[] ALL_BUT_RESOLUTION = {
        insn(LD_H_ABS, 0, 0, 12), // 0: EtherType
        insn(JEQ_K, 7, 0, 0x0806), // 1: ARP → reject
        insn(JEQ_K, 0, 5, 0x86dd), // 2: not IPv6 → accept
        insn(LD_B_ABS, 0, 0, 14 + 6), // 3: next header
        insn(JEQ_K, 0, 3, 58), // 4: not ICMPv6 → accept
        insn(LD_B_ABS, 0, 0, 14 + 40), // 5: ICMPv6 type
        insn(JEQ_K, 2, 0, 135), // 6: NS → reject
        insn(JEQ_K, 1, 0, 136), // 7: NA → reject, else accept
        insn(RET_K, 0, 0, ACCEPT), // 8
        insn(RET_K, 0, 0, REJECT) // 9
    };

    /** Attaches {@code program} to socket {@code fd}, replacing the filter it had. */
    static void attach(Libc libc, int fd, long[] program, String what) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment code = a.allocate(8L * program.length, 8);
            for (int i = 0; i < program.length; i++) {
                code.set(JAVA_LONG, 8L * i, program[i]); // little-endian: code, jt, jf, then k
            }
            MemorySegment prog = a.allocate(16, 8); // struct sock_fprog: len, then the pointer
            prog.set(JAVA_SHORT, 0, (short) program.length);
            prog.set(JAVA_LONG, 8, code.address());
            if (libc.setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, prog, 16) < 0) {
                throw new ErrnoException(
                        "cannot attach its " + what + " filter (SO_ATTACH_FILTER)", libc.error(), null);
            }
        }
    }

    /**
     * Runs {@code program} over {@code frame} as the kernel would for a frame received ({@code
     * outgoing} false) or sent: whether it accepts it. For tests of the programs (only the
     * instructions they use).
     */
    static boolean accepts(long[] program, byte[] frame, boolean outgoing) {
        int a = 0;
        for (int pc = 0; pc < program.length; pc++) {
            long insn = program[pc];
            short code = (short) (insn & 0xffff);
            int jt = (int) (insn >>> 16) & 0xff;
            int jf = (int) (insn >>> 24) & 0xff;
            int k = (int) (insn >>> 32);
            switch (code) {
                case LD_W_ABS, LD_H_ABS, LD_B_ABS -> {
                    if (k == PKTTYPE) {
                        a = outgoing ? 4 : 0;
                        continue;
                    }
                    int size = code == LD_W_ABS ? 4 : code == LD_H_ABS ? 2 : 1;
                    if (k < 0 || k + size > frame.length) {
                        return false; // a load past the frame ends the program with 0
                    }
                    MemorySegment f = MemorySegment.ofArray(frame);
                    a = size == 1
                            ? f.get(JAVA_BYTE, k) & 0xff
                            : size == 2
                                    ? ((frame[k] & 0xff) << 8 | (frame[k + 1] & 0xff))
                                    : Integer.reverseBytes(f.get(JAVA_INT.withByteAlignment(1), k));
                }
                case JEQ_K -> pc += a == k ? jt : jf;
                case RET_K -> {
                    return k != 0;
                }
                default -> throw new IllegalStateException("instruction " + code + " is not simulated");
            }
        }
        throw new IllegalStateException("the program runs off its end");
    }
}
