package dev.srv6sh.dataplane.port.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The XDP program that hands a device's frames to srv6sh's AF_XDP sockets, loaded and attached with
 * the {@code bpf(2)} system call alone (no libbpf, no compiler: the program is six instructions, written
 * here). One per device and network namespace, shared by every {@link AfXdpPort} on the device (one per
 * receive queue, a worker each) and detached when the last of them closes.
 *
 * <h2>The program</h2>
 *
 * <pre>
 *   r2 = *(u32 *)(r1 + 16)        ; ctx-&gt;rx_queue_index
 *   r1 = map fd (the XSKMAP)      ; ld_imm64, BPF_PSEUDO_MAP_FD
 *   r3 = XDP_PASS                 ; what the helper returns when no socket serves the queue
 *   call bpf_redirect_map         ; helper 51: the socket at index rx_queue_index
 *   exit
 * </pre>
 *
 * Every frame of a queue whose socket is in the map goes to that socket; a queue without one (a port
 * drained, or not opened on it) goes on to the kernel's stack, as if no program were there.
 *
 * <h2>Attaching</h2>
 *
 * {@code BPF_LINK_CREATE} with {@code BPF_XDP} makes a link owned by a descriptor: the program is
 * detached when the descriptor closes, also when the process dies, so a killed router leaves no
 * program behind. Native mode ({@code XDP_FLAGS_DRV_MODE}: the driver runs the program on its receive
 * path, before any socket buffer is made) is asked first; a driver that refuses it (no native XDP; a
 * veth whose peer's MTU is larger than a page allows) gets generic mode ({@code XDP_FLAGS_SKB_MODE},
 * after the socket buffer is made), and {@link #mode} says which, and why.
 *
 * <p>The program is not loaded as able to take multi-buffer frames ({@code BPF_F_XDP_HAS_FRAGS}):
 * so a veth in native mode turns its peer's large sends (GSO) off, and every frame fits a buffer.
 */
public final class XdpRedirect {
    // <linux/bpf.h>
    static final int BPF_MAP_CREATE = 0;
    static final int BPF_MAP_UPDATE_ELEM = 2;
    static final int BPF_MAP_DELETE_ELEM = 3;
    static final int BPF_PROG_LOAD = 5;
    static final int BPF_LINK_CREATE = 28;
    static final int BPF_MAP_TYPE_XSKMAP = 17;
    static final int BPF_PROG_TYPE_XDP = 6;
    static final int BPF_XDP = 37;
    static final int XDP_PASS = 2;
    static final int BPF_FUNC_REDIRECT_MAP = 51;
    // <linux/if_link.h>
    static final int XDP_FLAGS_SKB_MODE = 1 << 1;
    static final int XDP_FLAGS_DRV_MODE = 1 << 2;
    /** The size of the {@code union bpf_attr} passed: every field used lies below it, the rest zero. */
    static final int ATTR_SIZE = 128;
    /** Queues the map has room for: a socket per receive queue. */
    static final int MAX_QUEUES = 64;

    private static final int LOG_SIZE = 64 * 1024;

    /** How the program runs on the device. */
    public enum Mode {
        /** In the driver, before a socket buffer is made ({@code XDP_FLAGS_DRV_MODE}). */
        NATIVE,
        /** After the socket buffer is made, for drivers without native XDP ({@code XDP_FLAGS_SKB_MODE}). */
        GENERIC;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Map<String, XdpRedirect> ATTACHED = new HashMap<>();

    private final String key;
    /** Whether ARP and NS/NA go to the kernel (a router of several workers) rather than to the sockets. */
    private final boolean resolutionToKernel;

    private final String device;
    private final int ifindex;
    private final Mode mode;
    private final String why;
    private final int mapFd;
    private final int progFd;
    private final int linkFd;
    private final Arena arena = Arena.ofShared();
    private final Libc libc = new Libc(arena);
    private final MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
    private final MemorySegment key4 = arena.allocate(4, 4);
    private final MemorySegment value4 = arena.allocate(4, 4);
    private int users;

    private XdpRedirect(
            String key,
            String device,
            int ifindex,
            Mode mode,
            String why,
            int mapFd,
            int progFd,
            int linkFd,
            boolean resolutionToKernel) {
        this.resolutionToKernel = resolutionToKernel;
        this.key = key;
        this.device = device;
        this.ifindex = ifindex;
        this.mode = mode;
        this.why = why;
        this.mapFd = mapFd;
        this.progFd = progFd;
        this.linkFd = linkFd;
    }

    /**
     * The program on {@code device} ({@code ifindex} in the calling thread's network namespace):
     * the one attached already by this process, or a new one loaded and attached now. Each call is a
     * user, to {@link #release} once.
     */
    static synchronized XdpRedirect acquire(String device, int ifindex) throws ErrnoException {
        return acquire(device, ifindex, false);
    }

    /**
     * As {@link #acquire(String, int)}; with {@code resolutionToKernel}, the program passes ARP and
     * IPv6 neighbor solicitations and advertisements to the kernel instead (where the packet sockets
     * of a router of several workers take them, so that every worker learns: see {@link
     * AfXdpPort#open(String, int, BufferPool, boolean)}). Every port of a device asks for the same.
     */
    static synchronized XdpRedirect acquire(String device, int ifindex, boolean resolutionToKernel)
            throws ErrnoException {
        String key = namespace() + "/" + ifindex;
        XdpRedirect r = ATTACHED.get(key);
        if (r == null) {
            r = attach(key, device, ifindex, resolutionToKernel);
            ATTACHED.put(key, r);
        } else if (r.resolutionToKernel != resolutionToKernel) {
            throw new ErrnoException(
                    "its XDP program is there already for " + (r.resolutionToKernel ? "several workers" : "one worker"),
                    new Errno(Errno.EBUSY),
                    "every port of a device must be opened for the same workers");
        }
        r.users++;
        return r;
    }

    /**
     * A program attached to {@code device} outside this process's sharing, as another program's would
     * be: for tests of what a port meets on a device that has one.
     */
    static XdpRedirect attachForTest(String device) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            int ifindex = new Libc(a).ifNameToIndex(device);
            XdpRedirect r = attach("unshared/" + device, device, ifindex, false);
            r.users = 1;
            return r;
        }
    }

    /** The calling thread's network namespace, as {@code net:[INODE]}: a device index is only unique in one. */
    static String namespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "net:?";
        }
    }

    private static XdpRedirect attach(String key, String device, int ifindex, boolean resolutionToKernel)
            throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            Libc libc = new Libc(a);
            long sys = bpfSyscall();
            MemorySegment attr = a.allocate(ATTR_SIZE, 8);
            // the map: queue index -> socket
            attr.set(JAVA_INT, 0, BPF_MAP_TYPE_XSKMAP);
            attr.set(JAVA_INT, 4, 4); // key size
            attr.set(JAVA_INT, 8, 4); // value size: a socket's descriptor
            attr.set(JAVA_INT, 12, MAX_QUEUES);
            name(attr, 28, "srv6sh_xsks");
            int map = (int) libc.syscall(sys, BPF_MAP_CREATE, attr.address(), ATTR_SIZE);
            if (map < 0) {
                Errno e = libc.error();
                throw new ErrnoException(
                        "cannot create its XSKMAP (bpf BPF_MAP_CREATE)",
                        e,
                        e.code() == Errno.EPERM ? "needs CAP_BPF and CAP_NET_ADMIN (or root)" : null);
            }
            int prog = -1;
            boolean done = false;
            try {
                prog = load(libc, sys, a, map, resolutionToKernel);
                // native first; a driver without it, or a veth whose peer's MTU is too large, refuses
                attr.fill((byte) 0);
                attr.set(JAVA_INT, 0, prog);
                attr.set(JAVA_INT, 4, ifindex);
                attr.set(JAVA_INT, 8, BPF_XDP);
                attr.set(JAVA_INT, 12, XDP_FLAGS_DRV_MODE);
                int link = (int) libc.syscall(sys, BPF_LINK_CREATE, attr.address(), ATTR_SIZE);
                Mode mode = Mode.NATIVE;
                String why = null;
                if (link < 0) {
                    Errno native_ = libc.error();
                    if (native_.code() == Errno.EBUSY || native_.code() == 17 /* EEXIST */) {
                        throw busy(native_);
                    }
                    attr.set(JAVA_INT, 12, XDP_FLAGS_SKB_MODE);
                    link = (int) libc.syscall(sys, BPF_LINK_CREATE, attr.address(), ATTR_SIZE);
                    if (link < 0) {
                        Errno e = libc.error();
                        throw e.code() == Errno.EBUSY || e.code() == 17
                                ? busy(e)
                                : new ErrnoException(
                                        "cannot attach its XDP program (bpf BPF_LINK_CREATE)",
                                        e,
                                        e.code() == Errno.EINVAL ? "XDP links need Linux 5.9 or later" : null);
                    }
                    mode = Mode.GENERIC;
                    why = "the driver refused native XDP: " + native_
                            + (native_.code() == 34 ? " (a veth whose peer's MTU is more than a page holds)" : "");
                }
                done = true;
                return new XdpRedirect(key, device, ifindex, mode, why, map, prog, link, resolutionToKernel);
            } finally {
                if (!done) {
                    if (prog >= 0) {
                        libc.close(prog);
                    }
                    libc.close(map);
                }
            }
        }
    }

    private static ErrnoException busy(Errno e) {
        return new ErrnoException(
                "cannot attach its XDP program",
                e,
                "the device has an XDP program of another's already (ip link show; xdp-loader unload)");
    }

    /**
     * Loads the program with {@code map}'s descriptor in its ld_imm64; the verifier's log in the error
     * if refused. With {@code resolutionToKernel}, the redirect is preceded by a look at the frame:
     *
     * <pre>
     *   r6 = r1; r2 = ctx-&gt;data; r3 = ctx-&gt;data_end
     *   if data + 14 &gt; data_end goto redirect
     *   r5 = ethertype; if r5 == ARP goto pass; if r5 != IPv6 goto redirect
     *   if data + 55 &gt; data_end goto redirect
     *   if next header != 58 (ICMPv6) goto redirect
     *   if type == 135 or type == 136 goto pass      ; NS, NA
     * redirect: the program above (on r6)
     * pass:     return XDP_PASS
     * </pre>
     *
     * (An NS or NA behind an extension header goes to the sockets: neighbor discovery sends none.)
     */
    private static int load(Libc libc, long sys, Arena a, int map, boolean resolutionToKernel) throws ErrnoException {
        int[][] program = resolutionToKernel ? resolutionProgram(map) : redirectProgram(map, 1);
        MemorySegment insns = a.allocate(8L * program.length, 8);
        for (int i = 0; i < program.length; i++) {
            int[] p = program[i];
            insn(insns, i, p[0], p[1], p[2], p[3], p[4]);
        }
        MemorySegment license = a.allocateFrom("Dual BSD/GPL");
        MemorySegment log = a.allocate(LOG_SIZE, 8);
        MemorySegment attr = a.allocate(ATTR_SIZE, 8);
        attr.set(JAVA_INT, 0, BPF_PROG_TYPE_XDP);
        attr.set(JAVA_INT, 4, program.length);
        attr.set(JAVA_LONG, 8, insns.address());
        attr.set(JAVA_LONG, 16, license.address());
        attr.set(JAVA_INT, 24, 1); // log level
        attr.set(JAVA_INT, 28, LOG_SIZE);
        attr.set(JAVA_LONG, 32, log.address());
        name(attr, 48, "srv6sh_xsk");
        attr.set(JAVA_INT, 68, BPF_XDP); // expected attach type
        int prog = (int) libc.syscall(sys, BPF_PROG_LOAD, attr.address(), ATTR_SIZE);
        if (prog < 0) {
            Errno e = libc.error();
            String verifier = log.getString(0).strip();
            throw new ErrnoException(
                    "cannot load its XDP program (bpf BPF_PROG_LOAD)",
                    e,
                    e.code() == Errno.EPERM
                            ? "needs CAP_BPF and CAP_NET_ADMIN (or root)"
                            : verifier.isEmpty() ? null : "the verifier says: " + verifier.replace('\n', ' '));
        }
        return prog;
    }

    /** The redirect: each frame to the socket of its receive queue, with the context in register {@code ctx}. */
    static int[][] redirectProgram(int map, int ctx) {
        return new int[][] {
            {0x61, 2, ctx, 16, 0}, // r2 = *(u32 *)(ctx + 16): rx_queue_index
            {0x18, 1, 1, 0, map}, // r1 = map (ld_imm64, src 1: BPF_PSEUDO_MAP_FD)
            {0x00, 0, 0, 0, 0}, //    its upper half
            {0xb7, 3, 0, 0, XDP_PASS}, // r3 = XDP_PASS: no socket for the queue
            {0x85, 0, 0, 0, BPF_FUNC_REDIRECT_MAP}, // call bpf_redirect_map
            {0x95, 0, 0, 0, 0}, // exit
        };
    }

    /** ARP and NS/NA to the kernel, everything else redirected (see {@link #load}). */
    static int[][] resolutionProgram(int map) {
        int[][] head = {
            {0xbf, 6, 1, 0, 0}, //  0: r6 = r1
            {0x61, 2, 6, 0, 0}, //  1: r2 = ctx->data
            {0x61, 3, 6, 4, 0}, //  2: r3 = ctx->data_end
            {0xbf, 4, 2, 0, 0}, //  3: r4 = r2
            {0x07, 4, 0, 0, 14}, //  4: r4 += 14
            {0x2d, 4, 3, 11, 0}, //  5: if r4 > r3 goto 17 (redirect)
            {0x69, 5, 2, 12, 0}, //  6: r5 = *(u16 *)(r2 + 12): the ethertype, as loaded (little-endian)
            {0x15, 5, 0, 15, 0x0608}, //  7: if r5 == ARP goto 23 (pass)
            {0x55, 5, 0, 8, 0xdd86}, //  8: if r5 != IPv6 goto 17
            {0xbf, 4, 2, 0, 0}, //  9: r4 = r2
            {0x07, 4, 0, 0, 55}, // 10: r4 += 55: Ethernet, IPv6, the ICMPv6 type
            {0x2d, 4, 3, 5, 0}, // 11: if r4 > r3 goto 17
            {0x71, 5, 2, 20, 0}, // 12: r5 = *(u8 *)(r2 + 20): next header
            {0x55, 5, 0, 3, 58}, // 13: if r5 != ICMPv6 goto 17
            {0x71, 5, 2, 54, 0}, // 14: r5 = *(u8 *)(r2 + 54): ICMPv6 type
            {0x15, 5, 0, 7, 135}, // 15: if r5 == NS goto 23
            {0x15, 5, 0, 6, 136}, // 16: if r5 == NA goto 23
        };
        int[][] redirect = redirectProgram(map, 6); // 17..22
        int[][] pass = {
            {0xb7, 0, 0, 0, XDP_PASS}, // 23: r0 = XDP_PASS
            {0x95, 0, 0, 0, 0}, // 24: exit
        };
        int[][] all = new int[head.length + redirect.length + pass.length][];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(redirect, 0, all, head.length, redirect.length);
        System.arraycopy(pass, 0, all, head.length + redirect.length, pass.length);
        return all;
    }

    private static void insn(MemorySegment insns, int i, int code, int dst, int src, int off, int imm) {
        long at = 8L * i;
        insns.set(JAVA_BYTE, at, (byte) code);
        insns.set(JAVA_BYTE, at + 1, (byte) ((src << 4) | dst));
        insns.set(JAVA_SHORT, at + 2, (short) off);
        insns.set(JAVA_INT, at + 4, imm);
    }

    private static void name(MemorySegment attr, long at, String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(b, 0, attr, JAVA_BYTE, at, Math.min(b.length, 15));
    }

    /** {@code __NR_bpf} on this machine's architecture. */
    static long bpfSyscall() throws ErrnoException {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 321;
            case "aarch64", "arm64" -> 280;
            default ->
                throw new ErrnoException(
                        "cannot load an XDP program on " + System.getProperty("os.arch"),
                        new Errno(38),
                        "af_xdp knows the bpf system call's number on x86-64 and AArch64 only");
        };
    }

    /** Puts the socket {@code fd} in the map for {@code queue}: that queue's frames go to it from now on. */
    synchronized void serve(int queue, int fd) throws ErrnoException {
        if (queue < 0 || queue >= MAX_QUEUES) {
            throw new ErrnoException(
                    "queue " + queue + " is out of 0.." + (MAX_QUEUES - 1), new Errno(Errno.EINVAL), null);
        }
        key4.set(JAVA_INT, 0, queue);
        value4.set(JAVA_INT, 0, fd);
        attr.fill((byte) 0);
        attr.set(JAVA_INT, 0, mapFd);
        attr.set(JAVA_LONG, 8, key4.address());
        attr.set(JAVA_LONG, 16, value4.address());
        if (libc.syscall(bpfSyscall(), BPF_MAP_UPDATE_ELEM, attr.address(), ATTR_SIZE) < 0) {
            throw new ErrnoException("cannot hand queue " + queue + " to its socket (XSKMAP)", libc.error(), null);
        }
    }

    /** How the program runs: native, or generic. */
    public Mode mode() {
        return mode;
    }

    /** Why the program runs in generic mode, or null when native. */
    public String why() {
        return why;
    }

    /** The device's index. */
    int ifindex() {
        return ifindex;
    }

    /** One user less; the last one detaches the program (closing its link) and frees the map. */
    synchronized void release() {
        synchronized (XdpRedirect.class) {
            if (--users > 0) {
                return;
            }
            ATTACHED.remove(key);
            // detached before another port of the device may attach anew (which the old link would refuse)
            libc.close(linkFd);
        }
        libc.close(progFd);
        libc.close(mapFd);
        arena.close();
    }

    @Override
    public String toString() {
        return "XDP on " + device + " (" + mode.text() + ")";
    }
}
