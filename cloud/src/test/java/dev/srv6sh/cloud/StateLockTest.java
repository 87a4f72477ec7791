package dev.srv6sh.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state's lock (one holder at a time, a dead holder's lock taken over) and the resources a state records. */
class StateLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondHolderIsRefusedNamingTheFirst() throws Exception {
        Path state = dir.resolve("s.json");
        try (StateLock first = StateLock.acquire(state, "apply")) {
            assertThat(first.tookOver()).isNull();
            StateLock.Holder h = StateLock.read(StateLock.fileOf(state));
            assertThat(h.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(h.operation()).isEqualTo("apply");
            assertThatThrownBy(() -> StateLock.acquire(state, "destroy"))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining(
                            "is locked by process " + ProcessHandle.current().pid())
                    .hasMessageContaining("(apply since ");
        }
        assertThat(StateLock.fileOf(state)).doesNotExist();
    }

    @Test
    void aDeadHoldersLockIsTakenOver() throws Exception {
        Path state = dir.resolve("s.json");
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Files.writeString(
                StateLock.fileOf(state),
                "{\"pid\": " + p.pid() + ", \"host\": \""
                        + java.net.InetAddress.getLocalHost().getHostName()
                        + "\", \"time\": \"2026-01-01T00:00:00Z\", \"operation\": \"apply\"}");
        try (StateLock l = StateLock.acquire(state, "apply")) {
            assertThat(l.tookOver()).contains("process " + p.pid()).contains("no longer running");
        }
        // another host's lock is not this host's to judge
        Files.writeString(
                StateLock.fileOf(state),
                "{\"pid\": " + p.pid()
                        + ", \"host\": \"elsewhere.example\", \"time\": \"t\", \"operation\": \"apply\"}");
        assertThatThrownBy(() -> StateLock.acquire(state, "apply")).hasMessageContaining("on elsewhere.example");
    }

    @Test
    void aRecordOfAGoneProcessIsNotTakenOverWhileAnotherProcessHoldsTheFile() throws Exception {
        // two srv6sh that found the same stale lock: the first takes the file's lock (fcntl, as Java's
        // FileChannel.tryLock takes it; python3's fcntl.lockf here, from another process) and keeps it,
        // so the second, though the record it reads names a dead process, refuses (before, it removed
        // the first one's fresh lock and wrote its own: both held it)
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        Path state = dir.resolve("s.json");
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path lock = StateLock.fileOf(state);
        Files.writeString(
                lock,
                "{\"pid\": " + dead.pid() + ", \"host\": \""
                        + java.net.InetAddress.getLocalHost().getHostName()
                        + "\", \"time\": \"2026-01-01T00:00:00Z\", \"operation\": \"apply\"}");
        Process other = new ProcessBuilder(
                        "python3",
                        "-c",
                        "import fcntl, sys, time\n"
                                + "f = open(sys.argv[1], 'r+')\n"
                                + "fcntl.lockf(f, fcntl.LOCK_EX)\n"
                                + "print('held', flush=True)\n"
                                + "time.sleep(30)\n",
                        lock.toString())
                .redirectErrorStream(true)
                .start();
        try {
            assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream())).readLine())
                    .isEqualTo("held");
            assertThatThrownBy(() -> StateLock.acquire(state, "apply"))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("is locked");
        } finally {
            other.destroyForcibly().waitFor();
        }
        try (StateLock l = StateLock.acquire(state, "apply")) { // its holder gone: taken over
            assertThat(l.tookOver()).contains("process " + dead.pid());
        }
        assertThat(lock).doesNotExist();
    }

    @Test
    void resourcesRoundTripAndAFileWithoutThemStillReads() throws Exception {
        Path state = dir.resolve("s.json");
        CloudSpec spec = new CloudSpec(
                List.of(new CloudSpec.Region("paris", "aws", "eu-west-3")), List.of(), List.of(), List.of(), List.of());
        StateFile.write(state, "aws", "quickstart.srv6", spec, "quickstart", Map.of("vpc/pv", "vpc-1", "bucket", "b"));
        StateFile.State back = StateFile.read(state);
        assertThat(back.stack()).isEqualTo("quickstart");
        assertThat(back.resources()).containsExactly(Map.entry("bucket", "b"), Map.entry("vpc/pv", "vpc-1"));
        assertThat(back.spec()).isEqualTo(spec);
        assertThat(back.applied()).isBefore(Instant.now().plusSeconds(1));
        Files.writeString(
                state,
                "{\"srv6sh_state\": 1, \"backend\": \"local\", \"script\": null, \"applied\": \"2026-01-01T00:00:00Z\","
                        + " \"spec\": {\"regions\": [], \"rtts\": [], \"vpcs\": [], \"hosts\": [], \"routers\": []}}");
        assertThat(StateFile.read(state).resources()).isEmpty();
        assertThat(StateFile.read(state).stack()).isNull();
    }
}
