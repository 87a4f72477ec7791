package dev.srv6sh.dataplane.agent;

import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What every {@link RouterAgent} must do, whatever carries its calls: a list of named checks, each
 * run on a fresh {@link Fixture} and throwing {@link AssertionError} with a message that says what
 * was expected. The in-process agent ({@code EngineAgentConformanceTest}) and the SSH transport run
 * the same list, so a transport that loses an error code, a field or an exception is caught here.
 *
 * <p>It lives in main code, not in a test jar, so that a module testing a transport needs nothing
 * but its dependency on the data plane. It uses no test framework: a JUnit {@code @TestFactory}
 * turns {@link #checks} into dynamic tests.
 *
 * <p>Each check starts from {@link #BASE}, committed by user {@code setup} as commit 1: a router
 * {@code r1} with {@code inside} (192.0.2.1/24) and {@code transit} (198.51.100.1/24,
 * 2001:db8:1::1/64), IPv4 and IPv6 default routes out of transit to a static neighbor.
 */
public final class AgentConformance {
    private AgentConformance() {}

    /**
     * A router under test, fresh for each check: an agent whose router has interfaces {@code inside}
     * and {@code transit} (their ports in memory) and no configuration yet, on a {@link ManualTime}.
     */
    public interface Fixture extends AutoCloseable {
        /** The agent under test (after {@link #restart}: the new one). */
        RouterAgent agent();

        /** The wall clock and timer of the agent's commit deadlines. */
        ManualTime time();

        /** Hands {@code frame} to the router as received on {@code iface}, and lets the router process it. */
        void send(String iface, byte[] frame) throws Exception;

        /** The frames the router transmitted on {@code iface} since the last call, oldest first. */
        List<byte[]> sent(String iface) throws Exception;

        /**
         * Restarts the router (a new agent and data plane over the same kept history); false when this
         * fixture keeps no history, and the checks that need one are skipped.
         */
        boolean restart() throws Exception;

        @Override
        void close() throws Exception;
    }

    /** A check: its name and what it does with a fixture. */
    public record Check(String name, Body body) {
        public void run(Fixture f) throws Exception {
            body.run(f);
        }
    }

    @FunctionalInterface
    public interface Body {
        void run(Fixture f) throws Exception;
    }

    public static final MacAddress INSIDE_MAC = MacAddress.parse("02:00:00:00:01:01");
    public static final MacAddress TRANSIT_MAC = MacAddress.parse("02:00:00:00:01:02");
    public static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:01:99");
    public static final MacAddress HOST_MAC = MacAddress.parse("02:00:00:00:01:77");

    /** The configuration every check starts from. */
    public static final DataplaneConfig BASE = new DataplaneConfig(
            "r1",
            List.of(
                    new DataplaneConfig.Interface("inside", INSIDE_MAC, List.of(Prefix.parse("192.0.2.1/24")), 1500),
                    new DataplaneConfig.Interface(
                            "transit",
                            TRANSIT_MAC,
                            List.of(Prefix.parse("198.51.100.1/24"), Prefix.parse("2001:db8:1::1/64")),
                            1500)),
            List.of(
                    new DataplaneConfig.Route(0, Prefix.parse("0.0.0.0/0"), Addresses.parse("198.51.100.2"), null),
                    new DataplaneConfig.Route(0, Prefix.parse("::/0"), Addresses.parse("2001:db8:1::2"), null)),
            List.of(
                    new DataplaneConfig.Neighbor(Addresses.parse("198.51.100.2"), PEER_MAC, "transit"),
                    new DataplaneConfig.Neighbor(Addresses.parse("2001:db8:1::2"), PEER_MAC, "transit"),
                    new DataplaneConfig.Neighbor(Addresses.parse("192.0.2.10"), HOST_MAC, "inside")),
            List.of(),
            List.of(),
            List.of(),
            new DataplaneConfig.Encap(Addresses.parse6("2001:db8:1::1"), 64));

    /** A SID {@code name} at {@code address}: End.DX4 to the inside host. */
    public static DataplaneConfig.Sid dx4(String name, String address) {
        return new DataplaneConfig.Sid(
                name,
                Addresses.parse6(address),
                "End.DX4",
                Map.of("nh", DataplaneConfig.Arg.of(Addresses.parse("192.0.2.10"))));
    }

    /** {@code c} with {@code sid} added (or replacing the SID of its name). */
    public static DataplaneConfig withSid(DataplaneConfig c, DataplaneConfig.Sid sid) {
        List<DataplaneConfig.Sid> sids = new ArrayList<>(c.sids());
        sids.removeIf(s -> s.name().equals(sid.name()));
        sids.add(sid);
        return new DataplaneConfig(
                c.router(),
                c.interfaces(),
                c.routes(),
                c.neighbors(),
                sids,
                c.policies(),
                c.steering(),
                c.encap(),
                c.srDomain());
    }

    /** The checks, in a fixed order. */
    public static List<Check> checks() {
        return List.of(
                new Check("describe", AgentConformance::describe),
                new Check("edit, candidate and diff", AgentConformance::editCandidateDiff),
                new Check("commit with a comment", AgentConformance::commitWithComment),
                new Check("the history's fields", AgentConformance::history),
                new Check("rollback 1", AgentConformance::rollbackOne),
                new Check("commit confirmed undone by itself", AgentConformance::confirmedExpires),
                new Check("commit confirmed, confirmed in time", AgentConformance::confirmedInTime),
                new Check("two sessions, different SIDs, both land", AgentConformance::twoSessions),
                new Check("a conflicting commit is refused naming the item", AgentConformance::conflict),
                new Check("an invalid configuration is refused, the old one forwards", AgentConformance::invalid),
                new Check("no changes", AgentConformance::noChanges),
                new Check("unknown session", AgentConformance::unknownSession),
                new Check("discard", AgentConformance::discard),
                new Check("counters, FIB and neighbors", AgentConformance::state),
                new Check("trace: live", AgentConformance::traceLive),
                new Check("trace: replayed", AgentConformance::traceReplayed),
                new Check("capture: read and stop", AgentConformance::capture),
                new Check("bad requests", AgentConformance::badRequests),
                new Check("history survives a restart", AgentConformance::restart),
                new Check("a pending commit confirmed is rolled back at restart", AgentConformance::restartPending));
    }

    // ---- the checks ----------------------------------------------------------------------------

    private static void describe(Fixture f) throws Exception {
        base(f);
        Descriptor d = f.agent().describe();
        equal(d.router(), "r1", "describe: the router's name");
        equal(d.interfaces(), List.of("inside", "transit"), "describe: the interfaces");
        check(d.version() != null && !d.version().isBlank(), "describe: a version");
        Descriptor.BehaviorInfo dx4 = d.behaviors().stream()
                .filter(b -> b.name().equals("End.DX4"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("describe: End.DX4 is not among " + d.behaviors()));
        check(
                dx4.params().stream().anyMatch(p -> p.key().equals("nh") && p.required()),
                "describe: End.DX4 needs 'nh', but its parameters are " + dx4.params());
        check(
                !dx4.reference().isBlank() && !dx4.example().isBlank(),
                "describe: End.DX4 has a reference and an example");
    }

    private static void editCandidateDiff(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        String s = a.openSession("alice");
        ConfigView c = a.candidate(s);
        equal(c.generation(), 1L, "a new candidate starts from the running generation");
        equal(c.config(), BASE, "a new candidate is the running configuration");
        equal(a.diff(s), List.of(), "a new candidate has no changes");
        ConfigView edited = a.edit(s, withSid(c.config(), dx4("dx4", "2001:db8:f::10")));
        equal(edited.config().sids().size(), 1, "edit returns the candidate it holds");
        equal(a.candidate(s).config(), edited.config(), "the candidate is what was edited");
        List<Change> d = a.diff(s);
        equal(d.size(), 1, "diff: one change, got " + d);
        Change ch = d.getFirst();
        equal(ch.item(), "sid dx4", "diff: the item's key");
        equal(ch.before(), null, "diff: an added item has no before");
        equal(ch.after(), "sid dx4 at 2001:db8:f::10 End.DX4 nh 192.0.2.10", "diff: the item in the language's syntax");
        equal(ch.kind(), "+", "diff: the kind of an addition");
        equal(a.running().config(), BASE, "editing does not change the running configuration");
        a.closeSession(s);
    }

    private static void commitWithComment(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        String s = a.openSession("alice");
        a.edit(s, withSid(a.candidate(s).config(), dx4("dx4", "2001:db8:f::10")));
        CommitResult r = a.commit(s, "add dx4", null);
        equal(r.id(), 2L, "commit: the id");
        equal(r.generation(), 2L, "commit: the generation");
        equal(r.confirmBy(), null, "commit: no deadline without confirmed");
        check(r.summary().contains("sid dx4"), "commit: the summary names the item: " + r.summary());
        ConfigView run = a.running();
        equal(run.generation(), 2L, "running: the generation after the commit");
        equal(run.config().sids(), List.of(dx4("dx4", "2001:db8:f::10")), "running: the committed SID");
        equal(a.diff(s), List.of(), "after a commit the session has no changes");
        equal(a.candidate(s).generation(), 2L, "after a commit the candidate starts from the new generation");
        check(
                a.fib().stream().anyMatch(e -> e.result().contains("dx4")),
                "the data plane runs the committed SID: " + a.fib());
    }

    private static void history(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        String s = a.openSession("alice");
        a.edit(s, withSid(a.candidate(s).config(), dx4("dx4", "2001:db8:f::10")));
        f.time().advance(Duration.ofSeconds(5));
        a.commit(s, "add dx4", null);
        List<CommitInfo> h = a.commits();
        equal(h.size(), 2, "commits: two, newest first: " + h);
        CommitInfo last = h.getFirst();
        equal(last.id(), 2L, "commits: the newest first");
        equal(last.user(), "alice", "commits: the user");
        equal(last.comment(), "add dx4", "commits: the comment");
        equal(last.time(), f.time().now(), "commits: the time, on the agent's clock");
        equal(last.generation(), 2L, "commits: the generation it made");
        equal(last.status(), CommitInfo.COMMITTED, "commits: the status");
        check(last.summary().contains("sid dx4"), "commits: the summary names the item: " + last.summary());
        equal(h.get(1).user(), "setup", "commits: the first one's user");
    }

    private static void rollbackOne(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        String s = a.openSession("alice");
        a.edit(s, withSid(a.candidate(s).config(), dx4("dx4", "2001:db8:f::10")));
        a.commit(s, "add dx4", null);
        CommitResult r = a.rollback(s, 1, null);
        equal(r.id(), 3L, "rollback makes a new commit");
        equal(a.running().config(), BASE, "rollback 1 restores the configuration before the last commit");
        equal(a.running().generation(), 3L, "rollback: the new generation");
        check(a.fib().stream().noneMatch(e -> e.result().contains("dx4")), "rollback: the data plane runs it");
        CommitInfo c = a.commits().getFirst();
        equal(c.user(), "alice", "rollback: its commit's user");
        check(c.comment().contains("rollback"), "rollback: its commit says so: " + c.comment());
        equal(a.candidate(s).config(), BASE, "rollback: the session's candidate is the new running configuration");
        expectError(() -> a.rollback(s, 9, null), AgentException.BAD_REQUEST, "rollback beyond the history");
    }

    private static void confirmedExpires(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        String s = a.openSession("alice");
        a.edit(s, withSid(a.candidate(s).config(), dx4("dx4", "2001:db8:f::10")));
        CommitResult r = a.commit(s, "try dx4", Duration.ofMinutes(5));
        equal(r.confirmBy(), f.time().now().plus(Duration.ofMinutes(5)), "commit confirmed: the deadline");
        equal(a.commits().getFirst().status(), CommitInfo.PENDING, "commit confirmed: pending");
        equal(a.running().config().sids().size(), 1, "commit confirmed: running until the deadline");
        String other = a.openSession("bob");
        a.edit(other, withSid(a.candidate(other).config(), dx4("dx5", "2001:db8:f::11")));
        expectError(() -> a.commit(other, null, null), AgentException.CONFLICT, "a commit while one waits for confirm");
        f.time().advance(Duration.ofMinutes(4));
        equal(a.running().config().sids().size(), 1, "commit confirmed: still running before the deadline");
        f.time().advance(Duration.ofMinutes(2));
        equal(a.running().config(), BASE, "commit confirmed: undone after the deadline");
        check(a.fib().stream().noneMatch(e -> e.result().contains("dx4")), "commit confirmed: the data plane is back");
        List<CommitInfo> h = a.commits();
        equal(h.size(), 3, "commit confirmed: undoing it is a commit: " + h);
        equal(h.get(0).user(), "system", "commit confirmed: undone by system");
        equal(h.get(0).status(), CommitInfo.COMMITTED, "commit confirmed: the undoing commit");
        equal(h.get(1).status(), CommitInfo.ROLLED_BACK, "commit confirmed: the undone commit's status");
        expectError(() -> a.confirm(s), AgentException.BAD_REQUEST, "confirm after the deadline");
    }

    private static void confirmedInTime(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        String s = a.openSession("alice");
        a.edit(s, withSid(a.candidate(s).config(), dx4("dx4", "2001:db8:f::10")));
        a.commit(s, "try dx4", Duration.ofMinutes(5));
        f.time().advance(Duration.ofMinutes(1));
        CommitResult c = a.confirm(s);
        equal(c.id(), 2L, "confirm: the commit it confirmed");
        f.time().advance(Duration.ofMinutes(10));
        equal(a.running().config().sids().size(), 1, "confirmed in time: it stays");
        List<CommitInfo> h = a.commits();
        equal(h.size(), 2, "confirmed in time: no commit undoes it");
        equal(h.getFirst().status(), CommitInfo.COMMITTED, "confirmed: committed");
        equal(h.getFirst().confirmBy(), null, "confirmed: no deadline any more");
        expectError(() -> a.confirm(s), AgentException.BAD_REQUEST, "confirm with nothing pending");
    }

    private static void twoSessions(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        String s1 = a.openSession("alice");
        String s2 = a.openSession("bob");
        a.edit(s1, withSid(a.candidate(s1).config(), dx4("dx4", "2001:db8:f::10")));
        a.edit(s2, withSid(a.candidate(s2).config(), dx4("dx5", "2001:db8:f::11")));
        a.commit(s1, null, null);
        a.commit(s2, null, null);
        equal(
                a.running().config().sids().stream()
                        .map(DataplaneConfig.Sid::name)
                        .sorted()
                        .toList(),
                List.of("dx4", "dx5"),
                "two sessions editing different SIDs both land");
        equal(a.running().generation(), 3L, "two commits, two generations");
    }

    private static void conflict(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        String s1 = a.openSession("alice");
        String s2 = a.openSession("bob");
        a.edit(s1, withSid(a.candidate(s1).config(), dx4("dx4", "2001:db8:f::10")));
        a.edit(s2, withSid(a.candidate(s2).config(), dx4("dx4", "2001:db8:f::20")));
        a.commit(s2, null, null);
        AgentException e = expectError(() -> a.commit(s1, null, null), AgentException.CONFLICT, "a conflicting commit");
        check(
                e.getMessage().contains("sid dx4")
                        && e.getMessage().contains("commit 2")
                        && e.getMessage().contains("bob"),
                "the conflict names the item, the commit and its user: " + e.getMessage());
        equal(a.running().config().sids(), List.of(dx4("dx4", "2001:db8:f::20")), "the refused commit changed nothing");
        a.discard(s1);
        a.edit(s1, withSid(a.candidate(s1).config(), dx4("dx4", "2001:db8:f::30")));
        a.commit(s1, null, null);
        equal(a.running().config().sids(), List.of(dx4("dx4", "2001:db8:f::30")), "after discard the edit lands");
    }

    private static void invalid(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        equal(forward(f), 1, "the base configuration forwards");
        String s = a.openSession("alice");
        DataplaneConfig c = a.candidate(s).config();
        DataplaneConfig.Sid bad = new DataplaneConfig.Sid(
                "bad",
                Addresses.parse6("2001:db8:f::66"),
                "End.DX4",
                Map.of("nh", DataplaneConfig.Arg.of(Addresses.parse("2001:db8::1"))));
        a.edit(s, withSid(c, bad));
        AgentException e =
                expectError(() -> a.commit(s, null, null), AgentException.INVALID, "an invalid configuration");
        check(e.getMessage().contains("bad"), "the refusal names the SID: " + e.getMessage());
        equal(a.running().config(), BASE, "refused: the running configuration is unchanged");
        equal(a.running().generation(), 1L, "refused: no new generation");
        equal(a.commits().size(), 1, "refused: no commit in the history");
        equal(forward(f), 1, "refused: the old configuration forwards");
    }

    private static void noChanges(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        String s = a.openSession("alice");
        expectError(() -> a.commit(s, null, null), AgentException.NO_CHANGES, "a commit without changes");
        a.edit(s, a.candidate(s).config());
        expectError(() -> a.commit(s, null, null), AgentException.NO_CHANGES, "a commit of an unchanged candidate");
    }

    private static void unknownSession(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        expectError(() -> a.candidate("nope"), AgentException.NO_SESSION, "candidate of an unknown session");
        expectError(() -> a.edit("nope", BASE), AgentException.NO_SESSION, "edit of an unknown session");
        expectError(() -> a.commit("nope", null, null), AgentException.NO_SESSION, "commit of an unknown session");
        String s = a.openSession("alice");
        a.closeSession(s);
        expectError(() -> a.diff(s), AgentException.NO_SESSION, "diff of a closed session");
        a.closeSession(s); // closing again does nothing
    }

    private static void discard(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        String s = a.openSession("alice");
        a.edit(s, withSid(a.candidate(s).config(), dx4("dx4", "2001:db8:f::10")));
        a.discard(s);
        equal(a.diff(s), List.of(), "discard: no changes left");
        equal(a.candidate(s).config(), BASE, "discard: the candidate is the running configuration");
    }

    private static void state(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        equal(forward(f), 1, "a frame forwarded");
        Counters c = a.counters();
        equal(
                c.ports().stream().map(Counters.PortStats::iface).toList(),
                List.of("inside", "transit"),
                "counters: per interface");
        equal(c.port("inside").rxPackets(), 1L, "counters: inside received the frame");
        equal(c.port("transit").txPackets(), 1L, "counters: transit sent it");
        check(c.node("ip4-lookup").packets() >= 1, "counters: per node");
        List<FibEntry> fib = a.fib();
        check(
                fib.stream()
                        .anyMatch(e ->
                                e.prefix().equals("0.0.0.0/0") && e.result().contains("transit")),
                "fib: the default route out of transit: " + fib);
        List<NeighborEntry> n = a.neighbors();
        check(
                n.stream()
                        .anyMatch(e -> Addresses.format(e.address()).equals("198.51.100.2")
                                && e.state() == NeighborEntry.State.PERMANENT
                                && PEER_MAC.equals(e.mac())),
                "neighbors: the static neighbor, permanent: " + n);
    }

    private static void traceLive(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        CompletableFuture<Traces> t = CompletableFuture.supplyAsync(() -> {
            try {
                return a.trace(1, Duration.ofSeconds(30));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        // the trace arms itself first; frames keep coming until it has one
        for (int i = 0; i < 3000 && !t.isDone(); i++) {
            f.send("inside", udp4("192.0.2.10", "203.0.113.5", 64));
            Thread.sleep(10);
        }
        Traces traces = t.get(30, TimeUnit.SECONDS);
        check(!traces.live().isEmpty(), "trace: a live packet: " + traces);
        PacketTrace p = traces.live().getFirst();
        equal(p.rxInterface(), "inside", "trace: the interface it came in on");
        check(p.nodes().contains("ip4-lookup"), "trace: the nodes it went through: " + p.nodes());
        equal(traces.replayed(), List.of(), "trace: nothing replayed when enough came live");
    }

    private static void traceReplayed(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        f.send("inside", udp4("192.0.2.10", "203.0.113.5", 64));
        f.send("inside", udp4("192.0.2.10", "203.0.113.6", 64));
        f.sent("transit");
        Traces traces = a.trace(2, Duration.ZERO);
        equal(traces.live(), List.of(), "trace: nothing live when nothing comes");
        equal(traces.replayed().size(), 2, "trace: the last packets received, replayed: " + traces);
        check(
                traces.replayed().get(1).toString().contains("203.0.113.6"),
                "trace: replayed oldest first: " + traces.replayed());
        equal(f.sent("transit"), List.of(), "trace: a replay sends nothing on the router's interfaces");
        expectError(() -> a.trace(0, Duration.ZERO), AgentException.BAD_REQUEST, "a trace of 0 packets");
    }

    private static void capture(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        String all = a.captureStart(null);
        String inside = a.captureStart("inside");
        f.send("inside", udp4("192.0.2.10", "203.0.113.5", 100));
        byte[] head = a.captureRead(all, 10);
        equal(head.length, 10, "capture read: at most what was asked");
        CaptureSummary s = a.captureStop(all);
        equal(s.frames(), 2L, "capture of every interface: the frame received and the one sent");
        equal(s.dropped(), 0L, "capture: nothing dropped");
        byte[] rest = readAll(a, all);
        byte[] pcap = new byte[head.length + rest.length];
        System.arraycopy(head, 0, pcap, 0, head.length);
        System.arraycopy(rest, 0, pcap, head.length, rest.length);
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.nativeOrder());
        equal(Integer.toHexString(b.getInt(0)), "a1b23c4d", "capture: a nanosecond pcap stream");
        equal(b.getInt(20), 1, "capture: Ethernet");
        equal(records(pcap), 2, "capture: two records");
        equal(a.captureRead(all, 1000).length, 0, "capture: a stopped capture read to the end gives nothing");
        f.send("transit", udp4("198.51.100.2", "192.0.2.10", 80));
        CaptureSummary si = a.captureStop(inside);
        equal(si.frames(), 2L, "capture of inside: what it received and what it sent");
        equal(records(readAll(a, inside)), 2, "capture of inside: two records");
        expectError(() -> a.captureStart("nope"), AgentException.BAD_REQUEST, "a capture of an unknown interface");
        expectError(() -> a.captureRead("nope", 10), AgentException.BAD_REQUEST, "reading an unknown capture");
    }

    private static void badRequests(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        String s = a.openSession("alice");
        expectError(() -> a.edit(s, null), AgentException.BAD_REQUEST, "edit without a configuration");
        expectError(() -> a.commit(s, null, Duration.ZERO), AgentException.BAD_REQUEST, "commit confirmed 0");
        expectError(() -> a.rollback(s, 0, null), AgentException.BAD_REQUEST, "rollback 0");
        expectError(() -> a.openSession(""), AgentException.BAD_REQUEST, "a session without a user");
    }

    private static void restart(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        String s = a.openSession("alice");
        a.edit(s, withSid(a.candidate(s).config(), dx4("dx4", "2001:db8:f::10")));
        a.commit(s, "add dx4", null);
        List<CommitInfo> before = a.commits();
        ConfigView running = a.running();
        if (!f.restart()) {
            return;
        }
        RouterAgent b = f.agent();
        equal(b.commits(), before, "restart: the history is kept");
        equal(b.running(), running, "restart: the running configuration is kept");
        check(b.fib().stream().anyMatch(e -> e.result().contains("dx4")), "restart: the data plane runs it again");
        expectError(() -> b.diff(s), AgentException.NO_SESSION, "restart: sessions do not survive");
        equal(forward(f), 1, "restart: it forwards");
    }

    private static void restartPending(Fixture f) throws Exception {
        base(f);
        RouterAgent a = f.agent();
        String s = a.openSession("alice");
        a.edit(s, withSid(a.candidate(s).config(), dx4("dx4", "2001:db8:f::10")));
        a.commit(s, "try dx4", Duration.ofMinutes(5));
        if (!f.restart()) {
            return;
        }
        RouterAgent b = f.agent();
        equal(b.running().config(), BASE, "restart: a commit still pending is rolled back");
        List<CommitInfo> h = b.commits();
        equal(h.size(), 3, "restart: the rollback is recorded: " + h);
        equal(h.get(0).user(), "system", "restart: rolled back by system");
        equal(h.get(1).status(), CommitInfo.ROLLED_BACK, "restart: the pending commit is rolled back");
        check(b.fib().stream().noneMatch(e -> e.result().contains("dx4")), "restart: the data plane runs the base");
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Commits {@link #BASE} as user {@code setup}: commit 1. */
    public static void base(Fixture f) throws Exception {
        RouterAgent a = f.agent();
        String s = a.openSession("setup");
        a.edit(s, BASE);
        CommitResult r = a.commit(s, "base", null);
        equal(r.id(), 1L, "the base configuration is the first commit");
        a.closeSession(s);
    }

    /** Sends one IPv4 packet from inside towards 203.0.113.5; returns the frames transit sent. */
    private static int forward(Fixture f) throws Exception {
        f.sent("transit");
        f.send("inside", udp4("192.0.2.10", "203.0.113.5", 64));
        return f.sent("transit").size();
    }

    private static byte[] readAll(RouterAgent a, String capture) throws AgentException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (true) {
            byte[] b = a.captureRead(capture, 4096);
            if (b.length == 0) {
                return out.toByteArray();
            }
            out.writeBytes(b);
        }
    }

    /** Records in a pcap stream (a whole one, or the rest after its 24-byte file header was read). */
    private static int records(byte[] pcap) {
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.nativeOrder());
        int at = b.getInt(0) == 0xa1b23c4d ? 24 : 0;
        int n = 0;
        while (at + 16 <= pcap.length) {
            at += 16 + b.getInt(at + 8);
            n++;
        }
        check(at == pcap.length, "capture: whole records, " + (pcap.length - at) + " bytes over");
        return n;
    }

    /**
     * An Ethernet frame to the router's {@code inside} MAC (or {@code transit}'s, for a source on
     * 198.51.100.0/24) holding an IPv4 UDP datagram of {@code size} bytes.
     */
    public static byte[] udp4(String src, String dst, int size) {
        int ipLen = Math.max(size, 28);
        ByteBuffer b = ByteBuffer.allocate(14 + ipLen);
        boolean fromTransit = src.startsWith("198.51.100.");
        putMac(b, fromTransit ? TRANSIT_MAC : INSIDE_MAC);
        putMac(b, fromTransit ? PEER_MAC : HOST_MAC);
        b.putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLen);
        b.putShort((short) 1).putShort((short) 0);
        b.put((byte) 64).put((byte) 17).putShort((short) 0);
        b.put(Addresses.parse(src).getAddress()).put(Addresses.parse(dst).getAddress());
        int sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += b.getShort(i) & 0xffff;
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        b.putShort(24, (short) ~sum);
        b.putShort((short) 5000)
                .putShort((short) 6000)
                .putShort((short) (ipLen - 20))
                .putShort((short) 0);
        return b.array();
    }

    private static void putMac(ByteBuffer b, MacAddress m) {
        for (int i = 5; i >= 0; i--) {
            b.put((byte) (m.value() >>> (8 * i)));
        }
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    private static AgentException expectError(Call call, String code, String what) throws Exception {
        try {
            call.run();
        } catch (AgentException e) {
            if (!code.equals(e.code())) {
                throw new AssertionError(
                        what + ": expected an error '" + code + "', got '" + e.code() + "': " + e.getMessage(), e);
            }
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError(what + ": the error '" + code + "' says nothing");
            }
            return e;
        }
        throw new AssertionError(what + ": expected an error '" + code + "', but it succeeded");
    }

    private static void equal(Object actual, Object expected, String what) {
        if (!Objects.equals(actual, expected)) {
            throw new AssertionError(what + ": expected <" + expected + "> but was <" + actual + ">");
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
