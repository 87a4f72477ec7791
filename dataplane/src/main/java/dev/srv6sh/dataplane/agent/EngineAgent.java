package dev.srv6sh.dataplane.agent;

import dev.srv6sh.dataplane.BehaviorSpec;
import dev.srv6sh.dataplane.Behaviors;
import dev.srv6sh.dataplane.ConfigException;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The router agent in process, over a real {@link Engine}: the local backend's routers and the
 * router daemon are driven through it, and the SSH transport carries its calls. It owns the commit
 * model ({@link ConfigStore}: candidates, conflicts, history) and touches the engine only through its
 * {@link EngineHost}, on the engine's thread.
 *
 * <p>A commit validates and swaps in one {@link Engine#apply}: a configuration the data plane
 * refuses leaves the running one forwarding, and the store changes only once the engine took the
 * new one. A {@code commit confirmed} is undone by the {@link AgentTimer} unless confirmed in time,
 * and every call also undoes one whose deadline has passed, so a late timer changes nothing that a
 * caller can see. While a commit waits for its confirmation, other commits and rollbacks are
 * refused: undoing it must not undo them too.
 *
 * <p>Calls are safe from any thread. Configuration calls are serialized; a trace, which waits for
 * packets, holds only the trace's own lock, so a commit can land while it waits.
 *
 * <p>A router whose data plane is several workers (the router daemon's {@code --workers}: engines with
 * the same configuration, each on its own thread with its own ports) is one router to the agent and
 * its clients. A commit applies to every worker in turn, the first one validating it; if a later one
 * refuses it (a device it cannot open), the workers that took it go back to what they ran, and the
 * commit fails whole. Counters are every worker's summed ({@link Counters#sum}); the FIB, the same on
 * every worker, is the first's; the neighbor table is merged (each worker resolves the next hops of
 * its own flows: an entry is the one in the most settled state, with the packets every worker holds
 * for it); a trace arms every worker, and a capture takes every worker's frames.
 */
public final class EngineAgent implements RouterAgent {
    /** One worker of the router: an engine and the host that runs it (its thread). */
    public record Worker(Engine engine, EngineHost host) {
        public Worker {
            java.util.Objects.requireNonNull(engine, "engine");
            java.util.Objects.requireNonNull(host, "host");
        }
    }

    private final String name;
    private final List<Worker> workers;
    private final AgentTimer timer;
    /** The longest a {@code commit confirmed} may wait for its {@code confirm}: a day. */
    public static final Duration MAX_CONFIRM = Duration.ofDays(1);
    /** The longest a trace may wait for its packets: ten minutes. */
    public static final Duration MAX_TRACE_WAIT = Duration.ofMinutes(10);

    private final java.util.function.Consumer<String> events;
    private final ConfigStore store;
    private final Object lock = new Object();
    private final Tracing tracing;
    private Runnable cancelConfirm = () -> {};

    /**
     * How an agent keeps time and history: the wall clock and timer of commit deadlines, the directory
     * the history is kept in (null: in memory only), and the room each capture's stream has in memory
     * for frames its reader has not taken yet.
     */
    public record Settings(
            AgentTimer timer, Path historyDir, int captureBytes, java.util.function.Consumer<String> events) {
        /** The system's clock, no history on disk, 4 MiB per capture, events unreported. */
        public static final Settings DEFAULT = new Settings(AgentTimer.system(), null, 4 << 20, e -> {});

        public Settings(AgentTimer timer, Path historyDir, int captureBytes) {
            this(timer, historyDir, captureBytes, e -> {});
        }

        public Settings {
            java.util.Objects.requireNonNull(timer, "timer");
            events = events == null ? e -> {} : events;
            if (captureBytes < 1 << 16) {
                throw new IllegalArgumentException("a capture needs at least 64 KiB, not " + captureBytes + " bytes");
            }
        }

        public Settings withTimer(AgentTimer t) {
            return new Settings(t, historyDir, captureBytes, events);
        }

        public Settings withHistory(Path dir) {
            return new Settings(timer, dir, captureBytes, events);
        }

        public Settings withCaptureBytes(int bytes) {
            return new Settings(timer, historyDir, bytes, events);
        }

        /**
         * Where the agent reports what changed the router, one line each: every commit (by whom, what,
         * the comment, the deadline of a {@code commit confirmed}), every confirmation, every commit
         * rolled back because it was not confirmed, and a rollback that failed. The router daemon's
         * log; called under the agent's lock, so it must not call the agent.
         */
        public Settings withEvents(java.util.function.Consumer<String> sink) {
            return new Settings(timer, historyDir, captureBytes, sink);
        }
    }

    /**
     * An agent for router {@code name} over {@code engine}, which {@code host} runs. With a history
     * on disk ({@link Settings#historyDir}), the last running configuration is applied at once, and a
     * commit that was still waiting for its confirmation is rolled back (nobody can confirm it any
     * more), which the history records.
     */
    public EngineAgent(String name, Engine engine, EngineHost host, Settings settings) throws AgentException {
        this(name, List.of(new Worker(engine, host)), settings);
    }

    /**
     * An agent for router {@code name} whose data plane is {@code workers} (one or more engines, each
     * run by its own host), as {@link #EngineAgent(String, Engine, EngineHost, Settings)} for one.
     */
    public EngineAgent(String name, List<Worker> workers, Settings settings) throws AgentException {
        if (workers.isEmpty()) {
            throw new IllegalArgumentException("router " + name + " needs a worker");
        }
        this.name = name;
        this.workers = List.copyOf(workers);
        this.timer = settings.timer();
        this.events = settings.events();
        this.store = new ConfigStore(
                name, settings.historyDir() == null ? CommitLog.NONE : CommitLog.in(settings.historyDir()));
        this.tracing = new Tracing(name, this.workers, settings.captureBytes());
        if (store.generation() > 0) {
            synchronized (lock) {
                ConfigStore.Commit pending = store.pending();
                if (pending != null && store.generation() > pending.info().id()) {
                    // its rollback was recorded (the restoring commit comes after it: nothing commits
                    // while one waits), and the process stopped before marking it rolled back
                    store.status(pending.info().id(), CommitInfo.ROLLED_BACK);
                    pending = null;
                }
                apply(
                        pending == null
                                ? store.running()
                                : store.before(pending.info().id()));
                if (pending != null) {
                    rolledBack(
                            pending,
                            "the router restarted before commit "
                                    + pending.info().id() + " was confirmed");
                }
            }
        }
    }

    /** An agent whose history lives as long as it does, with the system's clock. */
    public EngineAgent(String name, Engine engine, EngineHost host) throws AgentException {
        this(name, engine, host, Settings.DEFAULT);
    }

    /** The running configuration (no copy: configurations are immutable), for the host's own use. */
    public DataplaneConfig runningConfig() {
        synchronized (lock) {
            return store.running();
        }
    }

    /**
     * Commits {@code config} whole as user {@code user}, in a session of its own: the way a backend
     * installs what a script declared. Returns null when it changes nothing.
     */
    public CommitResult install(String user, DataplaneConfig config, String comment) throws AgentException {
        String s = openSession(user);
        try {
            edit(s, config);
            return commit(s, comment, null);
        } catch (AgentException e) {
            if (AgentException.NO_CHANGES.equals(e.code())) {
                return null;
            }
            throw e;
        } finally {
            closeSession(s);
        }
    }

    @Override
    public Descriptor describe() throws AgentException {
        List<String> ifaces;
        synchronized (lock) {
            ifaces = store.running().interfaces().stream()
                    .map(DataplaneConfig.Interface::name)
                    .toList();
        }
        return new Descriptor(name, version(), ifaces, behaviors());
    }

    static String version() {
        String v = EngineAgent.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    /** The behavior registry as the descriptor carries it. */
    static List<Descriptor.BehaviorInfo> behaviors() {
        return Behaviors.all().stream()
                .map(b -> new Descriptor.BehaviorInfo(
                        b.name(),
                        b.aliases(),
                        b.reference(),
                        b.summary(),
                        b.example(),
                        b.params().stream().map(EngineAgent::param).toList()))
                .toList();
    }

    private static Descriptor.Param param(BehaviorSpec.Param p) {
        return new Descriptor.Param(p.key(), p.kind().description(), p.required(), p.help());
    }

    @Override
    public String openSession(String user) throws AgentException {
        synchronized (lock) {
            return store.open(user);
        }
    }

    @Override
    public void closeSession(String session) {
        synchronized (lock) {
            store.close(session);
        }
    }

    @Override
    public ConfigView running() {
        synchronized (lock) {
            expireIfDue();
            return new ConfigView(store.generation(), store.running());
        }
    }

    @Override
    public ConfigView candidate(String session) throws AgentException {
        synchronized (lock) {
            expireIfDue();
            return store.candidate(session);
        }
    }

    @Override
    public ConfigView edit(String session, DataplaneConfig candidate) throws AgentException {
        synchronized (lock) {
            return store.edit(session, candidate);
        }
    }

    @Override
    public List<Change> diff(String session) throws AgentException {
        synchronized (lock) {
            return store.diff(session);
        }
    }

    @Override
    public CommitResult commit(String session, String comment, Duration confirmWithin) throws AgentException {
        if (confirmWithin != null && (confirmWithin.isNegative() || confirmWithin.isZero())) {
            throw new AgentException(
                    AgentException.BAD_REQUEST, "commit confirmed needs a time to confirm in, not " + confirmWithin);
        }
        if (confirmWithin != null && confirmWithin.compareTo(MAX_CONFIRM) > 0) {
            // checked before anything is applied: a deadline that cannot be kept must not half-commit
            throw new AgentException(
                    AgentException.BAD_REQUEST,
                    "commit confirmed waits at most " + MAX_CONFIRM.toHours() + " hours, not " + confirmWithin);
        }
        synchronized (lock) {
            expireIfDue();
            refuseWhilePending("commit");
            ConfigStore.Prepared p = store.prepare(session);
            Instant now = timer.clock().instant();
            Instant by = confirmWithin == null ? null : now.plus(confirmWithin);
            apply(p.config());
            ConfigStore.Commit c = record(
                    p.user(),
                    now,
                    comment,
                    p.config(),
                    p.summary(),
                    by == null ? CommitInfo.COMMITTED : CommitInfo.PENDING,
                    by);
            store.rebase(session);
            if (by != null) {
                long id = c.info().id();
                cancelConfirm = timer.schedule(by, () -> expire(id));
            }
            return result(c);
        }
    }

    private static CommitResult result(ConfigStore.Commit c) {
        return new CommitResult(
                c.info().id(),
                c.info().generation(),
                c.info().summary(),
                c.info().confirmBy());
    }

    private void refuseWhilePending(String what) throws AgentException {
        ConfigStore.Commit pending = store.pending();
        if (pending != null) {
            throw new AgentException(
                    AgentException.CONFLICT,
                    "commit " + pending.info().id() + " (" + pending.info().user() + ") waits to be confirmed until "
                            + pending.info().confirmBy() + "; confirm it, or let it roll back, before a " + what);
        }
    }

    @Override
    public CommitResult confirm(String session) throws AgentException {
        synchronized (lock) {
            store.user(session);
            expireIfDue();
            ConfigStore.Commit pending = store.pending();
            if (pending == null) {
                throw new AgentException(AgentException.BAD_REQUEST, "no commit waits to be confirmed");
            }
            cancelConfirm.run();
            cancelConfirm = () -> {};
            ConfigStore.Commit c = store.status(pending.info().id(), CommitInfo.COMMITTED);
            report("commit " + c.info().id() + " confirmed by " + store.user(session));
            return new CommitResult(c.info().id(), store.generation(), c.info().summary(), null);
        }
    }

    @Override
    public CommitResult rollback(String session, int steps, String comment) throws AgentException {
        synchronized (lock) {
            String user = store.user(session);
            expireIfDue();
            long gen = store.generation();
            if (steps < 1 || steps > gen) {
                throw new AgentException(
                        AgentException.BAD_REQUEST,
                        gen == 0
                                ? "nothing to roll back: there is no commit yet"
                                : "rollback takes 1 to " + gen + " commits, not " + steps);
            }
            refuseWhilePending("rollback");
            DataplaneConfig target = store.before(gen - steps + 1);
            List<Change> changes = ConfigItems.diff(store.running(), target);
            if (changes.isEmpty()) {
                throw new AgentException(
                        AgentException.NO_CHANGES, "the configuration of " + steps + " commits ago is the running one");
            }
            apply(target);
            ConfigStore.Commit c = record(
                    user,
                    timer.clock().instant(),
                    comment == null || comment.isBlank() ? "rollback " + steps : comment,
                    target,
                    ConfigStore.summary(changes),
                    CommitInfo.COMMITTED,
                    null);
            store.rebase(session);
            return result(c);
        }
    }

    @Override
    public void discard(String session) throws AgentException {
        synchronized (lock) {
            store.discard(session);
        }
    }

    @Override
    public List<CommitInfo> commits() {
        synchronized (lock) {
            expireIfDue();
            return store.commits();
        }
    }

    /** How many workers the router's data plane runs. */
    public int workers() {
        return workers.size();
    }

    @Override
    public Counters counters() throws AgentException {
        List<Counters> all = new java.util.ArrayList<>();
        for (Worker w : workers) {
            all.add(onEngine(w, "the counters", w.engine()::counters));
        }
        return Counters.sum(all);
    }

    /** One worker's counters (how the flows spread over them), {@code worker} from 0. */
    public Counters counters(int worker) throws AgentException {
        Worker w = workers.get(java.util.Objects.checkIndex(worker, workers.size()));
        return onEngine(w, "the counters", w.engine()::counters);
    }

    @Override
    public List<FibEntry> fib() throws AgentException {
        Worker w = workers.getFirst(); // every worker's is built from the same configuration
        return onEngine(w, "the FIB", w.engine()::fib);
    }

    @Override
    public List<NeighborEntry> neighbors() throws AgentException {
        if (workers.size() == 1) {
            Worker w = workers.getFirst();
            return onEngine(w, "the neighbor table", w.engine()::neighbors);
        }
        List<List<NeighborEntry>> all = new java.util.ArrayList<>();
        for (Worker w : workers) {
            all.add(onEngine(w, "the neighbor table", w.engine()::neighbors));
        }
        return mergeNeighbors(
                all,
                runningConfig().interfaces().stream()
                        .map(DataplaneConfig.Interface::name)
                        .toList());
    }

    /**
     * The workers' neighbor tables as one: per interface and address, the entry in the most settled
     * state (static, reachable, then on to failed), the most recently confirmed of equals, holding the
     * packets every worker holds for it; by interface ({@code ifaces}' order), IPv4 first, then address,
     * as one engine's table is.
     */
    static List<NeighborEntry> mergeNeighbors(List<List<NeighborEntry>> tables, List<String> ifaces) {
        java.util.Map<String, NeighborEntry> best = new java.util.LinkedHashMap<>();
        java.util.Map<String, Integer> held = new java.util.HashMap<>();
        for (List<NeighborEntry> table : tables) {
            for (NeighborEntry e : table) {
                String key = e.iface() + " " + e.address().getHostAddress();
                held.merge(key, e.held(), Integer::sum);
                best.merge(
                        key,
                        e,
                        (a, b) -> settled(b) < settled(a)
                                        || (settled(b) == settled(a) && b.age().compareTo(a.age()) < 0)
                                ? b
                                : a);
            }
        }
        List<NeighborEntry> out = new java.util.ArrayList<>();
        best.forEach(
                (k, e) -> out.add(new NeighborEntry(e.address(), e.mac(), e.iface(), e.state(), e.age(), held.get(k))));
        out.sort(java.util.Comparator.<NeighborEntry>comparingInt(e -> {
                    int i = ifaces.indexOf(e.iface());
                    return i < 0 ? Integer.MAX_VALUE : i;
                })
                .thenComparingInt(e -> e.address().getAddress().length)
                .thenComparing(e -> e.address().getAddress(), java.util.Arrays::compareUnsigned));
        return List.copyOf(out);
    }

    /** How settled an entry's state is: 0 for a static one, on to failed. */
    private static int settled(NeighborEntry e) {
        return switch (e.state()) {
            case PERMANENT -> 0;
            case REACHABLE -> 1;
            case DELAY -> 2;
            case PROBE -> 3;
            case STALE -> 4;
            case INCOMPLETE -> 5;
            case FAILED -> 6;
        };
    }

    @Override
    public Traces trace(int count, Duration wait) throws AgentException, InterruptedException {
        if (wait == null || wait.isNegative() || wait.compareTo(MAX_TRACE_WAIT) > 0) {
            // one trace at a time: a wait of hours would hold every other user's trace
            throw new AgentException(
                    AgentException.BAD_REQUEST,
                    "a trace waits 0 to " + MAX_TRACE_WAIT.toMinutes() + " minutes for its packets, not " + wait);
        }
        return tracing.trace(count, wait, this::runningConfig);
    }

    @Override
    public String captureStart(String iface) throws AgentException {
        if (iface != null
                && runningConfig().interfaces().stream().noneMatch(i -> i.name().equals(iface))) {
            throw new AgentException(
                    AgentException.BAD_REQUEST, "router " + name + " has no interface '" + iface + "'");
        }
        return tracing.captureStart(iface);
    }

    @Override
    public byte[] captureRead(String capture, int max) throws AgentException {
        return tracing.captureRead(capture, max);
    }

    @Override
    public CaptureSummary captureStop(String capture) throws AgentException {
        return tracing.captureStop(capture);
    }

    /** How many captures are armed (tests: a departed client's are stopped). */
    int capturing() {
        return tracing.capturing();
    }

    /** Stops the confirm timer and every capture; the engine is its host's to close. */
    public void close() {
        synchronized (lock) {
            cancelConfirm.run();
            cancelConfirm = () -> {};
        }
        tracing.close();
    }

    // ---- on the engine -------------------------------------------------------------------------

    private <T> T onEngine(Worker w, String what, Callable<T> task) throws AgentException {
        try {
            return w.host().call(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(
                    AgentException.INTERNAL, "router " + name + ": reading " + what + " was interrupted", e);
        } catch (AgentException e) {
            throw e;
        } catch (Exception e) {
            throw new AgentException(
                    AgentException.INTERNAL, what + " of router " + name + " are unavailable: " + e, e);
        }
    }

    /**
     * Validates and swaps {@code config} in on every worker, each on its engine's thread; the old one
     * forwards on if refused. The first worker validates it; a later one that refuses it (a device it
     * cannot open) sends the ones that took it back to what they ran.
     */
    private void apply(DataplaneConfig config) throws AgentException {
        DataplaneConfig[] before = new DataplaneConfig[workers.size()];
        for (int w = 0; w < workers.size(); w++) {
            before[w] = workers.get(w).engine().config();
            try {
                apply(w, config);
            } catch (AgentException e) {
                List<String> stuck = new ArrayList<>();
                String why = null;
                for (int back = w - 1; back >= 0; back--) {
                    try {
                        apply(back, before[back] != null ? before[back] : ConfigStore.empty(name));
                    } catch (AgentException again) {
                        e.addSuppressed(again);
                        stuck.addFirst(Integer.toString(back));
                        why = again.getMessage().replace("; the running configuration stays in force", "");
                    }
                }
                if (stuck.isEmpty()) {
                    throw e;
                }
                // not "stays in force": the workers that could not go back run the new one
                AgentException split = new AgentException(
                        AgentException.INTERNAL,
                        e.getMessage().replace("; the running configuration stays in force", "")
                                + "; and worker " + String.join(", ", stuck) + " could not go back to the running"
                                + " configuration (" + why + "): the workers run different configurations,"
                                + " restart the router",
                        e);
                throw split;
            }
        }
    }

    /** Applies {@code config} on worker {@code index}; errors name it when there are several. */
    private void apply(int index, DataplaneConfig config) throws AgentException {
        Engine engine = workers.get(index).engine();
        EngineHost host = workers.get(index).host();
        String router = workers.size() == 1
                ? "router " + name
                : "router " + name + " (worker " + index + " of " + workers.size() + ")";
        try {
            host.call(() -> {
                engine.apply(config);
                host.applied(config);
                return null;
            });
        } catch (ConfigException e) {
            throw new AgentException(
                    AgentException.INVALID,
                    router + " refused the configuration: " + e.getMessage()
                            + "; the running configuration stays in force",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(AgentException.INTERNAL, router + ": configuring was interrupted", e);
        } catch (Exception e) {
            throw new AgentException(
                    AgentException.INTERNAL,
                    router + " could not apply the configuration: " + e + "; the running configuration stays in force",
                    e);
        }
    }

    /** Records a commit the engine runs already; if the history cannot keep it, the engine goes back. */
    private ConfigStore.Commit record(
            String user,
            Instant time,
            String comment,
            DataplaneConfig config,
            String summary,
            String status,
            Instant by)
            throws AgentException {
        DataplaneConfig before = store.running();
        try {
            ConfigStore.Commit c = store.record(user, time, comment, config, summary, status, by);
            report("commit " + c.info().id() + " by " + user + ": " + summary
                    + (comment == null || comment.isBlank() ? "" : " (\"" + comment + "\")")
                    + (by == null ? "" : ", to be confirmed by " + by)
                    + "; generation " + c.info().generation());
            return c;
        } catch (AgentException e) {
            try {
                apply(before); // before the first commit: the empty configuration, no interface
            } catch (AgentException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    /** Rolls back a {@code commit confirmed} whose deadline passed, if it still waits. On the timer's thread. */
    private void expire(long id) {
        synchronized (lock) {
            ConfigStore.Commit pending = store.pending();
            if (pending != null && pending.info().id() == id) {
                try {
                    apply(store.before(id));
                    rolledBack(
                            pending,
                            "commit " + id + " was not confirmed by "
                                    + pending.info().confirmBy());
                } catch (AgentException e) {
                    // nothing to report to: the next call tries again (expireIfDue), and says why if it fails
                    report("rolling back commit " + id + " failed: " + e.getMessage());
                }
            }
        }
    }

    /** Every call's check: a deadline the timer has not acted on yet is acted on now. Under the lock. */
    private void expireIfDue() {
        ConfigStore.Commit pending = store.pending();
        if (pending != null && !timer.clock().instant().isBefore(pending.info().confirmBy())) {
            cancelConfirm.run();
            cancelConfirm = () -> {};
            expire(pending.info().id());
        }
    }

    /** Records that {@code pending} was undone (the engine runs the configuration before it already). */
    private void rolledBack(ConfigStore.Commit pending, String why) throws AgentException {
        long id = pending.info().id();
        DataplaneConfig restored = store.before(id);
        // the restoring commit first: after a crash between the two lines, running is the restored
        // configuration and the constructor marks the pending commit (see there)
        ConfigStore.Commit c = store.record(
                "system",
                timer.clock().instant(),
                why + ": rolled back",
                restored,
                ConfigStore.summary(ConfigItems.diff(pending.config(), restored)),
                CommitInfo.COMMITTED,
                null);
        store.status(id, CommitInfo.ROLLED_BACK);
        report("commit " + id + " rolled back: " + why + "; commit " + c.info().id()
                + " restores the configuration before it");
    }

    /** One event for the host's log; a sink that fails loses the line, never the commit. */
    private void report(String event) {
        try {
            events.accept(event);
        } catch (RuntimeException e) {
            // the log is not the history: the commit stands either way
        }
    }
}
