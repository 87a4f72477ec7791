package dev.srv6sh.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What must never leave the data plane and the history disagreeing. */
class EngineAgentRecoveryTest {
    @TempDir
    Path dir;

    private static String withDx4(RouterAgent a, String user) throws Exception {
        String s = a.openSession(user);
        a.edit(s, AgentConformance.withSid(a.candidate(s).config(), AgentConformance.dx4("dx4", "2001:db8:f::10")));
        return s;
    }

    @Test
    void aConfirmDeadlineTooFarIsRefusedBeforeAnythingIsApplied() throws Exception {
        try (EngineFixture f = new EngineFixture(dir.resolve("h"))) {
            AgentConformance.base(f);
            RouterAgent a = f.agent();
            String s = withDx4(a, "alice");
            for (Duration d : List.of(Duration.ofDays(2), Duration.ofSeconds(Long.MAX_VALUE / 2))) {
                assertThatThrownBy(() -> a.commit(s, null, d))
                        .isInstanceOf(AgentException.class)
                        .hasMessageContaining("commit confirmed waits at most 24 hours");
            }
            assertThat(a.fib()).noneMatch(e -> e.result().contains("dx4"));
            assertThat(a.commits()).hasSize(1);
            assertThat(a.commit(s, null, Duration.ofHours(24)).confirmBy()).isNotNull(); // a day is allowed
        }
    }

    @Test
    void aRestartBetweenTheRestoringCommitAndItsStatusKeepsTheRollback() throws Exception {
        Path history = dir.resolve("h");
        try (EngineFixture f = new EngineFixture(history)) {
            AgentConformance.base(f);
            RouterAgent a = f.agent();
            a.commit(withDx4(a, "alice"), "try", Duration.ofSeconds(3));
            f.time().advance(Duration.ofSeconds(4));
            assertThat(a.commits().getFirst().user()).isEqualTo("system"); // rolled back by itself
        }
        // the process stopped after the restoring commit, before the line marking commit 2 rolled back
        Path file = history.resolve("commits.jsonl");
        List<String> lines = Files.readAllLines(file);
        Files.write(file, lines.subList(0, lines.size() - 1));
        try (EngineFixture again = new EngineFixture(history)) {
            RouterAgent a = again.agent();
            assertThat(a.fib()).noneMatch(e -> e.result().contains("dx4"));
            assertThat(a.running().config().sids()).isEmpty();
            List<CommitInfo> commits = a.commits();
            assertThat(commits).hasSize(3); // no second restoring commit
            assertThat(commits.get(1).status()).isEqualTo(CommitInfo.ROLLED_BACK);
        }
    }

    @Test
    void aFirstCommitTheHistoryCannotKeepLeavesTheEngineWithNoConfiguration() throws Exception {
        Path history = dir.resolve("h");
        try (EngineFixture f = new EngineFixture(history)) {
            Files.deleteIfExists(history.resolve("commits.jsonl"));
            Files.createDirectories(history.resolve("commits.jsonl")); // a directory: cannot be appended to
            RouterAgent a = f.agent();
            String s = a.openSession("alice");
            a.edit(s, AgentConformance.BASE);
            assertThatThrownBy(() -> a.commit(s, null, null))
                    .isInstanceOf(AgentException.class)
                    .hasMessageContaining("the commit is not made");
            assertThat(a.running().generation()).isZero();
            assertThat(a.fib()).isEmpty();
        }
    }

    @Test
    void aLineTornByAStopWhileAppendingIsDroppedAndTheNextCommitStartsALineOfItsOwn() throws Exception {
        Path history = dir.resolve("h");
        try (EngineFixture f = new EngineFixture(history)) {
            AgentConformance.base(f);
        }
        Path file = history.resolve("commits.jsonl");
        String whole = Files.readString(file);
        Files.writeString(file, whole + whole.substring(0, whole.length() / 2)); // half a line, no newline
        try (EngineFixture again = new EngineFixture(history)) {
            RouterAgent a = again.agent();
            assertThat(a.commits()).hasSize(1);
            a.commit(withDx4(a, "alice"), "after the tear", null);
        }
        try (EngineFixture third = new EngineFixture(history)) {
            assertThat(third.agent().commits()).hasSize(2);
            assertThat(third.agent().running().config().sids()).hasSize(1);
        }
    }
}
