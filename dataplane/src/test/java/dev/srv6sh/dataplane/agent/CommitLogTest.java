package dev.srv6sh.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitLogTest {
    @TempDir
    Path dir;

    private static ConfigStore.Commit commit(long id, String status) {
        return new ConfigStore.Commit(
                new CommitInfo(
                        id, "alice", Instant.parse("2001-09-09T01:46:40Z"), "c" + id, "+ sid dx4", id, status, null),
                AgentConformance.withSid(AgentConformance.BASE, AgentConformance.dx4("dx4", "2001:db8:f::" + id)));
    }

    @Test
    void keepsEveryCommitAndTheLatestStatusOfEach() throws Exception {
        CommitLog log = CommitLog.in(dir.resolve("history"));
        assertThat(log.load()).isEmpty();
        log.append(commit(1, CommitInfo.COMMITTED));
        log.append(commit(2, CommitInfo.PENDING));
        log.append(commit(2, CommitInfo.ROLLED_BACK));
        log.append(commit(3, CommitInfo.COMMITTED));
        List<ConfigStore.Commit> loaded = CommitLog.in(dir.resolve("history")).load();
        assertThat(loaded)
                .containsExactly(
                        commit(1, CommitInfo.COMMITTED),
                        commit(2, CommitInfo.ROLLED_BACK),
                        commit(3, CommitInfo.COMMITTED));
    }

    @Test
    void aCorruptLineIsAnErrorNamingTheFileAndTheLine() throws Exception {
        CommitLog log = CommitLog.in(dir);
        log.append(commit(1, CommitInfo.COMMITTED));
        Path file = dir.resolve("commits.jsonl");
        Files.writeString(
                file, "{\"info\": {\"id\": 2, \n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        // a whole line that is not a commit (its newline was written: not a tear from a stop)
        assertThatThrownBy(() -> CommitLog.in(dir).load())
                .isInstanceOf(AgentException.class)
                .hasMessageStartingWith(file + ":2: the commit history is corrupt")
                .hasMessageContaining("move the file away");
        // and the agent refuses to start on it, rather than forward with a history that has a hole
        assertThatThrownBy(() -> new EngineFixture(dir))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining(file + ":2:");
    }

    @Test
    void aMissingCommitIsAnError() throws Exception {
        Path file = dir.resolve("commits.jsonl");
        Files.writeString(
                file,
                AgentJson.write(commit(1, CommitInfo.COMMITTED)) + "\n"
                        + AgentJson.write(commit(3, CommitInfo.COMMITTED)) + "\n");
        assertThatThrownBy(() -> CommitLog.in(dir).load())
                .hasMessageContaining(file + ":2:")
                .hasMessageContaining("commit 3 where commit 2 was expected");
    }

    @Test
    void anUnwritableHistoryRefusesTheCommitAndTheEngineKeepsTheOldConfiguration() throws Exception {
        Path history = dir.resolve("h");
        try (EngineFixture f = new EngineFixture(history)) {
            AgentConformance.base(f);
            Path file = history.resolve("commits.jsonl");
            Files.delete(file);
            Files.createDirectory(file); // cannot be appended to any more
            RouterAgent a = f.agent();
            String s = a.openSession("alice");
            a.edit(s, AgentConformance.withSid(a.candidate(s).config(), AgentConformance.dx4("dx4", "2001:db8:f::10")));
            assertThatThrownBy(() -> a.commit(s, null, null))
                    .isInstanceOf(AgentException.class)
                    .hasMessageContaining("cannot write the commit history")
                    .hasMessageContaining("the commit is not made");
            assertThat(a.running().config()).isEqualTo(AgentConformance.BASE);
            assertThat(a.fib()).noneMatch(e -> e.result().contains("dx4"));
        }
    }
}
