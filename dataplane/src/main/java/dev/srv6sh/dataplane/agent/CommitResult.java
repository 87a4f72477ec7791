package dev.srv6sh.dataplane.agent;

import java.time.Instant;

/** What a commit, confirm or rollback did: the commit's id, the generation now running, a summary, and (commit confirmed) the deadline. */
public record CommitResult(long id, long generation, String summary, Instant confirmBy) {}
