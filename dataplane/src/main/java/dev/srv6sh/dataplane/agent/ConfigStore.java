package dev.srv6sh.dataplane.agent;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The configuration store of one router (IOS-XR's and Junos's model): the running configuration and
 * its generation, a candidate per session, and the commit history with each commit's full
 * configuration. It decides, the data plane validates: {@link #prepare} computes what a commit would
 * make of the running configuration (only the items the session changed, refused when another commit
 * changed one of them since the session started editing), and {@link #record} makes it running once
 * the engine took it. It does no I/O of its own but through its {@link CommitLog}, and is not
 * thread-safe: {@link EngineAgent} calls it under its lock.
 *
 * <p>The generation is the id of the commit that made the running configuration (0 before the
 * first): a session's base generation names the commit it started from.
 */
final class ConfigStore {
    /** One commit of the history: what it says about itself and the whole configuration it made. */
    public record Commit(CommitInfo info, DataplaneConfig config) {
        public Commit {
            Objects.requireNonNull(info, "info");
            Objects.requireNonNull(config, "config");
        }
    }

    /**
     * A session: who, and the candidate. {@code base} is the running configuration as of when the
     * session started editing (generation {@code baseGeneration}); {@code candidate} is null while the
     * session has changed nothing, and then its candidate follows the running configuration.
     */
    private static final class Session {
        final String id;
        final String user;
        long baseGeneration;
        DataplaneConfig base;
        DataplaneConfig candidate;

        Session(String id, String user, long generation, DataplaneConfig running) {
            this.id = id;
            this.user = user;
            this.baseGeneration = generation;
            this.base = running;
        }
    }

    /** What committing a session would do: the configuration it would run, and its changes. */
    record Prepared(String user, DataplaneConfig config, List<Change> changes, String summary) {}

    private final String router;
    private final CommitLog log;
    private final List<Commit> history = new ArrayList<>();
    private final Map<String, Session> sessions = new HashMap<>();
    private final String prefix = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    private long sessionCount;
    private DataplaneConfig running;
    private long generation;

    /** A store whose history is {@code log}'s ({@link CommitLog#NONE}: kept in memory only). */
    ConfigStore(String router, CommitLog log) throws AgentException {
        this.router = router;
        this.log = log;
        this.running = empty(router);
        for (Commit c : log.load()) {
            history.add(c);
            running = c.config();
            generation = c.info().generation();
        }
    }

    /** The configuration before the first commit: the router's name and nothing else. */
    static DataplaneConfig empty(String router) {
        return new DataplaneConfig(router, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null);
    }

    String router() {
        return router;
    }

    DataplaneConfig running() {
        return running;
    }

    long generation() {
        return generation;
    }

    String open(String user) throws AgentException {
        if (user == null || user.isBlank()) {
            throw new AgentException(AgentException.BAD_REQUEST, "a session needs a user name");
        }
        String id = "s" + (++sessionCount) + "-" + prefix;
        sessions.put(id, new Session(id, user, generation, running));
        return id;
    }

    void close(String id) {
        sessions.remove(id);
    }

    private Session session(String id) throws AgentException {
        Session s = id == null ? null : sessions.get(id);
        if (s == null) {
            throw new AgentException(
                    AgentException.NO_SESSION,
                    "no session '" + id + "' (never opened, closed, or the router restarted)");
        }
        return s;
    }

    String user(String id) throws AgentException {
        return session(id).user;
    }

    /**
     * The session's candidate. A session that has changed nothing starts editing here: its base moves
     * up to the running configuration, which is what it reads.
     */
    ConfigView candidate(String id) throws AgentException {
        Session s = session(id);
        if (s.candidate == null) {
            s.base = running;
            s.baseGeneration = generation;
            return new ConfigView(generation, running);
        }
        return new ConfigView(s.baseGeneration, s.candidate);
    }

    ConfigView edit(String id, DataplaneConfig candidate) throws AgentException {
        Session s = session(id);
        if (candidate == null) {
            throw new AgentException(AgentException.BAD_REQUEST, "edit needs a configuration");
        }
        // the router's name is not the session's to change
        s.candidate = ConfigItems.toConfig(router, ConfigItems.of(candidate));
        return new ConfigView(s.baseGeneration, s.candidate);
    }

    List<Change> diff(String id) throws AgentException {
        Session s = session(id);
        return s.candidate == null ? List.of() : ConfigItems.diff(s.base, s.candidate);
    }

    /** Forgets the session's changes: its candidate follows the running configuration again. */
    void discard(String id) throws AgentException {
        Session s = session(id);
        s.candidate = null;
        s.base = running;
        s.baseGeneration = generation;
    }

    /**
     * What committing the session's changes would run: the running configuration with the items the
     * session changed (from its base to its candidate) as its candidate has them.
     *
     * @throws AgentException {@code no-changes} when there are none, {@code conflict} naming the first
     *     item another commit changed since the session started editing
     */
    Prepared prepare(String id) throws AgentException {
        Session s = session(id);
        List<Change> changes = diff(id);
        if (changes.isEmpty()) {
            throw new AgentException(AgentException.NO_CHANGES, "no changes to commit");
        }
        Map<String, Object> base = ConfigItems.of(s.base);
        Map<String, Object> now = ConfigItems.of(running);
        for (Change c : changes) {
            if (!Objects.equals(base.get(c.item()), now.get(c.item()))) {
                Commit by = changedBy(c.item(), s.baseGeneration);
                throw new AgentException(
                        AgentException.CONFLICT,
                        c.item() + " was changed by "
                                + (by == null
                                        ? "another commit"
                                        : "commit " + by.info().id() + " ("
                                                + by.info().user() + ")")
                                + " since this session started editing; discard and edit again");
            }
        }
        Set<String> keys = new java.util.LinkedHashSet<>();
        changes.forEach(c -> keys.add(c.item()));
        Map<String, Object> merged = ConfigItems.merge(now, ConfigItems.of(s.candidate), keys);
        DataplaneConfig next = ConfigItems.toConfig(router, merged);
        return new Prepared(s.user, next, ConfigItems.diff(running, next), summary(changes));
    }

    /** The newest commit after generation {@code since} that changed {@code item}. */
    private Commit changedBy(String item, long since) {
        for (int i = history.size() - 1; i >= 0; i--) {
            Commit c = history.get(i);
            if (c.info().id() <= since) {
                break;
            }
            Object before =
                    i == 0 ? null : ConfigItems.of(history.get(i - 1).config()).get(item);
            Object after = ConfigItems.of(c.config()).get(item);
            if (!Objects.equals(before, after)) {
                return c;
            }
        }
        return null;
    }

    /** A one-line summary of changes: {@code + sid dx4, ~ policy home, - steer 0 203.0.113.0/24}. */
    static String summary(List<Change> changes) {
        if (changes.isEmpty()) {
            return "no changes";
        }
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(changes.size(), 4);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(changes.get(i).kind()).append(' ').append(changes.get(i).item());
        }
        if (changes.size() > shown) {
            sb.append(" and ").append(changes.size() - shown).append(" more");
        }
        return sb.toString();
    }

    /**
     * Makes {@code config} the running configuration as a new commit, durably when the store has a
     * log, and returns it.
     */
    Commit record(
            String user,
            Instant time,
            String comment,
            DataplaneConfig config,
            String summary,
            String status,
            Instant confirmBy)
            throws AgentException {
        long id = history.isEmpty() ? 1 : history.getLast().info().id() + 1;
        Commit c = new Commit(
                new CommitInfo(id, user, time, comment == null ? "" : comment, summary, id, status, confirmBy), config);
        log.append(c);
        history.add(c);
        running = config;
        generation = id;
        return c;
    }

    /** Sets a commit's status ({@code committed} once confirmed, {@code rolled-back}), durably. */
    Commit status(long id, String status) throws AgentException {
        for (int i = 0; i < history.size(); i++) {
            Commit c = history.get(i);
            if (c.info().id() == id) {
                CommitInfo x = c.info();
                Commit updated = new Commit(
                        new CommitInfo(
                                x.id(),
                                x.user(),
                                x.time(),
                                x.comment(),
                                x.summary(),
                                x.generation(),
                                status,
                                CommitInfo.PENDING.equals(status) ? x.confirmBy() : null),
                        c.config());
                log.append(updated);
                history.set(i, updated);
                return updated;
            }
        }
        throw new AgentException(AgentException.BAD_REQUEST, "no commit " + id);
    }

    /** The session starts afresh from the running configuration (after its commit or a rollback). */
    void rebase(String id) throws AgentException {
        discard(id);
    }

    /** The commit waiting for {@code confirm}, or null. */
    Commit pending() {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (CommitInfo.PENDING.equals(history.get(i).info().status())) {
                return history.get(i);
            }
        }
        return null;
    }

    /** The running configuration as it was before commit {@code id} (the empty one before the first). */
    DataplaneConfig before(long id) {
        DataplaneConfig c = empty(router);
        for (Commit x : history) {
            if (x.info().id() >= id) {
                break;
            }
            c = x.config();
        }
        return c;
    }

    /** The history, newest first. */
    List<CommitInfo> commits() {
        List<CommitInfo> out = new ArrayList<>(history.size());
        for (int i = history.size() - 1; i >= 0; i--) {
            out.add(history.get(i).info());
        }
        return out;
    }

    /** Sessions open now, by id, with their users (for the record; tests). */
    Map<String, String> sessions() {
        Map<String, String> out = new LinkedHashMap<>();
        sessions.forEach((k, v) -> out.put(k, v.user));
        return out;
    }
}
