package dev.srv6sh.dataplane.port.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.srv6sh.dataplane.Gso;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.port.BufferPool;
import dev.srv6sh.dataplane.port.PortCounters;
import dev.srv6sh.dataplane.port.PortException;
import dev.srv6sh.dataplane.port.RxBurst;
import dev.srv6sh.dataplane.port.TxBurst;
import dev.srv6sh.dataplane.proto.Bytes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A port on a named Linux network device through an {@code AF_PACKET} socket and its memory-mapped
 * rings ({@code PACKET_MMAP}): frames received in a {@code TPACKET_V2} receive ring, a slot per frame
 * (driver {@code af_packet}, the default), or in a {@code TPACKET_V3} ring of blocks (driver {@code
 * af_packet_v3}, {@link Mode#V3}), transmitted through a transmit ring with one {@code sendto} per
 * burst. Nothing allocates after {@link #open}.
 *
 * <h2>The socket</h2>
 *
 * {@code socket(AF_PACKET, SOCK_RAW, 0)}: protocol 0 receives nothing until {@code bind} names the
 * device with {@code ETH_P_ALL}, so no frame of another device ever lands in the ring. Then:
 *
 * <ul>
 *   <li>{@code PACKET_VERSION} {@code TPACKET_V2} (or {@code TPACKET_V3}), for both rings: the
 *       version is the socket's, so the transmit ring's slots have that version's header;
 *   <li>{@code PACKET_VNET_HDR}: each received frame comes with the {@code virtio_net_hdr} that says
 *       what the kernel left to offload (a checksum, a large TCP or UDP send), which {@link Offload}
 *       finishes; transmitted frames carry an empty one;
 *   <li>{@code PACKET_LOSS}: a frame the kernel refuses to send is skipped, not left to stall the ring;
 *   <li>{@code PACKET_COPY_THRESH}: a frame too large for a receive slot (a large send) is queued
 *       whole on the socket as well, its slot marked {@code TP_STATUS_COPY}, and read from there;
 *   <li>{@code PACKET_IGNORE_OUTGOING}: the socket does not see frames leaving the device, its own
 *       or the kernel's (a frame that still shows as {@code PACKET_OUTGOING} is skipped too);
 *   <li>{@code PACKET_QDISC_BYPASS} where the kernel allows it: frames go to the driver directly, as
 *       a router wants (its own queues are the engine's);
 *   <li>{@code PACKET_ADD_MEMBERSHIP} {@code PACKET_MR_ALLMULTI}, not promiscuous: unicast frames
 *       reach the socket because the interface has the device's own MAC ({@link #mac}), but IPv6
 *       neighbor discovery asks for the engine's addresses on solicited-node multicast groups the
 *       kernel has not joined (the addresses are the engine's, not the kernel's), which a NIC's
 *       filter would drop. All-multicast lets them through and costs nothing on veth.
 * </ul>
 *
 * <h2>Rings</h2>
 *
 * Receive: {@value #RX_FRAMES} slots of {@value #RX_FRAME_SIZE} bytes (8 MiB, in {@value #RX_BLOCKS}
 * blocks of {@value #RX_BLOCK_SIZE} bytes), each with a status of its own: the kernel hands a frame
 * over, and wakes poll(2), as soon as it has written it, so a frame on a quiet link waits for nothing,
 * while under load {@link #receive} finds as many frames waiting as came since it last looked (4096
 * slots: several milliseconds of a busy 10G link while the engine runs a vector). A slot holds the
 * header, the virtio_net_hdr and the largest frame a buffer holds; a larger one (a 64 KiB large send
 * from a veth) is cut short in its slot and comes whole through the socket's queue ({@code
 * PACKET_COPY_THRESH}), in the same order, read with one {@code recv} into a 128 KiB area of the
 * port's and cut into segments from there. {@link #receive} copies each frame into a buffer of the
 * engine's pool (the one copy: the slot goes back to the kernel), finishing offloads on the way, and
 * gives the slot back.
 *
 * <p>Why V2 by default, not {@code TPACKET_V3}, whose variable-size frames fit a large send in its ring: V3 hands
 * frames over a block at a time, when the block is full or its retire timer fires (1 ms at the least),
 * and poll(2) wakes only then; it has no option to hand a block over early. On a quiet link every
 * frame waited for the timer in every router it crossed: pings through the netns quickstart's two
 * routers took 2.6 ms at the least, now 1.0 ms at five a second and 0.13 ms back to back
 * (docs/performance.md, "AF_PACKET latency"). A V2 slot per frame costs a status write per frame,
 * nothing next to the copy, and the copy through the socket's queue for a large send, which the
 * segmentation copies again anyway.
 *
 * <p>{@link Mode#V3} ({@code af_packet_v3}), for throughput where latency matters less: the same 64
 * blocks of 128 KiB, each frame packed after the last ({@code tpacket3_hdr}, walked by {@code
 * tp_next_offset}, a large send whole in its block), a block handed over when full or {@value
 * #RX_RETIRE_BLK_TOV_MS} ms after its first frame, and given back to the kernel only once {@link
 * #receive} has taken every frame of it (a large send cut over two bursts keeps its block). Under
 * load a wake-up finds a block or more of frames, with one status per block instead of one per frame;
 * on a quiet link each frame waits for the retire timer. Everything else (the options, the offloads
 * finished, the counters, the errors, the transmit ring) is the same code for both modes, driven by
 * the version's header layout ({@link Header}).
 *
 * <p>Transmit: {@value #TX_BLOCKS} blocks of {@value #TX_BLOCK_SIZE} bytes, fixed slots of {@value
 * #TX_FRAME_SIZE} bytes: a slot holds the 32-byte header, the 10-byte virtio_net_hdr and the largest
 * frame a buffer holds. {@link #transmit}
 * copies each frame of the burst into the next free slot, marks it for sending, and kicks the socket
 * once with {@code sendto(fd, NULL, 0, MSG_DONTWAIT)}; the engine frees every buffer on return. A full
 * ring (the device slower than the engine) counts the frames left over as tx errors.
 *
 * <h2>Workers</h2>
 *
 * A router that runs several workers (engines on threads of their own) opens a port per worker on the
 * same device ({@link #open(String, BufferPool, Mode, Fanout)}): each worker's socket joins the
 * device's {@code PACKET_FANOUT} group, so the kernel hands each flow to one worker's ring, and
 * refuses ARP and NS/NA, which a second socket of each worker takes ({@link ResolutionSocket}) so that
 * every worker's neighbor table hears them ({@link Fanout}). Rings, options, offloads and transmit
 * are as above, per socket. With one worker none of this is done.
 *
 * <h2>What it does not do</h2>
 *
 * It does not set the device up, nor give it addresses or turn the kernel's forwarding off on it:
 * the kernel still sees every frame the engine sees, so the device should be the router's alone
 * (the netns backend's devices are). A frame received with a VLAN tag the kernel took off ({@code
 * TP_STATUS_VLAN_VALID}) gets it back. A large send of a kind the kernel cannot describe in a
 * virtio_net_hdr (a tunnel's GSO) is dropped by the kernel itself before the ring.
 */
public final class AfPacketPort implements LinuxPort {
    /**
     * Where a frame header's fields are: {@code tpacket2_hdr} or {@code tpacket3_hdr} (whose
     * tp_vlan_tci is 32 bits, read as its low 16, little-endian); {@code length} is TPACKET_ALIGN of
     * its size, where the sockaddr_ll and a transmitted frame's data start.
     */
    record Header(
            int length,
            int status,
            int len,
            int snaplen,
            int mac,
            int net,
            int sec,
            int nsec,
            int vlanTci,
            int vlanTpid) {}

    /** The driver's name in configurations and errors, of the default mode ({@link Mode#V2}). */
    public static final String DRIVER = "af_packet";

    /**
     * How the receive ring hands frames over, and the layout of the frame header both rings use
     * ({@code PACKET_VERSION} is the socket's, for both): the two drivers of this port, on the same
     * devices with the same options, offloads, counters and errors.
     */
    public enum Mode {
        /**
         * {@code af_packet}: {@code TPACKET_V2}, a slot per frame, handed over (and poll(2) woken) as
         * soon as the kernel has written it: no wait on a quiet link. The default.
         */
        V2(DRIVER, TPACKET_V2, 16, new Header(32, 0, 4, 8, 12, 14, 16, 20, 24, 26)),
        /**
         * {@code af_packet_v3}: {@code TPACKET_V3}, frames packed into blocks handed over whole, when
         * full or {@value AfPacketPort#RX_RETIRE_BLK_TOV_MS} ms after their first frame: many frames per
         * wake-up under load, a wait of up to the retire timeout for a frame on a quiet link.
         */
        V3("af_packet_v3", TPACKET_V3, 28, new Header(48, 20, 16, 12, 24, 26, 4, 8, 32, 36));

        final String driver;
        final int version;
        /** The length of the ring request: {@code tpacket_req}, or {@code tpacket_req3}. */
        final int requestLength;

        final Header header;

        Mode(String driver, int version, int requestLength, Header header) {
            this.driver = driver;
            this.version = version;
            this.requestLength = requestLength;
            this.header = header;
        }

        /** The driver's name in configurations and errors: {@code af_packet}, {@code af_packet_v3}. */
        public String driver() {
            return driver;
        }

        /** The version's name, for errors: {@code TPACKET_V2}. */
        String versionName() {
            return "TPACKET_" + name();
        }
    }

    static final int RX_BLOCK_SIZE = 128 * 1024;
    static final int RX_BLOCKS = 64;
    /**
     * A slot: the 52-byte header, the virtio_net_hdr and the largest frame a buffer holds (a larger
     * one, a large send, comes whole through the socket's queue: {@code PACKET_COPY_THRESH}).
     */
    static final int RX_FRAME_SIZE = 2048;

    static final int RX_FRAMES = RX_BLOCK_SIZE / RX_FRAME_SIZE * RX_BLOCKS;

    /**
     * {@link Mode#V3}'s {@code tp_retire_blk_tov}: a block not yet full is handed over this many
     * milliseconds after its first frame (rounded up to a jiffy), which is what a frame on a quiet
     * link waits in every router it crosses. 1 is the least the kernel takes: 0 asks it to pick from
     * the device's speed, 8 ms on a veth, which reports none. A block (128 KiB) fills in about 100
     * µs at 1 Mpps of small frames, so under load blocks are handed over full and the timer is
     * never what paces them.
     */
    static final int RX_RETIRE_BLK_TOV_MS = 1;
    /** The largest frame the socket's queue hands over whole: a 64 KiB large send and its headers. */
    static final int COPY_ROOM = 128 * 1024;

    /**
     * The most IP bytes of a large send kept whole: room left under IPv6's 65,535-byte payload for an
     * encapsulation (40 bytes) with an SRH of up to 17 SIDs (8 + 16 × 17); Linux's TCP sends at most
     * 65,212 bytes of IP with its default GSO size. A larger one is cut into segments here.
     */
    static final int LARGE_MAX_L3 = 65_535 - 320;

    static final int TX_BLOCK_SIZE = 64 * 1024;
    static final int TX_BLOCKS = 32;
    static final int TX_FRAME_SIZE = 2112;
    static final int TX_FRAMES_PER_BLOCK = TX_BLOCK_SIZE / TX_FRAME_SIZE;
    static final int TX_FRAMES = TX_FRAMES_PER_BLOCK * TX_BLOCKS;

    // <linux/socket.h>, <linux/if_packet.h>, <linux/if_ether.h>, <sys/mman.h>
    static final int AF_PACKET = 17;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_PACKET = 263;
    static final int ETH_P_ALL = 0x0003;
    static final int PACKET_ADD_MEMBERSHIP = 1;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_COPY_THRESH = 7;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_VERSION = 10;
    static final int PACKET_TX_RING = 13;
    static final int PACKET_LOSS = 14;
    static final int PACKET_VNET_HDR = 15;
    static final int PACKET_QDISC_BYPASS = 20;
    static final int PACKET_IGNORE_OUTGOING = 23;
    static final int PACKET_MR_ALLMULTI = 2;
    static final int TPACKET_V2 = 1;
    static final int TPACKET_V3 = 2;
    static final int PACKET_OUTGOING = 4;
    static final int PROT_READ_WRITE = 0x3;
    static final int MAP_SHARED = 0x1;
    static final int MAP_POPULATE = 0x8000;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_TRUNC = 0x20;
    static final short POLLIN = 0x1;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUFFORCE = 33;
    static final int SO_SNDBUFFORCE = 32;

    static final int TP_STATUS_KERNEL = 0;
    static final int TP_STATUS_USER = 1;
    static final int TP_STATUS_COPY = 1 << 1;
    static final int TP_STATUS_LOSING = 1 << 2;
    static final int TP_STATUS_VLAN_VALID = 1 << 4;
    static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;
    static final int TP_STATUS_AVAILABLE = 0;
    static final int TP_STATUS_SEND_REQUEST = 1;

    // struct tpacket_block_desc (TPACKET_V3): version, offset_to_priv, then tpacket_hdr_v1
    static final int BLOCK_STATUS = 8;
    static final int BLOCK_NUM_PKTS = 12;
    static final int BLOCK_FIRST_PKT = 16;
    /** struct tpacket3_hdr's tp_next_offset: from a frame's header to the next one's in its block. */
    static final int TP_NEXT_OFFSET = 0;
    /** sll_pkttype in the sockaddr_ll that follows the header. */
    static final int SLL_PKTTYPE = 10;

    static final int VNET_HDR_LEN = 10;

    /** No VLAN tag to put back; a tag is its TPID and TCI, and a TPID is never 0xffff. */
    private static final int NO_TAG = -1;

    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String device;
    private final Mode mode;
    /** The layout of {@link #mode}'s frame headers. */
    private final Header h;

    private final BufferPool pool;
    private final MemorySegment memory;
    private final Arena arena;
    private final Libc libc;
    private final int fd;
    private final int mtu;
    private final MacAddress mac;
    private final long ringAddress;
    private final long ringSize;
    private final MemorySegment ring;
    private final long txBase;
    /** Where a transmitted frame's data starts in its slot: tp_hdrlen less the sockaddr_ll. */
    private final int txData;
    /** The largest frame a transmit slot holds. */
    private final int txRoom;

    private final MemorySegment pollfd;
    private final MemorySegment stats;
    private final MemorySegment statsLength;
    private final PortCounters counters = new PortCounters();

    /** A frame too large for a slot, read whole from the socket's queue with its virtio_net_hdr. */
    private final MemorySegment whole;

    /** A large send to transmit with its virtio_net_hdr in front, when its buffer's headroom is short. */
    private final MemorySegment largeScratch;

    // the receive side's place: the slot to read (V2), or the block to read, the frames left in it
    // and the next one's header (V3); how far into the frame the segments cut so far reached (a large
    // send cut over two bursts), and the length of its frame in whole once read from the socket's
    // queue (-1 before)
    private int head;
    private int block;
    private int left;
    private long packet;
    private int segment;
    private int copied = -1;
    /**
     * The large buffer a frame too large for its slot was read into from the socket's queue, while it
     * is being cut into segments (-1: none; a large send kept whole is the engine's at once).
     */
    private int copiedLarge = -1;

    private int txHead;
    /**
     * The worker's ARP and NS/NA socket on the device, when the router runs several workers ({@link
     * Fanout}); null with one.
     */
    private ResolutionSocket resolution;

    private long checksumsCompleted;
    private long sendsSegmented;
    /** Coalescing of the TCP segments of a burst ({@link Gro}), when the engine's pool has large buffers. */
    private final Gro gro;
    /** The walk of a large send's headers, to keep it whole or cut it at receive. */
    private final Gso gso = new Gso();

    private long sendsWhole;
    private long largeSent;
    /**
     * The socket large sends go out through with their virtio_net_hdr (a transmit ring's slots hold
     * frames of a buffer's size): bound to the device, it receives nothing.
     */
    private int largeFd = -1;

    private boolean closed;

    @SuppressWarnings("restricted") // the rings, mapped by mmap: their size is the kernel's
    private AfPacketPort(
            String device,
            Mode mode,
            BufferPool pool,
            Arena arena,
            Libc libc,
            int fd,
            int mtu,
            MacAddress mac,
            long ringAddress,
            long ringSize) {
        this.device = device;
        this.mode = mode;
        this.h = mode.header;
        this.pool = pool;
        this.memory = pool.memory();
        this.arena = arena;
        this.libc = libc;
        this.fd = fd;
        this.mtu = mtu;
        this.mac = mac;
        this.ringAddress = ringAddress;
        this.ringSize = ringSize;
        this.ring = MemorySegment.ofAddress(ringAddress).reinterpret(ringSize, arena, null);
        this.txBase = (long) RX_BLOCK_SIZE * RX_BLOCKS;
        this.txData = h.length();
        this.txRoom = TX_FRAME_SIZE - txData - VNET_HDR_LEN;
        this.pollfd = arena.allocate(16, 8);
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(JAVA_SHORT, 4, POLLIN);
        this.stats = arena.allocate(12, 8);
        this.statsLength = arena.allocate(4, 4);
        this.whole = arena.allocate(COPY_ROOM, 64);
        // only where a large send can be (a pool with large buffers): 66 KiB each port otherwise
        this.largeScratch =
                pool.hasLargeBuffers() ? arena.allocate(BufferPool.MAX_LARGE_FRAME + VNET_HDR_LEN, 64) : null;
        this.gro = new Gro(pool);
    }

    /**
     * Opens {@code device} (in the calling thread's network namespace) on the engine's pool. A
     * missing device, a missing capability ({@code CAP_NET_RAW}), a device that is not Ethernet: a
     * {@link PortException} naming the driver, the device, the step and the error. Receives through
     * {@link Mode#V2}.
     */
    public static AfPacketPort open(String device, BufferPool pool) throws PortException {
        return open(device, pool, Mode.V2);
    }

    /** As {@link #open(String, BufferPool)}, receiving through {@code mode}'s ring. */
    public static AfPacketPort open(String device, BufferPool pool, Mode mode) throws PortException {
        return open(device, pool, mode, null);
    }

    /**
     * As {@link #open(String, BufferPool, Mode)}, as the socket of one worker of several on the device
     * ({@code fanout}; null or one worker: a port of its own, as the others open): it joins the
     * workers' {@code PACKET_FANOUT} group, refuses ARP and NS/NA, and gets a second socket that takes
     * only those ({@link Fanout}). It takes no frame before it is in the group: a filter refusing
     * every frame is attached before the bind, and replaced once it joined.
     */
    public static AfPacketPort open(String device, BufferPool pool, Mode mode, Fanout fanout) throws PortException {
        boolean spread = fanout != null && fanout.spreads();
        String invalid = Netdev.invalidName(device);
        if (invalid != null) {
            throw PortException.driver(mode.driver, device, invalid, null);
        }
        Arena arena = Arena.ofShared();
        Libc libc = new Libc(arena);
        int fd = -1;
        long ring = -1;
        long ringSize = (long) RX_BLOCK_SIZE * RX_BLOCKS + (long) TX_BLOCK_SIZE * TX_BLOCKS;
        boolean opened = false;
        try {
            int ifindex = libc.ifNameToIndex(device);
            if (ifindex == 0) {
                throw new ErrnoException("", libc.error(), null);
            }
            fd = libc.socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                Errno e = libc.error();
                throw new ErrnoException(
                        "cannot open a packet socket",
                        e,
                        e.code() == Errno.EPERM || e.code() == Errno.EACCES ? "needs CAP_NET_RAW" : null);
            }
            MemorySegment scratch = arena.allocate(32, 8);
            option(libc, fd, PACKET_VERSION, mode.version, scratch, "PACKET_VERSION " + mode.versionName());
            option(libc, fd, PACKET_VNET_HDR, 1, scratch, "PACKET_VNET_HDR");
            option(libc, fd, PACKET_LOSS, 1, scratch, "PACKET_LOSS");
            option(libc, fd, PACKET_COPY_THRESH, 1, scratch, "PACKET_COPY_THRESH");
            int retire = mode == Mode.V3 ? RX_RETIRE_BLK_TOV_MS : 0;
            ring(libc, fd, mode, PACKET_RX_RING, RX_BLOCK_SIZE, RX_BLOCKS, RX_FRAME_SIZE, retire, scratch);
            ring(libc, fd, mode, PACKET_TX_RING, TX_BLOCK_SIZE, TX_BLOCKS, TX_FRAME_SIZE, 0, scratch);
            ring = libc.mmap(ringSize, PROT_READ_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
            if (ring == -1) {
                throw new ErrnoException("cannot map its rings (mmap)", libc.error(), null);
            }
            // both best effort: a kernel before 4.20 has no PACKET_IGNORE_OUTGOING (receive skips
            // PACKET_OUTGOING frames itself), and one that refuses the bypass sends through the qdisc
            libc.setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1, scratch);
            libc.setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, 1, scratch);
            // room in the socket's queue for the large sends that come whole through it (the kernel
            // cuts one short in the ring, and counts a drop, when the queue is full): best effort,
            // as forcing past rmem_max needs CAP_NET_ADMIN
            libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20, scratch);
            if (spread) {
                Bpf.attach(libc, fd, Bpf.NONE, "setting-up");
            }
            Netdev dev = new Netdev(libc, arena, fd, device);
            int mtu = dev.mtu();
            MacAddress mac = dev.ethernetMac();
            MemorySegment mreq = arena.allocate(16, 4); // struct packet_mreq
            mreq.set(JAVA_INT, 0, ifindex);
            mreq.set(JAVA_SHORT, 4, (short) PACKET_MR_ALLMULTI);
            if (libc.setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, mreq, 16) < 0) {
                throw new ErrnoException("cannot join all multicast (PACKET_MR_ALLMULTI)", libc.error(), null);
            }
            bind(libc, arena, fd, ifindex);
            ResolutionSocket resolution = null;
            if (spread) {
                fanout.join(libc, fd, device);
                Bpf.attach(libc, fd, Bpf.ALL_BUT_RESOLUTION, "all but ARP and NS/NA");
                resolution = ResolutionSocket.open(libc, arena, ifindex, fanout.resolutionFlags());
            }
            AfPacketPort port = new AfPacketPort(device, mode, pool, arena, libc, fd, mtu, mac, ring, ringSize);
            port.largeFd = pool.hasLargeBuffers() ? largeSocket(libc, arena, ifindex, scratch) : -1;
            port.kernelDrops(); // what the kernel counted before bind is none of the engine's
            if (resolution != null) {
                port.resolution = resolution;
                port.pollfd.set(JAVA_INT, 8, resolution.fd());
                port.pollfd.set(JAVA_SHORT, 12, POLLIN);
            }
            opened = true;
            return port;
        } catch (ErrnoException | Netdev.NotEthernet e) {
            throw PortException.driver(mode.driver, device, e.getMessage(), e);
        } finally {
            if (!opened) {
                if (ring != -1) {
                    libc.munmap(ring, ringSize);
                }
                if (fd >= 0) {
                    libc.close(fd);
                }
                arena.close();
            }
        }
    }

    /**
     * The socket that sends large sends ({@link #sendLarge}): a packet socket with virtio_net_hdr and
     * no ring, bound to the device with protocol 0, so that it receives nothing. -1 if the kernel
     * refuses any of it: large sends are then cut by the engine, as for any port.
     */
    private static int largeSocket(Libc libc, Arena arena, int ifindex, MemorySegment scratch) {
        int s = libc.socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
        if (s < 0) {
            return -1;
        }
        MemorySegment ll = arena.allocate(20, 4); // struct sockaddr_ll, protocol 0
        ll.set(JAVA_SHORT, 0, (short) AF_PACKET);
        ll.set(JAVA_INT, 4, ifindex);
        if (libc.setsockopt(s, SOL_PACKET, PACKET_VNET_HDR, 1, scratch) < 0 || libc.bind(s, ll, 20) < 0) {
            libc.close(s);
            return -1;
        }
        libc.setsockopt(s, SOL_PACKET, PACKET_QDISC_BYPASS, 1, scratch);
        libc.setsockopt(s, SOL_SOCKET, SO_SNDBUFFORCE, 4 << 20, scratch);
        return s;
    }

    /** Binds packet socket {@code fd} to every protocol ({@code ETH_P_ALL}) of the device of index {@code ifindex}. */
    static void bind(Libc libc, Arena arena, int fd, int ifindex) throws ErrnoException {
        MemorySegment ll = arena.allocate(20, 4); // struct sockaddr_ll
        ll.set(JAVA_SHORT, 0, (short) AF_PACKET);
        ll.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) ETH_P_ALL);
        ll.set(JAVA_INT, 4, ifindex);
        if (libc.bind(fd, ll, 20) < 0) {
            Errno e = libc.error();
            throw new ErrnoException(
                    e.code() == Errno.ENODEV ? "" : "cannot bind the socket to it",
                    e,
                    e.code() == Errno.ENODEV ? "the device went away while opening" : null);
        }
    }

    private static void option(Libc libc, int fd, int name, int value, MemorySegment scratch, String what)
            throws ErrnoException {
        if (libc.setsockopt(fd, SOL_PACKET, name, value, scratch) < 0) {
            throw new ErrnoException("cannot set " + what, libc.error(), null);
        }
    }

    /**
     * {@code PACKET_RX_RING} or {@code PACKET_TX_RING} with a {@code struct tpacket_req} (V2), or a
     * {@code struct tpacket_req3} (V3: the same four fields, then the retire timeout, no private area
     * and no features; a transmit ring takes no timeout).
     */
    private static void ring(
            Libc libc,
            int fd,
            Mode mode,
            int which,
            int blockSize,
            int blocks,
            int frameSize,
            int retireMs,
            MemorySegment req)
            throws ErrnoException {
        req.fill((byte) 0);
        req.set(JAVA_INT, 0, blockSize);
        req.set(JAVA_INT, 4, blocks);
        req.set(JAVA_INT, 8, frameSize);
        req.set(JAVA_INT, 12, (blockSize / frameSize) * blocks);
        req.set(JAVA_INT, 16, retireMs);
        if (libc.setsockopt(fd, SOL_PACKET, which, req, mode.requestLength) < 0) {
            Errno e = libc.error();
            throw new ErrnoException(
                    "cannot set up its " + (which == PACKET_RX_RING ? "receive" : "transmit") + " ring",
                    e,
                    e.code() == 12 ? "the kernel has no memory for " + (blockSize / 1024 * blocks) + " KiB" : null);
        }
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** The device's own MAC: the interface must have it, so unicast frames need no promiscuous mode. */
    @Override
    public MacAddress mac() {
        return mac;
    }

    @Override
    public int fd() {
        return fd;
    }

    /** The fanout socket's and, with several workers, the resolution socket's ({@link Fanout}). */
    @Override
    public int[] fds() {
        return resolution == null ? new int[] {fd} : new int[] {fd, resolution.fd()};
    }

    /** Whether this port is one worker's of several (its fanout group, and its ARP and NS/NA socket). */
    public boolean spread() {
        return resolution != null;
    }

    /** Frames whose checksum was left to offload and completed here. */
    public long checksumsCompleted() {
        return checksumsCompleted;
    }

    /** The mode its receive ring runs in: {@code TPACKET_V2} slots or {@code TPACKET_V3} blocks. */
    public Mode mode() {
        return mode;
    }

    /**
     * Frames the kernel has handed over that {@link #receive} has not taken: what the next polls will
     * find. In {@link Mode#V2} the kernel hands each frame over as soon as it has written it (a slot
     * of its own); in {@link Mode#V3} frames in the block it is still filling are not among them
     * until it retires the block (full, or {@value #RX_RETIRE_BLK_TOV_MS} ms after its first frame).
     */
    public int framesWaiting() {
        return ringWaiting() + (resolution == null ? 0 : resolution.waiting());
    }

    private int ringWaiting() {
        if (mode == Mode.V2) {
            int waiting = 0;
            for (int s = head; waiting < RX_FRAMES; s = nextSlot(s)) {
                if (((int) INT.getAcquire(ring, rxSlot(s) + h.status()) & TP_STATUS_USER) == 0) {
                    break;
                }
                waiting++;
            }
            return waiting;
        }
        int waiting = left;
        int b = left > 0 ? nextBlock(block) : block;
        for (int i = left > 0 ? 1 : 0; i < RX_BLOCKS && blockReady(b); i++) {
            waiting += ring.get(JAVA_INT, blockBase(b) + BLOCK_NUM_PKTS);
            b = nextBlock(b);
        }
        return waiting;
    }

    private static int nextSlot(int s) {
        return s + 1 == RX_FRAMES ? 0 : s + 1;
    }

    private static int nextBlock(int b) {
        return b + 1 == RX_BLOCKS ? 0 : b + 1;
    }

    /** Received TCP segments that joined another's large send ({@link Gro}), and the large sends they made. */
    public long segmentsCoalesced() {
        return gro.coalesced();
    }

    public long sendsCoalesced() {
        return gro.sends();
    }

    /** Large sends (GSO frames) received and handed to the engine whole. */
    public long sendsWhole() {
        return sendsWhole;
    }

    /** Large sends the engine handed over whole and that went out with a virtio_net_hdr for the kernel to cut. */
    public long largeSent() {
        return largeSent;
    }

    /** Large sends (GSO frames) received and cut into segments here. */
    public long sendsSegmented() {
        return sendsSegmented;
    }

    private static long rxSlot(int s) {
        return (long) s * RX_FRAME_SIZE;
    }

    private static long blockBase(int b) {
        return (long) b * RX_BLOCK_SIZE;
    }

    private boolean blockReady(int b) {
        return ((int) INT.getAcquire(ring, blockBase(b) + BLOCK_STATUS) & TP_STATUS_USER) != 0;
    }

    /**
     * The header of the frame {@link #receive} takes next if the kernel has handed it over, else -1:
     * the head slot (V2), or the next frame of the block being read, or the first of the next block
     * once the kernel has retired it (V3; an empty block goes straight back).
     */
    private long current() {
        if (mode == Mode.V2) {
            long p = rxSlot(head);
            return ((int) INT.getAcquire(ring, p + h.status()) & TP_STATUS_USER) != 0 ? p : -1;
        }
        while (left == 0) {
            if (!blockReady(block)) {
                return -1;
            }
            long b = blockBase(block);
            left = ring.get(JAVA_INT, b + BLOCK_NUM_PKTS);
            packet = b + (ring.get(JAVA_INT, b + BLOCK_FIRST_PKT) & 0xffff_ffffL);
            if (left == 0) {
                closeBlock();
            }
        }
        return packet;
    }

    @Override
    public void receive(RxBurst rx) {
        while (rx.room() > 0) {
            long p = current();
            if (p < 0) {
                break;
            }
            int status = ring.get(JAVA_INT, p + h.status());
            if (!take(rx, p, status)) {
                gro.finish(rx);
                return; // the rest of a large send waits for the next burst
            }
            release(p, status);
        }
        gro.finish(rx);
        if (resolution != null) {
            resolution.receive(rx, pool, counters);
        }
    }

    /**
     * Done with the frame at {@code p} (the copy of it in the socket's queue taken off too, if {@link
     * #take} did not take it): its slot goes back to the kernel (V2), or the next frame of its block
     * becomes the current one, the block going back once its last frame is taken (V3). If the kernel
     * lost frames meanwhile, counts them.
     */
    private void release(long p, int status) {
        if ((status & TP_STATUS_COPY) != 0 && copied < 0) {
            libc.recv(fd, whole.address(), COPY_ROOM, MSG_DONTWAIT | MSG_TRUNC); // taken off unread
        }
        segment = 0;
        copied = -1;
        if (copiedLarge >= 0) {
            pool.release(copiedLarge);
            copiedLarge = -1;
        }
        if (mode == Mode.V2) {
            INT.setRelease(ring, p + h.status(), TP_STATUS_KERNEL);
            head = nextSlot(head);
        } else if (--left == 0) {
            closeBlock();
        } else {
            packet += ring.get(JAVA_INT, p + TP_NEXT_OFFSET) & 0xffff_ffffL;
        }
        if ((status & TP_STATUS_LOSING) != 0) {
            counters.noBuffer(kernelDrops());
        }
    }

    /** Gives the current block back to the kernel (V3): every frame of it has been taken. */
    private void closeBlock() {
        INT.setRelease(ring, blockBase(block) + BLOCK_STATUS, TP_STATUS_KERNEL);
        block = nextBlock(block);
    }

    /** The frames the kernel dropped (the ring full) since it was last asked: asking resets them. */
    private long kernelDrops() {
        statsLength.set(JAVA_INT, 0, 12);
        return libc.getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, stats, statsLength) == 0
                ? stats.get(JAVA_INT, 4) & 0xffff_ffffL
                : 0;
    }

    /**
     * Takes the frame whose header is at {@code p} into the burst: one buffer, or one per segment of a
     * large send; false when the burst filled before the last segment (the frame stays the current
     * one). A frame too large for the slot ({@code TP_STATUS_COPY}) is read whole, with its
     * virtio_net_hdr, from the socket's queue into {@link #whole}; its VLAN tag, like every frame's,
     * is in the slot's header.
     */
    private boolean take(RxBurst rx, long p, int status) {
        MemorySegment from = ring;
        int macOff = ring.get(JAVA_SHORT, p + h.mac()) & 0xffff;
        long frame = p + macOff;
        int snap = ring.get(JAVA_INT, p + h.snaplen());
        if ((status & TP_STATUS_COPY) != 0) {
            if (copied < 0) {
                // straight into a large buffer, whose headroom takes the virtio_net_hdr, if the engine
                // has one free: a large send kept whole is then in the engine's memory in one copy
                int full = ring.get(JAVA_INT, p + h.len()); // the frame's length, cut short in the slot
                int large = rx.takesLarge() && full <= BufferPool.MAX_LARGE_FRAME ? pool.allocateLarge() : -1;
                long to = large < 0 ? whole.address() : memory.address() + BufferPool.frameOffset(large) - VNET_HDR_LEN;
                long room = large < 0 ? COPY_ROOM : BufferPool.MAX_LARGE_FRAME + VNET_HDR_LEN;
                long n = libc.recv(fd, to, room, MSG_DONTWAIT | MSG_TRUNC);
                copied = n < VNET_HDR_LEN || n > room ? 0 : (int) n - VNET_HDR_LEN;
                copiedLarge = large;
            }
            if (copiedLarge >= 0) {
                from = memory;
                frame = BufferPool.frameOffset(copiedLarge);
            } else {
                from = whole;
                frame = VNET_HDR_LEN;
            }
            snap = copied;
        }
        if (ring.get(JAVA_BYTE, p + h.length() + SLL_PKTTYPE) == PACKET_OUTGOING) {
            return true;
        }
        int l3 = (ring.get(JAVA_SHORT, p + h.net()) & 0xffff) - macOff;
        if (snap != ring.get(JAVA_INT, p + h.len()) || snap < 14 || l3 < 14 || l3 > snap) {
            counters.noBuffer(); // cut short by the ring, or no Ethernet frame
            return true;
        }
        long vnet = frame - VNET_HDR_LEN;
        long time = (ring.get(JAVA_INT, p + h.sec()) & 0xffff_ffffL) * 1_000_000_000L
                + (ring.get(JAVA_INT, p + h.nsec()) & 0xffff_ffffL);
        int tag = NO_TAG;
        if ((status & TP_STATUS_VLAN_VALID) != 0) {
            int tpid = (status & TP_STATUS_VLAN_TPID_VALID) != 0
                    ? ring.get(JAVA_SHORT, p + h.vlanTpid()) & 0xffff
                    : 0x8100;
            tag = tpid << 16 | (ring.get(JAVA_SHORT, p + h.vlanTci()) & 0xffff);
        }
        int gso = from.get(JAVA_BYTE, vnet + 1) & 0xff & ~Offload.GSO_ECN;
        if (gso == Offload.GSO_NONE) {
            if (rx.takesLarge() && tag == NO_TAG && (from.get(JAVA_BYTE, vnet) & Offload.NEEDS_CSUM) == 0) {
                if (gro.offer(rx, from, frame, snap, (from.get(JAVA_BYTE, vnet) & Offload.DATA_VALID) != 0)) {
                    counters.received(snap);
                    counters.coalesced();
                    return true;
                }
                int before = rx.count();
                one(rx, from, frame, snap, l3, vnet, tag, time);
                if (rx.count() > before) {
                    gro.added(rx, before);
                }
                return true;
            }
            one(rx, from, frame, snap, l3, vnet, tag, time);
            return true;
        }
        if (segment == 0 && tag == NO_TAG && rx.takesLarge() && keepWhole(rx, from, frame, snap, l3, vnet, gso, time)) {
            return true;
        }
        return segments(rx, from, frame, snap, l3, vnet, gso, tag, time);
    }

    /**
     * Where the headers of the large send of {@code snap} bytes at {@code frame} end (its segments'
     * payload starts), or -1 when its virtio_net_hdr does not describe it: the checksum left partial
     * from {@code csum_start} with the field where TCP's or UDP's is, and headers the engine cuts
     * behind ({@link Gso#walk}) with the transport at {@code csum_start}, whole, on an innermost IP
     * header of the version the kind names (a tunnel's large send, one the kernel's GRO made of
     * SRv6-encapsulated segments, names its inner packet's), and no more than 65,535 bytes from it on.
     * Walked last by {@link #gso}.
     */
    private int headers(MemorySegment m, long frame, int snap, long vnet, int gso) {
        int start = m.get(LE16, vnet + 6) & 0xffff;
        int field = m.get(LE16, vnet + 8) & 0xffff;
        boolean tcp = gso == Offload.GSO_TCPV4 || gso == Offload.GSO_TCPV6;
        if ((gso != Offload.GSO_UDP_L4 && !tcp)
                || (m.get(JAVA_BYTE, vnet) & Offload.NEEDS_CSUM) == 0
                || field != (tcp ? 16 : 6)
                || snap - start > 0xffff
                || start + (tcp ? 20 : 8) > snap) {
            return -1;
        }
        int headers = tcp ? start + (Bytes.u8(m, frame + start + 12) >>> 4) * 4 : start + 8;
        return headers <= snap
                        && this.gso.walk(m, frame, snap, headers)
                        && this.gso.l4() == start
                        && this.gso.carries(gso)
                ? headers
                : -1;
    }

    /**
     * Keeps a large send whole, as the engine's from now on, in a large buffer: the one it was read
     * into from the socket's queue ({@link #copiedLarge}), or one it is copied into from the ring (a
     * V3 block holds it). True when its virtio_net_hdr describes it (a kind the engine carries, its
     * checksum left partial, the transport where the header says and the IP length its length) and a
     * large buffer is free; false leaves it to {@link #segments}, which checks the same and counts
     * what does not hold.
     */
    private boolean keepWhole(
            RxBurst rx, MemorySegment m, long frame, int snap, int l3, long vnet, int gso, long time) {
        if (snap > BufferPool.MAX_LARGE_FRAME || snap - l3 > LARGE_MAX_L3) {
            return false;
        }
        int size = m.get(LE16, vnet + 4) & 0xffff;
        int headers = headers(m, frame, snap, vnet, gso);
        if (headers < 0 || size == 0 || Offload.ipEnd(m, frame, snap, l3) != snap) {
            return false;
        }
        int large = copiedLarge;
        if (large < 0) {
            large = pool.allocateLarge();
            if (large < 0) {
                return false;
            }
            MemorySegment.copy(m, frame, memory, BufferPool.frameOffset(large), snap);
        }
        rx.addLarge(large, snap, time, gso, size, headers);
        counters.received(snap);
        copiedLarge = -1;
        sendsWhole++;
        return true;
    }

    /** A frame as it came, its checksum completed if the kernel left it to offload. */
    private void one(RxBurst rx, MemorySegment from, long frame, int snap, int l3, long vnet, int tag, long time) {
        int shift = tag == NO_TAG ? 0 : 4;
        int length = snap + shift;
        int buf = length > BufferPool.MAX_FRAME ? -1 : pool.allocate();
        if (buf < 0) {
            counters.noBuffer();
            return;
        }
        long at = BufferPool.frameOffset(buf);
        copy(from, frame, snap, tag, at);
        if ((from.get(JAVA_BYTE, vnet) & Offload.NEEDS_CSUM) != 0) {
            int start = from.get(LE16, vnet + 6) & 0xffff;
            int offset = from.get(LE16, vnet + 8) & 0xffff;
            if (!Offload.complete(memory, at, length, l3 + shift, start + shift, offset)) {
                pool.release(buf);
                counters.noBuffer();
                return;
            }
            checksumsCompleted++;
        }
        rx.add(buf, length, time);
        counters.received(length);
    }

    /**
     * A large send (GSO) cut into segments of the sender's size (gso_size; smaller if a segment would
     * not fit a buffer), from segment {@link #segment} on: false when the burst filled first.
     */
    private boolean segments(
            RxBurst rx, MemorySegment from, long frame, int snap, int l3, long vnet, int gso, int tag, long time) {
        int headers = headers(from, frame, snap, vnet, gso);
        int shift = tag == NO_TAG ? 0 : 4;
        // the sender's size, or less for TCP when a segment would not fit a buffer (a byte stream may
        // be cut anywhere; UDP's datagrams may not, as Gso.size)
        int gsoSize = from.get(LE16, vnet + 4) & 0xffff;
        int room = BufferPool.MAX_FRAME - headers - shift;
        boolean tcp = gso == Offload.GSO_TCPV4 || gso == Offload.GSO_TCPV6;
        int size = gsoSize <= room ? gsoSize : tcp ? room : 0;
        if (headers < 0 || size <= 0) {
            counters.noBuffer();
            return true;
        }
        int payload = snap - headers;
        int count = Math.max(1, (payload + size - 1) / size);
        for (; segment < count; segment++) {
            if (rx.room() == 0) {
                return false;
            }
            int buf = pool.allocate();
            if (buf < 0) {
                counters.noBuffer();
                continue;
            }
            int offset = segment * size;
            int bytes = Math.min(size, payload - offset);
            int length = headers + shift + bytes;
            long at = BufferPool.frameOffset(buf);
            copy(from, frame, headers, tag, at);
            MemorySegment.copy(from, frame + headers + offset, memory, at + headers + shift, bytes);
            this.gso.fields(memory, at, shift, length, snap, segment, offset, segment == count - 1);
            rx.add(buf, length, time);
            counters.received(length);
        }
        sendsSegmented++;
        return true;
    }

    /**
     * Copies {@code length} bytes of a received frame (in the ring, or {@link #whole}) to {@code at} in the engine's memory, with the
     * VLAN tag the kernel took off put back after the MAC addresses unless {@code tag} is {@link #NO_TAG}
     * (TPID in the high 16 bits, TCI in the low).
     */
    private void copy(MemorySegment from, long frame, int length, int tag, long at) {
        if (tag == NO_TAG) {
            MemorySegment.copy(from, frame, memory, at, length);
            return;
        }
        MemorySegment.copy(from, frame, memory, at, 12);
        Bytes.u32(memory, at + 12, tag);
        MemorySegment.copy(from, frame + 12, memory, at + 16, length - 12);
    }

    /** Copies the frames into the transmit ring, kicks the socket once, and gives every buffer back. */
    @Override
    public int transmit(TxBurst tx) {
        int n = tx.count();
        int queued = 0;
        boolean kicked = false;
        for (int k = 0; k < n; k++) {
            int length = tx.length(k);
            long from = tx.offset(k);
            if (tx.gsoSize(k) != 0) {
                if (queued > 0) {
                    kick(); // what is queued goes first: the frames leave in the burst's order
                    queued = 0;
                }
                sendLarge(tx, k, from, length);
                continue;
            }
            if (length < 14
                    || length > txRoom
                    || length > mtu + 14 + (Bytes.u16(memory, from + 12) == 0x8100 ? 4 : 0)) {
                counters.txError(); // more than the device carries
                continue;
            }
            long slot = slot(txHead);
            if ((int) INT.getAcquire(ring, slot + h.status()) != TP_STATUS_AVAILABLE) {
                if (!kicked) {
                    kick(); // send what is queued, and look again
                    kicked = true;
                    queued = 0;
                }
                if ((int) INT.getAcquire(ring, slot + h.status()) != TP_STATUS_AVAILABLE) {
                    counters.txError(); // the ring is full of frames the device has not sent yet
                    continue;
                }
            }
            ring.set(JAVA_LONG, slot + txData, 0L); // an empty virtio_net_hdr: nothing to offload
            ring.set(JAVA_SHORT, slot + txData + 8, (short) 0);
            MemorySegment.copy(memory, from, ring, slot + txData + VNET_HDR_LEN, length);
            ring.set(JAVA_INT, slot + h.len(), length + VNET_HDR_LEN);
            INT.setRelease(ring, slot + h.status(), TP_STATUS_SEND_REQUEST);
            txHead = txHead + 1 == TX_FRAMES ? 0 : txHead + 1;
            queued++;
            counters.transmitted(length);
        }
        if (queued > 0) {
            kick();
        }
        return n;
    }

    /**
     * Sends large send {@code k} of the burst (one IP header behind Ethernet, then TCP or UDP: {@link
     * dev.srv6sh.dataplane.port.Port#takesLargeSends}) through {@link #largeFd} with the
     * virtio_net_hdr that has the kernel cut it (a veth hands it on whole, as the kernel's own
     * forwarding does). The header goes in the buffer's headroom, in front of the frame, or the frame
     * is copied behind one when the headroom is short.
     */
    private void sendLarge(TxBurst tx, int k, long from, int length) {
        int l3 = 14;
        int first = Bytes.u8(memory, from + l3);
        int l4 = first >>> 4 == 4 ? l3 + (first & 0xf) * 4 : l3 + 40;
        int type = tx.gsoType(k);
        int headers = (int) (tx.gsoPayload(k) - from);
        boolean tcp = type != Offload.GSO_UDP_L4;
        if (largeFd < 0 || headers <= l4 || headers > length) {
            counters.txError();
            return;
        }
        if (tcp && (Bytes.u8(memory, from + l4 + 13) & 0x80) != 0) {
            type |= Offload.GSO_ECN; // CWR on the first segment only
        }
        long inBuffer = from - (long) tx.buffer(k) * BufferPool.BUFFER_SIZE; // the headroom left
        MemorySegment hdrIn;
        long hdrAt;
        if (inBuffer >= VNET_HDR_LEN) {
            hdrIn = memory;
            hdrAt = from - VNET_HDR_LEN;
        } else {
            hdrIn = largeScratch; // not whole: a large send being cut over two bursts may be in it
            hdrAt = 0;
            MemorySegment.copy(memory, from, largeScratch, VNET_HDR_LEN, length);
        }
        hdrIn.set(JAVA_BYTE, hdrAt, (byte) Offload.NEEDS_CSUM);
        hdrIn.set(JAVA_BYTE, hdrAt + 1, (byte) type);
        hdrIn.set(LE16, hdrAt + 2, (short) headers);
        hdrIn.set(LE16, hdrAt + 4, (short) tx.gsoSize(k));
        hdrIn.set(LE16, hdrAt + 6, (short) l4);
        hdrIn.set(LE16, hdrAt + 8, (short) (tcp ? 16 : 6));
        long sent = libc.sendto(largeFd, hdrIn.address() + hdrAt, length + VNET_HDR_LEN, MSG_DONTWAIT, 0L, 0);
        if (sent != length + VNET_HDR_LEN) {
            counters.txError(); // the device down or its queue full
            return;
        }
        largeSent++;
        counters.transmitted(length);
    }

    /** Takes large sends whole ({@link #sendLarge}), once the socket for them is open. */
    @Override
    public boolean takesLargeSends() {
        return largeFd >= 0;
    }

    private long slot(int frame) {
        return txBase
                + (long) (frame / TX_FRAMES_PER_BLOCK) * TX_BLOCK_SIZE
                + (long) (frame % TX_FRAMES_PER_BLOCK) * TX_FRAME_SIZE;
    }

    /**
     * Asks the kernel to send every slot marked for sending, without waiting for the device: frames
     * it cannot send now (the device busy or down) stay marked, and go with the next kick.
     */
    private void kick() {
        libc.sendto(fd, 0L, 0L, MSG_DONTWAIT, 0L, 0);
    }

    /** Copies frames out: it holds none, but for a large send it is cutting into segments over two bursts. */
    @Override
    public int buffersHeld() {
        return copiedLarge >= 0 ? 1 : 0;
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    /** Drops what the kernel has handed over and the engine has not taken, counting each as rx no-buffer. */
    @Override
    public void drain() {
        long p;
        while ((p = current()) >= 0) {
            counters.noBuffer();
            release(p, ring.get(JAVA_INT, p + h.status()));
        }
        if (resolution != null) {
            resolution.drain(counters);
        }
    }

    /**
     * True at once if a frame waits in the ring, else after poll(2) says the socket is readable (the
     * kernel wakes it for every frame it hands over in V2, for every block it retires in V3) or the
     * timeout passes.
     */
    @Override
    public boolean awaitReadable(long timeoutNanos) {
        if (readable()) {
            return true;
        }
        int millis = (int) Math.min(Integer.MAX_VALUE, (Math.max(0, timeoutNanos) + 999_999) / 1_000_000);
        libc.poll(pollfd.address(), resolution == null ? 1 : 2, millis);
        return readable();
    }

    private boolean readable() {
        return current() >= 0 || (resolution != null && resolution.ready());
    }

    /** Closes the socket and unmaps its rings; the port holds no buffer. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (resolution != null) {
            resolution.close();
        }
        if (copiedLarge >= 0) {
            pool.release(copiedLarge);
            copiedLarge = -1;
        }
        if (largeFd >= 0) {
            libc.close(largeFd);
        }
        libc.close(fd);
        libc.munmap(ringAddress, ringSize);
        arena.close();
    }

    @Override
    public String toString() {
        return mode.driver + ":" + device;
    }
}
