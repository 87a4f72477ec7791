package dev.srv6sh.udp;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.port.BufferPool;
import dev.srv6sh.dataplane.port.PortCounters;
import dev.srv6sh.dataplane.port.PortException;
import dev.srv6sh.dataplane.port.RxBurst;
import dev.srv6sh.dataplane.port.TxBurst;
import dev.srv6sh.dataplane.port.linux.Errno;
import dev.srv6sh.dataplane.port.linux.ErrnoException;
import dev.srv6sh.dataplane.port.linux.EventFd;
import dev.srv6sh.dataplane.port.linux.Libc;
import dev.srv6sh.dataplane.port.linux.LinuxPort;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoRegistration;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A port whose wire is a UDP socket: every datagram between it and its peer carries one whole Ethernet
 * frame ({@link UdpWire}), so two routers on different machines, or over an underlay that drops IPv6
 * routing headers, are linked as by a cable. The socket is Netty's {@link EpollDatagramChannel},
 * bound to the local end and connected to the peer, on the process's one event loop ({@link Loops}).
 *
 * <h2>Threads</h2>
 *
 * Netty's thread receives with {@code recvmmsg} ({@value #BATCH} datagrams a call, each up to
 * {@value #DATAGRAM} bytes, so one a byte larger than a buffer shows as too large) and copies each frame
 * into the receive {@link FrameRing}; the engine's {@link #receive} copies them from there into its
 * own buffers. The engine's {@link #transmit} copies frames into the transmit ring; Netty's thread
 * writes them to the channel and flushes once per {@value #BATCH}, which sends them with {@code
 * sendmmsg}. The engine's thread allocates nothing per frame; Netty's thread does, in Netty: a pooled
 * buffer per read batch and per frame sent, and a {@link DatagramPacket} with its sender's address per
 * datagram received.
 *
 * <h2>Waking</h2>
 *
 * The router's data plane thread sleeps in {@code poll(2)} on {@link #fd}, an {@link EventFd} that
 * Netty's thread signals after queuing frames, but only when {@link #receive} found the ring empty
 * and said so (armed it): under load nobody signals anything. The engine wakes Netty's loop the same
 * way, through a second eventfd registered with the loop's epoll ({@link EpollIoHandle}), and only
 * when no flush is pending already: one {@code write(2)} per burst at most, and no task objects.
 *
 * <h2>Counters</h2>
 *
 * <ul>
 *   <li>rx no-buffer: datagrams the receive ring had no room for, datagrams that are not a frame
 *       (under 14 bytes) or are larger than a buffer, frames the engine had no buffer for, and frames
 *       dropped by {@link #drain}. (Datagrams the kernel drops because the socket's receive buffer is
 *       full are the kernel's count: {@code RcvbufErrors} in {@code nstat}.)
 *   <li>tx packets and bytes: frames queued to the transmit ring. tx errors: frames the ring had no
 *       room for, and every error the socket reports: a send that failed, and the peer's ICMP port
 *       unreachable (nobody listens there), which Linux reports on a connected socket's next call.
 *       A refusal refers to a frame already counted as sent, so a udp port whose peer is away counts
 *       some frames twice, as sent and then refused: its tx errors say the wire is down.
 * </ul>
 *
 * <p>{@link #mtu} is what the underlay carries, less the IP and UDP headers and the carried frame's
 * Ethernet header ({@link UdpWire#mtu}): the underlay's MTU is that of the device holding the local
 * address (1500 on most NICs: 1458 over IPv4, 1438 over IPv6), and never more than a buffer holds.
 */
public final class UdpPort implements LinuxPort {
    /** The driver's name in configurations and errors. */
    public static final String DRIVER = "udp";

    /** Slots in each ring: frames in flight between the two threads, each way. */
    static final int SLOTS = 1024;

    /** Datagrams one {@code recvmmsg} takes, and frames written per {@code sendmmsg}. */
    static final int BATCH = 64;

    /** Bytes Netty reads per datagram: one more than a buffer's frame, so a larger one shows. */
    static final int DATAGRAM = BufferPool.MAX_FRAME + 1;

    /** The socket's buffers asked for (the kernel caps them at its rmem_max and wmem_max). */
    static final int SOCKET_BUFFER = 4 << 20;

    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUFFORCE = 32;
    private static final int SO_RCVBUFFORCE = 33;

    private static final int IDLE = 0;
    private static final int ARMED = 1;
    private static final int SIGNALLED = 2;

    private final UdpWire wire;
    private final String device;
    private final BufferPool pool;
    private final MemorySegment memory;
    private final int mtu;
    private final Arena arena;
    private final FrameRing rx;
    private final FrameRing tx;
    private final EventFd rxReady;
    private final EventFd txWake;
    private final PortCounters counters = new PortCounters();
    /** Whether {@link #receive} found the receive ring empty and wants a signal when it fills. */
    private final AtomicInteger wake = new AtomicInteger(IDLE);
    /** Whether Netty's thread has been woken to send and has not yet looked. */
    private final AtomicBoolean flushPending = new AtomicBoolean();
    /** Nanoseconds from {@link System#nanoTime} to the epoch, for receive times. */
    private final long epoch;

    // the engine's thread
    private long rxHead;
    private long txTail;
    private long rxDropsSeen;
    private long txErrorsSeen;
    private boolean closed;

    // Netty's thread (the counts read by the engine's)
    private long rxTail;
    private long txHead;
    private volatile long rxDrops;
    private volatile long txErrors;
    private volatile boolean closing;

    private Channel channel;
    private IoRegistration wakeRegistration;
    /** Whether the port holds a use of the event loop ({@link Loops}), to give back on close. */
    private boolean loops;

    private UdpPort(UdpWire wire, BufferPool pool, int mtu, Arena arena, EventFd rxReady, EventFd txWake) {
        this.wire = wire;
        this.device = wire.toString();
        this.pool = pool;
        this.memory = pool.memory();
        this.mtu = mtu;
        this.arena = arena;
        this.rx = new FrameRing(arena, SLOTS);
        this.tx = new FrameRing(arena, SLOTS);
        this.rxReady = rxReady;
        this.txWake = txWake;
        Instant now = Instant.now();
        this.epoch = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
    }

    /**
     * Opens the wire {@code device} describes ({@link UdpWire}) on the engine's pool: the socket bound
     * to the local end and connected to the peer. A malformed device, a local address this host does
     * not have, a port another socket holds, or no epoll is an error naming the driver, the device and
     * the cause.
     */
    public static UdpPort open(String device, BufferPool pool) throws PortException {
        UdpWire wire;
        try {
            wire = UdpWire.parse(device);
        } catch (IllegalArgumentException e) {
            throw PortException.driver(DRIVER, String.valueOf(device), e.getMessage(), e);
        }
        if (!Epoll.isAvailable()) {
            throw PortException.driver(
                    DRIVER,
                    device,
                    "Netty's epoll transport is not available here: " + Epoll.unavailabilityCause(),
                    Epoll.unavailabilityCause());
        }
        int underlay = underlayMtu(wire, device);
        int mtu = Math.min(wire.mtu(underlay), BufferPool.MAX_FRAME - UdpWire.ETHERNET_HEADER);
        if (mtu < 1280) {
            throw PortException.driver(
                    DRIVER,
                    device,
                    "the underlay carries " + underlay + " bytes, " + mtu
                            + " once a frame is in a datagram: IPv6 needs 1280",
                    null);
        }
        Arena arena = Arena.ofShared();
        EventFd rxReady = null;
        EventFd txWake = null;
        UdpPort port = null;
        boolean opened = false;
        try {
            rxReady = EventFd.open();
            txWake = EventFd.open();
            port = new UdpPort(wire, pool, mtu, arena, rxReady, txWake);
            port.connect(Loops.acquire());
            opened = true;
            return port;
        } catch (ErrnoException e) {
            throw PortException.driver(DRIVER, device, e.getMessage(), e);
        } finally {
            if (!opened && port != null) {
                port.close(); // the channel if any, the eventfds, the rings, the loop
            } else if (!opened) {
                if (rxReady != null) {
                    rxReady.close();
                }
                if (txWake != null) {
                    txWake.close();
                }
                arena.close();
            }
        }
    }

    /** The MTU of the device that has the local address, which must be this host's. */
    private static int underlayMtu(UdpWire wire, String device) throws PortException {
        InetAddress local = wire.local().getAddress();
        try {
            NetworkInterface nic = NetworkInterface.getByInetAddress(local);
            if (nic == null) {
                throw PortException.driver(
                        DRIVER,
                        device,
                        "the local address " + Addresses.format(local)
                                + " is not an address of this host (no interface has it)",
                        null);
            }
            int mtu = nic.getMTU();
            return mtu > 0 ? mtu : 1500;
        } catch (SocketException e) {
            throw PortException.driver(DRIVER, device, "cannot list this host's interfaces: " + e.getMessage(), e);
        }
    }

    /** Binds, connects and registers the wake-up with {@code group}'s loop; on error the caller closes. */
    private void connect(IoEventLoopGroup group) throws PortException {
        // the group is the port's from here: close releases it, whatever fails next
        this.loops = true;
        SocketProtocolFamily family = wire.local().getAddress() instanceof Inet4Address
                ? SocketProtocolFamily.INET
                : SocketProtocolFamily.INET6;
        Bootstrap b = new Bootstrap()
                .group(group)
                .channelFactory(() -> new EpollDatagramChannel(family))
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, DATAGRAM)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(BATCH * DATAGRAM))
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 << 10, 1 << 20))
                .handler(new Wire());
        ChannelFuture bound = b.bind(wire.local()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            bound.channel().close().awaitUninterruptibly();
            throw failed("cannot bind " + text(wire.local()), bound.cause());
        }
        Channel ch = bound.channel();
        forceBuffers(((EpollDatagramChannel) ch).fd().intValue());
        ChannelFuture connected = ch.connect(wire.peer()).awaitUninterruptibly();
        if (!connected.isSuccess()) {
            ch.close().awaitUninterruptibly();
            throw failed("cannot connect to " + text(wire.peer()), connected.cause());
        }
        this.channel = ch;
        if (!(ch.eventLoop() instanceof IoEventLoop loop)) {
            throw PortException.driver(DRIVER, device, "Netty's event loop takes no other descriptor", null);
        }
        Future<IoRegistration> registered = loop.register(new Wake()).awaitUninterruptibly();
        if (!registered.isSuccess()) {
            throw failed("cannot register its wake-up with Netty's event loop", registered.cause());
        }
        IoRegistration r = registered.getNow();
        Future<?> polled = loop.submit(() -> {
                    r.submit(EpollIoOps.EPOLLIN);
                    return null;
                })
                .awaitUninterruptibly();
        if (!polled.isSuccess()) {
            r.cancel();
            throw failed("cannot register its wake-up with Netty's event loop", polled.cause());
        }
        this.wakeRegistration = r;
    }

    /**
     * Asks for {@value #SOCKET_BUFFER} bytes of socket buffer past the kernel's {@code rmem_max} and
     * {@code wmem_max} ({@code SO_RCVBUFFORCE}, {@code SO_SNDBUFFORCE}): a burst the event loop has
     * not read yet waits there instead of being dropped. It needs {@code CAP_NET_ADMIN}, which a
     * router on Linux devices has; without it the capped {@code SO_RCVBUF} Netty set stays.
     */
    private static void forceBuffers(int fd) {
        try (Arena a = Arena.ofConfined()) {
            Libc libc = new Libc(a);
            MemorySegment scratch = a.allocate(4);
            libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, SOCKET_BUFFER, scratch);
            libc.setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, SOCKET_BUFFER, scratch);
        }
    }

    /** A step that failed, with the system's error as people read it and what it usually means. */
    private PortException failed(String doing, Throwable cause) {
        Errno errno = null;
        for (Throwable t = cause; t != null && errno == null; t = t.getCause()) {
            if (t instanceof Errors.NativeIoException n) {
                errno = new Errno(Math.abs(n.expectedErr()));
            }
        }
        String problem;
        if (errno == null) {
            problem = doing + ": " + (cause == null ? "failed" : cause.getMessage());
        } else {
            String hint =
                    switch (errno.symbol()) {
                        case "EADDRINUSE" -> "another socket has that address and port";
                        case "EADDRNOTAVAIL" -> "not an address of this host";
                        case "EACCES", "EPERM" -> "a port below 1024 needs CAP_NET_BIND_SERVICE";
                        case "ENETUNREACH" -> "no route to the peer";
                        default -> null;
                    };
            problem = ErrnoException.message(doing, errno, hint);
        }
        return PortException.driver(DRIVER, device, problem, cause);
    }

    private static String text(InetSocketAddress a) {
        String host = Addresses.format(a.getAddress());
        return (a.getAddress() instanceof Inet4Address ? host : "[" + host + "]") + ":" + a.getPort();
    }

    /** The wire, as the device syntax writes it. */
    public UdpWire wire() {
        return wire;
    }

    /** The local end the socket is bound to. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** Null: a tunnel takes the configuration's MAC. */
    @Override
    public MacAddress mac() {
        return null;
    }

    /** The eventfd Netty's thread signals when it has queued frames for a receive that found none. */
    @Override
    public int fd() {
        return rxReady.fd();
    }

    @Override
    public void receive(RxBurst burst) {
        fold();
        if (wake.get() == SIGNALLED && rxReady.clear()) {
            wake.set(IDLE);
        }
        long h = rxHead;
        while (true) {
            long t = rx.tail();
            while (h < t && burst.room() > 0) {
                int length = rx.length(h);
                int buf = pool.allocate();
                if (buf < 0) {
                    counters.noBuffer();
                } else {
                    MemorySegment.copy(rx.data(), rx.offset(h), memory, BufferPool.frameOffset(buf), length);
                    burst.add(buf, length, rx.time(h));
                    counters.received(length);
                }
                h++;
            }
            if (h != rxHead) {
                rxHead = h;
                rx.head(h);
            }
            if (h < t || burst.room() == 0) {
                return; // more waits: the engine calls again
            }
            // the ring is empty: ask for a signal before the data plane thread may sleep, then look
            // once more, for frames Netty's thread published before it could see the request
            if (wake.get() == IDLE) {
                wake.compareAndSet(IDLE, ARMED);
            }
            VarHandle.fullFence();
            if (rx.tail() == h) {
                return;
            }
        }
    }

    /** Copies each frame to the transmit ring and wakes Netty's thread; every buffer goes back. */
    @Override
    public int transmit(TxBurst burst) {
        fold();
        int n = burst.count();
        long t = txTail;
        long room = tx.slots() - (t - tx.head());
        for (int k = 0; k < n; k++) {
            int length = burst.length(k);
            if (room == 0) {
                room = tx.slots() - (t - tx.head());
                if (room == 0) {
                    counters.txError(); // Netty's thread is that far behind
                    continue;
                }
            }
            MemorySegment.copy(memory, burst.offset(k), tx.data(), tx.offset(t), length);
            tx.filled(t, length, 0);
            t++;
            room--;
            counters.transmitted(length);
        }
        if (t != txTail) {
            txTail = t;
            tx.tail(t);
            VarHandle.fullFence();
            if (!flushPending.get() && flushPending.compareAndSet(false, true)) {
                txWake.signal();
            }
        }
        return n;
    }

    /** Folds the counts Netty's thread keeps into the port's counters. */
    private void fold() {
        long d = rxDrops;
        if (d != rxDropsSeen) {
            counters.noBuffer(d - rxDropsSeen);
            rxDropsSeen = d;
        }
        long e = txErrors;
        if (e != txErrorsSeen) {
            counters.txError(e - txErrorsSeen);
            txErrorsSeen = e;
        }
    }

    /** None: the rings hold copies, not the engine's buffers. */
    @Override
    public int buffersHeld() {
        return 0;
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    /** Drops the frames waiting in the receive ring (rx no-buffer each); what is queued to send still goes. */
    @Override
    public void drain() {
        fold();
        long t = rx.tail();
        counters.noBuffer(t - rxHead);
        rxHead = t;
        rx.head(t);
        if (wake.get() == SIGNALLED && rxReady.clear()) {
            wake.set(IDLE);
        }
    }

    @Override
    public boolean awaitReadable(long timeoutNanos) {
        if (rx.tail() != rxHead) {
            return true;
        }
        wake.compareAndSet(IDLE, ARMED);
        VarHandle.fullFence();
        return rx.tail() != rxHead || rxReady.await(timeoutNanos) || rx.tail() != rxHead;
    }

    /**
     * Closes the channel and the wake-up on Netty's thread, waits for that, then frees the rings and
     * the eventfds and lets the event loop go.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing = true; // before anything is freed: Netty's thread then touches neither rings nor eventfds
        Channel ch = channel;
        IoRegistration r = wakeRegistration;
        boolean done = true;
        try {
            if (ch != null) {
                done = ch.eventLoop()
                                .submit(() -> {
                                    if (r != null) {
                                        r.cancel();
                                    }
                                    ch.close();
                                })
                                .awaitUninterruptibly(5, TimeUnit.SECONDS)
                        && ch.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        } catch (RejectedExecutionException e) {
            done = true; // the loop is gone, and with it the channel
        } finally {
            if (done) {
                rxReady.close();
                txWake.close();
                arena.close();
            }
            // else Netty's thread has not let the channel and the wake-up go within 10 s: their memory and
            // descriptors are left to the process rather than freed under a thread that may still use them
            if (loops) {
                Loops.release();
            }
        }
    }

    @Override
    public String toString() {
        return DRIVER + ":" + device;
    }

    /** Netty's thread: sends what the transmit ring holds, while the channel takes more. */
    private void flush() {
        if (closing) {
            return; // the eventfds and the rings may be gone: a channel closing still fires events
        }
        txWake.clear();
        flushPending.set(false);
        VarHandle.fullFence();
        Channel ch = channel;
        long h = txHead;
        long t = tx.tail();
        int unflushed = 0;
        while (h < t && ch.isWritable()) {
            int length = tx.length(h);
            ByteBuf b = ch.alloc().directBuffer(length, length);
            b.writeBytes(tx.view(h, length));
            h++;
            txHead = h;
            tx.head(h);
            ch.write(b, ch.voidPromise());
            if (++unflushed == BATCH) {
                ch.flush();
                unflushed = 0;
            }
        }
        if (unflushed > 0) {
            ch.flush();
        }
    }

    /** The channel's handler, on Netty's thread: frames in, errors counted, sending resumed. */
    private final class Wire extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                ByteBuf content = msg instanceof DatagramPacket p ? p.content() : (ByteBuf) msg;
                take(content);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void take(ByteBuf content) {
            int length = content.readableBytes();
            long t = rxTail;
            if (closing
                    || length < UdpWire.ETHERNET_HEADER
                    || length > BufferPool.MAX_FRAME
                    || t - rx.head() == rx.slots()) {
                rxDrops = rxDrops + 1; // not a frame, larger than a buffer, or no room
                return;
            }
            content.getBytes(content.readerIndex(), rx.view(t, length));
            rx.filled(t, length, System.nanoTime() + epoch);
            rxTail = t + 1;
            rx.tail(t + 1);
        }

        /** After a batch: signal the data plane thread if it asked (and may be asleep). */
        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            VarHandle.fullFence();
            if (!closing && wake.get() == ARMED && wake.compareAndSet(ARMED, SIGNALLED)) {
                rxReady.signal();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                flush();
            }
        }

        /**
         * The socket's errors: a send that failed, or the peer's port unreachable heard on the next call.
         * Each is a tx error; none closes the channel.
         */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            txErrors = txErrors + 1;
        }
    }

    /** The engine's wake-up of Netty's thread: an eventfd in the loop's epoll set. */
    private final class Wake implements EpollIoHandle {
        private final FileDescriptor fd = new FileDescriptor(txWake.fd());

        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            flush();
        }

        /** Nothing: the eventfd is the port's, closed with it. */
        @Override
        public void close() {}
    }
}
