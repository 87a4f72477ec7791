package dev.srv6sh.dataplane.port.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The classic BPF programs that split a device's frames between a worker's fanout socket and its
 * resolution socket, run over frames as the kernel would (the instructions they use, simulated): each
 * frame goes to exactly one of the two, ARP and NS/NA to the resolution socket, and no frame the
 * device sends reaches it. AfPacketWorkersTest runs them in the kernel.
 */
class BpfTest {
    /** An Ethernet frame of {@code type} with {@code payload} behind its header. */
    static byte[] frame(int type, byte[] payload) {
        byte[] f = new byte[14 + payload.length];
        Arrays.fill(f, 0, 12, (byte) 0x02);
        f[12] = (byte) (type >>> 8);
        f[13] = (byte) type;
        System.arraycopy(payload, 0, f, 14, payload.length);
        return f;
    }

    /** An IPv6 packet whose next header is {@code next}, its first payload byte {@code first}. */
    static byte[] ip6(int next, int first, int payload) {
        byte[] p = new byte[40 + payload];
        p[0] = 0x60;
        p[4] = (byte) (payload >>> 8);
        p[5] = (byte) payload;
        p[6] = (byte) next;
        p[7] = (byte) 255;
        if (payload > 0) {
            p[40] = (byte) first;
        }
        return p;
    }

    static final byte[] ARP = frame(0x0806, new byte[28]);
    static final byte[] NS = frame(0x86dd, ip6(58, 135, 24));
    static final byte[] NA = frame(0x86dd, ip6(58, 136, 24));
    static final byte[] ECHO6 = frame(0x86dd, ip6(58, 128, 16));
    static final byte[] ROUTER_SOLICITATION = frame(0x86dd, ip6(58, 133, 8));
    static final byte[] UDP6 = frame(0x86dd, ip6(17, 0x12, 16));
    static final byte[] SRV6 = frame(0x86dd, ip6(43, 4, 40));
    static final byte[] IP4 = frame(0x0800, new byte[40]);
    static final byte[] OTHER = frame(0x88cc, new byte[46]); // LLDP

    @Test
    void resolutionTakesArpAndNsNaOnly() {
        for (byte[] f : new byte[][] {ARP, NS, NA}) {
            assertThat(Bpf.accepts(Bpf.RESOLUTION, f, false)).isTrue();
            assertThat(Bpf.accepts(Bpf.ALL_BUT_RESOLUTION, f, false)).isFalse();
        }
        for (byte[] f : new byte[][] {ECHO6, ROUTER_SOLICITATION, UDP6, SRV6, IP4, OTHER}) {
            assertThat(Bpf.accepts(Bpf.RESOLUTION, f, false)).isFalse();
            assertThat(Bpf.accepts(Bpf.ALL_BUT_RESOLUTION, f, false)).isTrue();
        }
    }

    @Test
    void theResolutionSocketNeverSeesWhatTheDeviceSends() {
        for (byte[] f : new byte[][] {ARP, NS, NA}) {
            assertThat(Bpf.accepts(Bpf.RESOLUTION, f, true)).isFalse();
        }
    }

    @Test
    void aFrameCutShortOfWhatAFilterReadsIsRefused() {
        byte[] shortIp6 = Arrays.copyOf(NS, 14 + 40); // the ICMPv6 type is past its end
        assertThat(Bpf.accepts(Bpf.RESOLUTION, shortIp6, false)).isFalse();
        assertThat(Bpf.accepts(Bpf.ALL_BUT_RESOLUTION, shortIp6, false)).isFalse();
        assertThat(Bpf.accepts(Bpf.NONE, IP4, false)).isFalse();
    }

    @Test
    void everyJumpLandsInsideItsProgram() {
        for (long[] program : new long[][] {Bpf.NONE, Bpf.RESOLUTION, Bpf.ALL_BUT_RESOLUTION}) {
            for (int pc = 0; pc < program.length; pc++) {
                short code = (short) (program[pc] & 0xffff);
                if (code == 0x15) {
                    int jt = (int) (program[pc] >>> 16) & 0xff;
                    int jf = (int) (program[pc] >>> 24) & 0xff;
                    assertThat(pc + 1 + Math.max(jt, jf)).isLessThan(program.length);
                }
            }
            assertThat(program[program.length - 1] & 0xffff)
                    .as("the last instruction returns")
                    .isEqualTo(0x06);
        }
    }
}
