package dev.srv6sh.dataplane.kernel;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An initramfs: a cpio archive in the "newc" format, the one the kernel unpacks (uncompressed, which
 * it takes as well). Written here rather than with {@code cpio(1)}, which a new machine does not
 * have, and so the archive holds exactly the entries given, owned by root, whatever the umask.
 * Parent directories are added on the way. Not thread-safe.
 */
final class Cpio {
    private static final int DIR = 0040755;
    private static final int FILE = 0100644;
    private static final int EXECUTABLE = 0100755;
    private static final int SYMLINK = 0120777;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 24);
    private final Set<String> dirs = new LinkedHashSet<>();
    private int inode = 1;

    /** A directory at {@code path} (no leading slash), and its parents. */
    Cpio dir(String path) {
        String p = strip(path);
        if (p.isEmpty() || dirs.contains(p)) {
            return this;
        }
        int slash = p.lastIndexOf('/');
        if (slash > 0) {
            dir(p.substring(0, slash));
        }
        dirs.add(p);
        entry(p, DIR, new byte[0]);
        return this;
    }

    /** A regular file, executable or not. */
    Cpio file(String path, byte[] content, boolean executable) {
        String p = strip(path);
        parent(p);
        entry(p, executable ? EXECUTABLE : FILE, content);
        return this;
    }

    /** A symbolic link at {@code path} to {@code target}. */
    Cpio symlink(String path, String target) {
        String p = strip(path);
        parent(p);
        entry(p, SYMLINK, target.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** The archive, with its trailer. */
    byte[] toBytes() {
        entry("TRAILER!!!", 0, new byte[0]);
        return out.toByteArray();
    }

    private void parent(String p) {
        int slash = p.lastIndexOf('/');
        if (slash > 0) {
            dir(p.substring(0, slash));
        }
    }

    private static String strip(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p;
    }

    private void entry(String name, int mode, byte[] data) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("070701");
        int[] fields = {inode++, mode, 0, 0, (mode & 0170000) == DIR ? 2 : 1, 0, data.length, 0, 0, 0, 0, n.length, 0};
        for (int f : fields) {
            h.append(String.format("%08x", f));
        }
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(n);
        pad();
        out.writeBytes(data);
        pad();
    }

    private void pad() {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }
}
