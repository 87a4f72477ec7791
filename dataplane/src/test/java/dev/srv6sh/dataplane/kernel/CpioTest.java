package dev.srv6sh.dataplane.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The initramfs writer, read back the way the kernel's unpacker reads "newc" entries. */
class CpioTest {
    record Entry(String name, int mode, String data) {}

    static List<Entry> read(byte[] archive) {
        List<Entry> out = new ArrayList<>();
        int at = 0;
        while (true) {
            String header = new String(archive, at, 110, StandardCharsets.US_ASCII);
            assertThat(header).as("magic at %d", at).startsWith("070701");
            int mode = Integer.parseInt(header.substring(14, 22), 16);
            int size = Integer.parseInt(header.substring(54, 62), 16);
            int nameSize = Integer.parseInt(header.substring(94, 102), 16);
            String name = new String(archive, at + 110, nameSize - 1, StandardCharsets.UTF_8);
            assertThat(archive[at + 110 + nameSize - 1]).as("the name's NUL").isZero();
            at = align(at + 110 + nameSize);
            String data = new String(archive, at, size, StandardCharsets.UTF_8);
            at = align(at + size);
            if (name.equals("TRAILER!!!")) {
                assertThat(at).as("nothing after the trailer").isEqualTo(archive.length);
                return out;
            }
            out.add(new Entry(name, mode, data));
        }
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }

    @Test
    void entriesComeWithTheirParentsAlignedAndEndWithTheTrailer() {
        byte[] archive = new Cpio()
                .file("/usr/bin/tool", "abcde".getBytes(StandardCharsets.UTF_8), true)
                .symlink("var/run", "/run")
                .dir("usr/bin")
                .file("init", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), false)
                .toBytes();
        assertThat(archive.length % 4).isZero();
        assertThat(read(archive))
                .containsExactly(
                        new Entry("usr", 040755, ""),
                        new Entry("usr/bin", 040755, ""),
                        new Entry("usr/bin/tool", 0100755, "abcde"),
                        new Entry("var", 040755, ""),
                        new Entry("var/run", 0120777, "/run"),
                        new Entry("init", 0100644, "#!/bin/sh\n"));
    }
}
