package dev.srv6sh.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A distribution directory as {@code ./build.sh dist} lays it out ({@code srv6sh.jar}, {@code
 * lib/*.jar}), with a few bytes in each, made once per test JVM in a temporary directory.
 */
final class FakeDist {
    private static Path dir;

    private FakeDist() {}

    /** The directory (what {@code $SRV6SH_DIST} names). */
    static synchronized Path dir() {
        if (dir == null) {
            try {
                Path d = Files.createTempDirectory("srv6sh-fake-dist");
                Files.writeString(d.resolve("srv6sh.jar"), "not a jar: the tests' srv6sh\n", StandardCharsets.UTF_8);
                Files.createDirectories(d.resolve("lib"));
                Files.writeString(d.resolve("lib/dep.jar"), "not a jar: a dependency\n", StandardCharsets.UTF_8);
                d.toFile().deleteOnExit();
                d.resolve("srv6sh.jar").toFile().deleteOnExit();
                d.resolve("lib").toFile().deleteOnExit();
                d.resolve("lib/dep.jar").toFile().deleteOnExit();
                dir = d;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** {@code srv6sh.jar} and {@code lib}, as {@link Bootstrap#distribution} gives them. */
    static Path[] files() {
        return new Path[] {dir().resolve("srv6sh.jar"), dir().resolve("lib")};
    }
}
