package dev.srv6sh.dataplane.kernel;

import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.port.linux.Netns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link GuestImage} running under qemu (software emulation unless {@code SRV6SH_QEMU_ACCEL} says
 * otherwise: some machines have a {@code /dev/kvm} that hangs), started in a network namespace so
 * that the TAP device qemu creates for the guest's one NIC (virtio-net) is there, where a router
 * binds it like any interface. The guest's serial console is qemu's stdin and stdout: {@link #run}
 * writes a command line and reads its output up to the exit status the guest's {@code /init} prints.
 * Closing ends the input, on which the guest powers off.
 */
final class QemuGuest implements AutoCloseable {
    private static final int TRANSCRIPT_LINES = 200;
    private static final String EOF = "\0eof";

    private final Process qemu;
    private final OutputStream console;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Deque<String> transcript = new ArrayDeque<>();
    private final String release;
    private final Duration boot;

    private QemuGuest(Process qemu, Duration timeout) throws IOException {
        this.qemu = qemu;
        this.console = qemu.getOutputStream();
        long start = System.nanoTime();
        Thread.ofPlatform().daemon().name("qemu-console").start(this::read);
        String ready = null;
        while (ready == null) {
            String line = next(start + timeout.toNanos());
            if (line == null || line.equals(EOF)) {
                close();
                throw new IllegalStateException("the guest did not come up within " + timeout.toSeconds()
                        + " s; its console:\n" + transcript());
            }
            int i = line.indexOf(GuestImage.READY);
            if (i >= 0) {
                ready = line.substring(i + GuestImage.READY.length()).strip();
            }
        }
        this.release = ready;
        this.boot = Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Boots {@code image} with its NIC ({@code mac}) on a TAP device {@code tap} that qemu creates in
     * {@code ns}, every frame either way written to the pcap file {@code dump}; returns once the guest
     * is ready for commands.
     */
    static QemuGuest boot(GuestImage image, Netns ns, String tap, MacAddress mac, Path dump, Duration timeout)
            throws IOException {
        String accel = System.getenv().getOrDefault("SRV6SH_QEMU_ACCEL", "tcg");
        List<String> command = new ArrayList<>(List.of(
                "ip",
                "netns",
                "exec",
                ns.name(),
                "qemu-system-x86_64",
                "-accel",
                accel,
                "-m",
                "512",
                "-smp",
                "1",
                "-nodefaults",
                "-display",
                "none",
                "-no-reboot",
                "-serial",
                "stdio",
                "-kernel",
                image.kernel().toString(),
                "-initrd",
                image.initramfs().toString(),
                "-append",
                "console=ttyS0 quiet loglevel=1 panic=-1",
                "-netdev",
                "tap,id=n0,ifname=" + tap + ",script=no,downscript=no,vnet_hdr=off",
                "-device",
                "virtio-net-pci,netdev=n0,mac=" + mac,
                "-object",
                "filter-dump,id=dump,netdev=n0,maxlen=160,file=" + dump));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new QemuGuest(p, timeout);
    }

    /** The guest kernel's release ({@code uname -r}). */
    String release() {
        return release;
    }

    /** From starting qemu to the guest's ready line. */
    Duration bootTime() {
        return boot;
    }

    /**
     * Runs {@code command} (one line of shell) in the guest, killed there after {@code timeout}; its
     * output and exit status.
     */
    synchronized CommandResult run(String command, Duration timeout) {
        if (command.indexOf('\n') >= 0 || command.length() > 3500) {
            throw new IllegalArgumentException("a guest command is one line of at most 3500 characters: " + command);
        }
        long secs = Math.max(1, timeout.toSeconds());
        try {
            console.write((secs + " " + command + "\n").getBytes(StandardCharsets.UTF_8));
            console.flush();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the guest's console is closed: " + e.getMessage() + "\n" + transcript(), e);
        }
        StringBuilder out = new StringBuilder();
        long deadline = System.nanoTime() + timeout.toNanos() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String line = next(deadline);
            if (line == null || line.equals(EOF)) {
                throw new IllegalStateException("the guest gave no exit status for '" + command + "'"
                        + (line == null ? " in time" : " (qemu ended)") + "; its console:\n" + transcript());
            }
            int i = line.indexOf(GuestImage.DONE);
            if (i >= 0) {
                out.append(line, 0, i);
                int exit = Integer.parseInt(
                        line.substring(i + GuestImage.DONE.length()).strip());
                return new CommandResult(command, exit, out.toString());
            }
            out.append(line).append('\n');
        }
    }

    /** The last lines of the console, for a failure's message. */
    String transcript() {
        synchronized (transcript) {
            return String.join("\n", transcript);
        }
    }

    private String next(long deadline) {
        try {
            return lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void read() {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(qemu.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String l = line.replace("\r", "");
                synchronized (transcript) {
                    transcript.addLast(l);
                    if (transcript.size() > TRANSCRIPT_LINES) {
                        transcript.removeFirst();
                    }
                }
                lines.add(l);
            }
        } catch (IOException e) {
            // qemu ended
        }
        lines.add(EOF);
    }

    /** Ends the console's input (the guest powers off), and qemu if it is still there 10 s later. */
    @Override
    public void close() {
        try {
            console.close();
        } catch (IOException e) {
            // qemu already gone
        }
        try {
            if (!qemu.waitFor(10, TimeUnit.SECONDS)) {
                qemu.destroyForcibly();
                qemu.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            qemu.destroyForcibly();
        }
    }
}
