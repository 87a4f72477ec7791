package dev.srv6sh.dataplane.port.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The far end of a port in a test: a plain AF_PACKET socket on a device (no rings, one frame per
 * system call, written apart from the ports so that a mistake in them is not made twice), which sends
 * frames out of the device and takes the frames that arrive on it. It ignores its own outgoing frames
 * and has a large receive buffer, so a burst of the engine's is kept whole until taken. Sending and
 * counting from a frame already in native memory ({@link #send(MemorySegment, int)}, {@link
 * #discard}) allocate nothing.
 */
public final class PacketSocket implements AutoCloseable {
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_TRUNC = 0x20;
    private static final int MAX = 65536;

    private final Arena arena = Arena.ofShared();
    private final Libc libc = new Libc(arena);
    private final MemorySegment buffer = arena.allocate(MAX, 64);
    private final int fd;
    private long received;

    private PacketSocket(String device) throws ErrnoException {
        int ifindex = libc.ifNameToIndex(device);
        if (ifindex == 0) {
            throw new ErrnoException(device, libc.error(), null);
        }
        int s = libc.socket(AfPacketPort.AF_PACKET, AfPacketPort.SOCK_RAW | AfPacketPort.SOCK_CLOEXEC, 0);
        if (s < 0) {
            throw new ErrnoException("socket", libc.error(), null);
        }
        this.fd = s;
        MemorySegment scratch = arena.allocate(8, 8);
        libc.setsockopt(fd, AfPacketPort.SOL_PACKET, AfPacketPort.PACKET_IGNORE_OUTGOING, 1, scratch);
        libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, 32 << 20, scratch);
        MemorySegment ll = arena.allocate(20, 4);
        ll.set(JAVA_SHORT, 0, (short) AfPacketPort.AF_PACKET);
        ll.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) AfPacketPort.ETH_P_ALL);
        ll.set(JAVA_INT, 4, ifindex);
        if (libc.bind(fd, ll, 20) < 0) {
            ErrnoException e = new ErrnoException("bind", libc.error(), null);
            libc.close(fd);
            throw e;
        }
    }

    /** A far end on {@code device}, in the calling thread's network namespace. */
    public static PacketSocket open(String device) throws ErrnoException {
        return new PacketSocket(device);
    }

    /** Sends {@code frame} out of the device. */
    public void send(byte[] frame) {
        MemorySegment.copy(frame, 0, buffer, JAVA_BYTE, 0, frame.length);
        send(buffer, frame.length);
    }

    /** Sends the first {@code length} bytes of {@code frame} (native memory) out of the device. */
    public void send(MemorySegment frame, int length) {
        long sent = libc.sendto(fd, frame.address(), length, 0, 0L, 0);
        if (sent != length) {
            throw new IllegalStateException("far end: sendto: " + (sent < 0 ? libc.error() : sent + " bytes"));
        }
    }

    /** Copies of the frames that arrived since the last call, in order. */
    public List<byte[]> take() {
        List<byte[]> out = new ArrayList<>();
        long n;
        while ((n = libc.recv(fd, buffer.address(), MAX, MSG_DONTWAIT | MSG_TRUNC)) >= 0) {
            byte[] f = new byte[(int) Math.min(n, MAX)];
            MemorySegment.copy(buffer, JAVA_BYTE, 0, f, 0, f.length);
            out.add(f);
            received++;
        }
        return out;
    }

    /** Takes what arrived without keeping it: how many frames. */
    public int discard() {
        int frames = 0;
        while (libc.recv(fd, buffer.address(), MAX, MSG_DONTWAIT) >= 0) {
            frames++;
        }
        received += frames;
        return frames;
    }

    /**
     * Sleeps in poll(2) until a frame waits on the socket (true) or {@code timeoutMillis} pass
     * (false): the kernel wakes a plain packet socket for every frame it queues.
     */
    public boolean await(int timeoutMillis) {
        MemorySegment pollfd = arena.allocate(8, 8);
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(JAVA_SHORT, 4, AfPacketPort.POLLIN);
        return libc.poll(pollfd.address(), 1, timeoutMillis) > 0;
    }

    /** Frames taken or discarded so far. */
    public long received() {
        return received;
    }

    @Override
    public void close() {
        libc.close(fd);
        arena.close();
    }
}
