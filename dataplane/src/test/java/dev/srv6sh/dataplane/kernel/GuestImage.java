package dev.srv6sh.dataplane.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A Linux guest with the kernel's SRv6 for qemu: Debian's own kernel ({@code linux-image-amd64}
 * builds {@code CONFIG_IPV6_SEG6_LWTUNNEL} in, which some hosts' kernels leave out) and a small
 * initramfs made of this machine's tools. The kernel package is the one the metapackage depends on,
 * fetched with {@code apt-get download} and unpacked with {@code dpkg-deb -x} (nothing is installed),
 * and only the kernel and the network drivers are kept: a cache under {@code
 * ${java.io.tmpdir}/srv6sh-qemu-cache/PACKAGE}, so a machine pays the 70 MB download once.
 *
 * <p>The initramfs holds busybox (mount, insmod, timeout and the small tools), and, with the shared
 * libraries {@code ldd} lists, this machine's {@code /bin/sh}, iproute2's {@code ip}, {@code ping} and
 * {@code iperf3}: a static busybox's shell runs its own applets before anything on the PATH, and its
 * {@code ip} knows nothing of seg6, so the guest runs commands with the other shell, which finds
 * iproute2 first. Its {@code /init} ({@link #INIT}) loads the drivers in dependency order, says it is
 * ready on the serial console, then runs each line it reads there and prints the exit status: {@link
 * QemuGuest} is the other end. The archive is named by the hash of its content, so machines and runs
 * that build the same one share it.
 */
record GuestImage(Path kernel, Path initramfs, String release) {
    /** The network drivers, in the order they depend on each other (the {@code depends=} of each .ko). */
    static final List<String> MODULES = List.of(
            "virtio_ring",
            "virtio",
            "virtio_pci_modern_dev",
            "virtio_pci_legacy_dev",
            "virtio_pci",
            "failover",
            "net_failover",
            "virtio_net",
            "veth");

    /** The tools the guest runs besides busybox's, from this machine. */
    static final List<String> TOOLS = List.of("ip", "ping", "iperf3");

    /** The tools on this machine that {@link #prepare} needs (besides the {@link #TOOLS}). */
    static final List<String> NEEDS = List.of("apt-get", "apt-cache", "dpkg-deb", "busybox", "ldd");

    /** The first line of a guest ready for commands, then its kernel release. */
    static final String READY = "@@srv6sh ready ";

    /** Ends each command's output, then its exit status. */
    static final String DONE = "@@srv6sh rc=";

    static final String INIT =
            """
            #!/bin/busybox sh
            # srv6sh's test guest (GuestImage): mounts, loads the network drivers, then runs each line read
            # on the console ("SECONDS COMMAND") with the shell in /usr/bin and prints its exit status.
            /bin/busybox --install -s /bin
            export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp
            mount -t proc proc /proc
            mount -t sysfs sysfs /sys
            mount -t devtmpfs devtmpfs /dev
            mount -t tmpfs tmpfs /run
            mount -t tmpfs tmpfs /tmp
            mkdir -p /run/netns
            echo 1 >/proc/sys/kernel/printk
            for m in %s; do
              [ -e /lib/modules/$m.ko ] && { insmod /lib/modules/$m.ko || echo "insmod $m failed"; }
            done
            ip link set lo up
            stty -echo
            echo "%s$(uname -r)"
            while read -r secs line; do
              timeout "$secs" /usr/bin/sh -c "$line" </dev/null 2>&1
              echo "%s$?"
            done
            poweroff -f
            """
                    .formatted(String.join(" ", MODULES), READY, DONE);

    private static final Duration SLOW = Duration.ofMinutes(5);

    /** The kernel and an initramfs, from the cache or made now. */
    static GuestImage prepare() throws IOException {
        String pkg = kernelPackage();
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "srv6sh-qemu-cache");
        Files.createDirectories(root);
        Path dir = root.resolve(pkg);
        try (FileChannel lock = FileChannel.open(
                        root.resolve(pkg + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock _ = lock.lock()) {
            if (!Files.isRegularFile(dir.resolve("vmlinuz"))) {
                unpack(pkg, root, dir);
            }
            String release = Files.readString(dir.resolve("release")).strip();
            byte[] initramfs = initramfs(dir.resolve("modules"));
            Path image = dir.resolve("initramfs-" + sha256(initramfs).substring(0, 16) + ".cpio");
            if (!Files.isRegularFile(image)) {
                Path part = Files.createTempFile(dir, "initramfs", ".part");
                Files.write(part, initramfs);
                Files.move(part, image, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return new GuestImage(dir.resolve("vmlinuz"), image, release);
        }
    }

    /** The exact kernel package {@code linux-image-amd64} depends on, such as {@code linux-image-6.1.0-57-amd64}. */
    static String kernelPackage() {
        String out = CommandResult.run(null, SLOW, List.of("apt-cache", "depends", "linux-image-amd64"))
                .orThrow();
        for (String line : out.lines().toList()) {
            String l = line.strip();
            if (l.startsWith("Depends: linux-image-")) {
                return l.substring("Depends: ".length()).strip();
            }
        }
        throw new IllegalStateException("apt-cache depends linux-image-amd64 names no kernel package "
                + "(apt-get update first?): " + out.strip());
    }

    /** Downloads {@code pkg}, keeps its kernel and the {@link #MODULES} in {@code dir}, drops the rest. */
    private static void unpack(String pkg, Path root, Path dir) throws IOException {
        Path work = Files.createTempDirectory(root, pkg + ".part");
        try {
            CommandResult.run(work, SLOW, List.of("apt-get", "download", "-q", pkg))
                    .orThrow();
            Path deb;
            try (Stream<Path> s = Files.list(work)) {
                deb = s.filter(p -> p.toString().endsWith(".deb"))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("apt-get download " + pkg + " left no .deb"));
            }
            Path x = work.resolve("x");
            CommandResult.run(null, SLOW, List.of("dpkg-deb", "-x", deb.toString(), x.toString()))
                    .orThrow();
            Path staged = work.resolve("staged");
            Files.createDirectories(staged.resolve("modules"));
            Path vmlinuz;
            try (Stream<Path> s = Files.list(x.resolve("boot"))) {
                vmlinuz = s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-"))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException(pkg + " has no boot/vmlinuz-*"));
            }
            Files.copy(vmlinuz, staged.resolve("vmlinuz"));
            Path modules;
            try (Stream<Path> s = Files.list(x.resolve("lib/modules"))) {
                modules = s.findFirst().orElseThrow(() -> new IllegalStateException(pkg + " has no lib/modules"));
            }
            Files.writeString(staged.resolve("release"), modules.getFileName() + "\n");
            try (Stream<Path> s = Files.walk(modules)) {
                for (Path ko : s.toList()) {
                    String name = ko.getFileName().toString();
                    for (String m : MODULES) {
                        if (name.equals(m + ".ko")) {
                            Files.copy(ko, staged.resolve("modules").resolve(name));
                        } else if (name.equals(m + ".ko.xz")) {
                            Path to = staged.resolve("modules").resolve(m + ".ko");
                            CommandResult.run(
                                            null,
                                            SLOW,
                                            List.of("sh", "-c", "xz -dc \"$0\" >\"$1\"", ko.toString(), to.toString()))
                                    .orThrow();
                        }
                    }
                }
            }
            Files.move(staged, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            delete(work);
        }
    }

    /** The initramfs: busybox, the shell, the {@link #TOOLS} with their libraries, the drivers, {@link #INIT}. */
    private static byte[] initramfs(Path modules) throws IOException {
        Cpio cpio = new Cpio();
        for (String d : List.of("proc", "sys", "dev", "run", "tmp", "etc", "root", "sbin", "usr/sbin")) {
            cpio.dir(d);
        }
        cpio.symlink("var/run", "/run");
        Set<Path> libraries = new LinkedHashSet<>();
        Path busybox = locate("busybox");
        cpio.file("bin/busybox", Files.readAllBytes(busybox), true);
        libraries.addAll(libraries(busybox));
        Path shell = Path.of("/bin/sh").toRealPath();
        cpio.file("usr/bin/sh", Files.readAllBytes(shell), true);
        libraries.addAll(libraries(shell));
        for (String tool : TOOLS) {
            Path p = locate(tool).toRealPath();
            cpio.file("usr/bin/" + tool, Files.readAllBytes(p), true);
            libraries.addAll(libraries(p));
        }
        for (Path lib : libraries) {
            cpio.file(lib.toString(), Files.readAllBytes(lib.toRealPath()), true);
        }
        try (Stream<Path> s = Files.list(modules)) {
            for (Path ko : s.sorted(Comparator.naturalOrder()).toList()) {
                cpio.file("lib/modules/" + ko.getFileName(), Files.readAllBytes(ko), false);
            }
        }
        cpio.file("init", INIT.getBytes(StandardCharsets.UTF_8), true);
        return cpio.toBytes();
    }

    /** What {@code ldd} says {@code binary} loads, the dynamic loader included; none for a static one. */
    private static List<Path> libraries(Path binary) {
        CommandResult r = CommandResult.run(null, SLOW, List.of("ldd", binary.toString()));
        List<Path> out = new ArrayList<>();
        if (!r.ok()) {
            return out; // "not a dynamic executable"
        }
        for (String line : r.output().lines().toList()) {
            for (String word : line.strip().split("\\s+")) {
                if (word.startsWith("/")) {
                    out.add(Path.of(word));
                }
            }
        }
        return out;
    }

    /** {@code tool} on the PATH (or in the sbin directories), or an error. */
    static Path locate(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String d : (path + ":/usr/sbin:/sbin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return Path.of(d, tool);
            }
        }
        throw new IllegalStateException("'" + tool + "' is not on the PATH");
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
