package dev.srv6sh.dataplane.agent;

import java.time.Instant;

/**
 * One entry of the commit history: its id (counting from 1), who committed it and when, the comment,
 * a one-line summary of what changed, the generation it made, and its status: {@code committed},
 * {@code pending} (a {@code commit confirmed} awaiting {@code confirm} until {@code confirmBy}), or
 * {@code rolled-back} (not confirmed in time).
 */
public record CommitInfo(
        long id,
        String user,
        Instant time,
        String comment,
        String summary,
        long generation,
        String status,
        Instant confirmBy) {
    public static final String COMMITTED = "committed";
    public static final String PENDING = "pending";
    public static final String ROLLED_BACK = "rolled-back";
}
