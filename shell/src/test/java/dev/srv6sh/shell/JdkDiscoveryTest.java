package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's JDK discovery (build/jdk.sh), run by bash over fake JDKs whose {@code java} and
 * {@code javac} leave a mark when started: it chooses from the JDKs' release files alone, starting
 * no JVM, remembers its choice, and says what it looked at when there is nothing to choose.
 */
class JdkDiscoveryTest {
    @TempDir
    Path dir;

    private Path jvms;
    private Path marks;

    @BeforeEach
    void copyTheScript() throws IOException {
        Files.createDirectories(dir.resolve("build"));
        Files.copy(Cli.root().resolve("build/jdk.sh"), dir.resolve("build/jdk.sh"));
        jvms = Files.createDirectories(dir.resolve("jvm"));
        marks = Files.createDirectories(dir.resolve("marks"));
    }

    /** A fake JDK: a release file saying {@code version}, and a java and javac that leave a mark. */
    private Path jdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(jvms.resolve(name).resolve("bin")).getParent();
        for (String tool : new String[] {"java", "javac"}) {
            Path t = home.resolve("bin").resolve(tool);
            Files.writeString(t, "#!/bin/sh\ntouch '" + marks.resolve(name + "-" + tool) + "'\n");
            Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(
                home.resolve("release"),
                "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\nOS_NAME=\"Linux\"\n",
                StandardCharsets.UTF_8);
        return home;
    }

    private record Run(int exit, String out, String err) {}

    private Run find(Map<String, String> env) throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder("bash", "-c", ". build/jdk.sh && srv6sh_find_jdk && printf '%s\\n' \"$JAVA_HOME\"");
        pb.directory(dir.toFile());
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("SRV6SH_JDK_DIRS", jvms.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(
                p.exitValue(),
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip(),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void theNewestJdkOf25OrLaterIsChosenWithoutStartingAnyJvm() throws Exception {
        jdk("java-17-openjdk-amd64", "17.0.15");
        jdk("java-1.8.0-openjdk", "1.8.0_412");
        Path t25 = jdk("temurin-25-jdk-amd64", "25.0.3");
        Path t26 = jdk("jdk-26", "26-ea");
        Run r = find(Map.of());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(t26.toString());
        try (var started = Files.list(marks)) {
            assertThat(started).as("no java or javac was started").isEmpty();
        }
        // JAVA_HOME wins when it is new enough, and is passed over when it is not
        assertThat(find(Map.of("JAVA_HOME", t25.toString())).out()).isEqualTo(t25.toString());
        assertThat(find(Map.of(
                                "JAVA_HOME",
                                jvms.resolve("java-17-openjdk-amd64").toString()))
                        .out())
                .isEqualTo(t26.toString());
    }

    @Test
    void theChoiceIsRememberedAndCheckedAgain() throws Exception {
        Path t25 = jdk("temurin-25", "25.0.1");
        Files.createDirectories(dir.resolve("shell/target"));
        assertThat(find(Map.of()).out()).isEqualTo(t25.toString());
        assertThat(dir.resolve("shell/target/.srv6sh-jdk")).hasContent(t25.toString());
        // remembered: found again even where the scan would no longer look
        assertThat(find(Map.of("SRV6SH_JDK_DIRS", dir.resolve("elsewhere").toString()))
                        .out())
                .isEqualTo(t25.toString());
        // a remembered JDK that is gone is looked for again
        Path t27 = jdk("jdk-27", "27");
        deleteTree(t25);
        assertThat(find(Map.of()).out()).isEqualTo(t27.toString());
    }

    @Test
    void withoutAJdk25TheLauncherSaysWhereItLooked() throws Exception {
        jdk("java-17-openjdk-amd64", "17.0.15");
        Run r = find(Map.of());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .contains("needs a JDK 25 or newer")
                .contains(jvms.toString())
                .contains("JAVA_HOME");
    }

    private static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
