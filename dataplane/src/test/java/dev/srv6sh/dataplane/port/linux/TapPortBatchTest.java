package dev.srv6sh.dataplane.port.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.srv6sh.dataplane.port.BufferPool;
import dev.srv6sh.dataplane.port.RxBurst;
import dev.srv6sh.dataplane.port.TxBurst;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A TAP port's transmitted bursts through io_uring ({@link IoUring}: the writes of a burst in one
 * system call) and without it (a system call per frame, as on a kernel that refuses io_uring): frames
 * of every size both ways, in order, none lost, the buffers all accounted for, the batches run when
 * io_uring is there, and a frame the device refuses counted while the others go (root and {@code ip}
 * needed; io_uring is a kernel feature, so a kernel without it skips the batched cases and says why).
 */
class TapPortBatchTest {
    /** An EtherType for local experiments (IEEE 802): the kernel's stack takes no notice of these frames. */
    static final int ETHERTYPE = 0x88B5;

    /** Null when this process may write through io_uring; otherwise why not. */
    static String ioUringMissing() {
        try (IoUring ring = IoUring.open(8)) {
            return ring.supports(IoUring.IORING_OP_WRITE) ? null : "the kernel's io_uring has no write (Linux 5.6 on)";
        } catch (ErrnoException e) {
            return e.getMessage();
        }
    }

    /** A frame of {@code size} bytes (14 of Ethernet header) with {@code seq} in its first four payload bytes. */
    static byte[] frame(int size, int seq) {
        byte[] f = new byte[size];
        f[0] = 0x02;
        f[5] = 0x09;
        f[6] = 0x02;
        f[11] = 0x01;
        f[12] = (byte) (ETHERTYPE >> 8);
        f[13] = (byte) ETHERTYPE;
        f[14] = (byte) (seq >> 24);
        f[15] = (byte) (seq >> 16);
        f[16] = (byte) (seq >> 8);
        f[17] = (byte) seq;
        for (int i = 18; i < size; i++) {
            f[i] = (byte) (seq * 31 + i);
        }
        return f;
    }

    /** Sizes from 60 to 1514 bytes, changing frame to frame. */
    static int size(int seq) {
        return 60 + (seq * 397) % 1455;
    }

    static boolean ours(byte[] f) {
        return f.length >= 18 && (f[12] & 0xff) == ETHERTYPE >> 8 && (f[13] & 0xff) == (ETHERTYPE & 0xff);
    }

    /** Receives until {@code count} of the test's frames came (or 10 s passed): copies, the buffers freed. */
    static List<byte[]> receive(TapPort port, AfXdpPortTest.Pool pool, int count) {
        int[] offsets = new int[pool.count()];
        int[] lengths = new int[pool.count()];
        long[] times = new long[pool.count()];
        RxBurst rx = new RxBurst(offsets, lengths, times);
        List<byte[]> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got.size() < count && System.nanoTime() < deadline) {
            port.awaitReadable(TimeUnit.MILLISECONDS.toNanos(100));
            rx.reset(RxBurst.MAX);
            port.receive(rx);
            for (int k = 0; k < rx.count(); k++) {
                int b = rx.buffer(k);
                byte[] f = new byte[lengths[b]];
                MemorySegment.copy(
                        pool.memory(),
                        ValueLayout.JAVA_BYTE,
                        (long) b * BufferPool.BUFFER_SIZE + offsets[b],
                        f,
                        0,
                        f.length);
                if (ours(f)) {
                    got.add(f);
                }
                pool.release(b);
            }
        }
        return got;
    }

    /** Transmits {@code frames} as one burst; asserts every buffer is given back, and frees them. */
    static void transmit(TapPort port, AfXdpPortTest.Pool pool, List<byte[]> frames) {
        int[] offsets = new int[pool.count()];
        int[] lengths = new int[pool.count()];
        TxBurst tx = new TxBurst(offsets, lengths);
        for (byte[] f : frames) {
            int b = pool.allocate();
            MemorySegment.copy(f, 0, pool.memory(), ValueLayout.JAVA_BYTE, BufferPool.frameOffset(b), f.length);
            offsets[b] = BufferPool.HEADROOM;
            lengths[b] = f.length;
            tx.add(b);
        }
        assertThat(port.transmit(tx)).as("buffers given back").isEqualTo(frames.size());
        for (int k = 0; k < tx.count(); k++) {
            pool.release(tx.buffer(k));
        }
        tx.clear();
    }

    static List<byte[]> take(PacketSocket far, int count) throws InterruptedException {
        List<byte[]> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got.size() < count && System.nanoTime() < deadline) {
            far.take().stream().filter(TapPortBatchTest::ours).forEach(got::add);
            if (got.size() < count) {
                Thread.sleep(1);
            }
        }
        return got;
    }

    @ParameterizedTest(name = "io_uring {0}")
    @ValueSource(booleans = {true, false})
    void framesOfEverySizeGoBothWaysInOrderInBursts(boolean batch) throws Exception {
        Netns.require();
        if (batch) {
            String missing = ioUringMissing();
            assumeTrue(missing == null, () -> "the batched case needs io_uring: " + missing);
        }
        AfXdpPortTest.Pool pool = new AfXdpPortTest.Pool();
        try (Netns ns = Netns.create("tapb", false)) {
            TapPort port = ns.call(() -> TapPort.open("t0", pool, batch));
            PacketSocket far = ns.call(() -> PacketSocket.open("t0"));
            try {
                assertThat(port.batches()).isEqualTo(batch);
                assertThat(port.describe())
                        .startsWith("tap on t0: ")
                        .contains(
                                batch
                                        ? "writes through io_uring, up to 256 a system call; a read a frame"
                                        : "a system call per frame (batching off)");

                // the kernel sends out of t0 what the far end sends: the port reads it
                int seq = 0;
                for (int round : new int[] {1, 2, 3, 200, 200, 400}) {
                    List<byte[]> sent = new ArrayList<>();
                    for (int k = 0; k < round; k++, seq++) {
                        byte[] f = frame(size(seq), seq);
                        sent.add(f);
                        far.send(f);
                    }
                    List<byte[]> got = receive(port, pool, round);
                    assertThat(got).as("round of %d", round).hasSize(round);
                    for (int k = 0; k < round; k++) {
                        assertThat(Arrays.equals(got.get(k), sent.get(k)))
                                .as("frame %d of the round of %d, in order", k, round)
                                .isTrue();
                    }
                }
                assertThat(port.counters().rxNoBuffer()).isZero();
                assertThat(port.buffersHeld())
                        .as("the spare of the read that found nothing")
                        .isEqualTo(1);
                assertThat(pool.free() + port.buffersHeld()).isEqualTo(pool.count());

                // what the port writes, the kernel receives on t0: the far end sees it
                long before = port.counters().txPackets();
                int written = 0;
                for (int burst : new int[] {1, 3, 4, 100, 256}) {
                    List<byte[]> frames = new ArrayList<>();
                    for (int k = 0; k < burst; k++, seq++) {
                        frames.add(frame(size(seq), seq));
                    }
                    transmit(port, pool, frames);
                    List<byte[]> got = take(far, burst);
                    assertThat(got).as("burst of %d", burst).hasSize(burst);
                    for (int k = 0; k < burst; k++) {
                        assertThat(Arrays.equals(got.get(k), frames.get(k)))
                                .as("frame %d of the burst of %d, in order", k, burst)
                                .isTrue();
                    }
                    written += burst;
                }
                assertThat(port.counters().txPackets() - before).isEqualTo(written);
                assertThat(port.counters().txErrors()).isZero();
                assertThat(port.batchedWrites)
                        .as("frames written in batches: the bursts of 4 frames or more")
                        .isEqualTo(batch ? 4 + 100 + 256 : 0);
            } finally {
                port.close();
                far.close();
            }
            assertThat(pool.free()).as("every buffer back after close").isEqualTo(pool.count());
        }
    }

    @Test
    void aFrameTheDeviceRefusesInABatchIsCountedAndTheOthersGoInOrder() throws Exception {
        Netns.require();
        String missing = ioUringMissing();
        assumeTrue(missing == null, () -> "needs io_uring: " + missing);
        AfXdpPortTest.Pool pool = new AfXdpPortTest.Pool();
        try (Netns ns = Netns.create("tapb", false)) {
            TapPort port = ns.call(() -> TapPort.open("t0", pool));
            PacketSocket far = ns.call(() -> PacketSocket.open("t0"));
            try {
                // tun refuses a frame shorter than an Ethernet header (EINVAL)
                List<byte[]> burst = new ArrayList<>();
                List<byte[]> good = new ArrayList<>();
                for (int seq = 0; seq < 10; seq++) {
                    byte[] f = seq == 5 ? Arrays.copyOf(frame(60, seq), 10) : frame(size(seq), seq);
                    burst.add(f);
                    if (seq != 5) {
                        good.add(f);
                    }
                }
                transmit(port, pool, burst);
                assertThat(port.batchedWrites).isEqualTo(10);
                assertThat(port.counters().txErrors()).as("the frame refused").isEqualTo(1);
                assertThat(port.counters().txPackets()).isEqualTo(9);
                List<byte[]> got = take(far, 9);
                assertThat(got).hasSize(9);
                for (int k = 0; k < 9; k++) {
                    assertThat(Arrays.equals(got.get(k), good.get(k)))
                            .as("frame %d sent, in order", k)
                            .isTrue();
                }
                assertThat(pool.free()).isEqualTo(pool.count());
            } finally {
                port.close();
                far.close();
            }
        }
    }
}
