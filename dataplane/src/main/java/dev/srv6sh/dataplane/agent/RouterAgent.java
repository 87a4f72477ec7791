package dev.srv6sh.dataplane.agent;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import java.time.Duration;
import java.util.List;

/**
 * Everything the rest of the system may do to one router, as JShell's {@code ExecutionControl} is
 * everything the tool may do to its engine: one interface, an in-process implementation ({@code
 * EngineAgent}: the local backend's routers and the router daemon) and a remote one (the SSH
 * transport: {@link AgentProtocol} carries each call as a JSON request naming the method, and its
 * answer or refusal as a JSON reply). Requests and replies are plain records of this package and of {@code
 * dataplane.config}; nothing of the engine crosses.
 *
 * <p><b>The commit model</b> (IOS-XR's and Junos's): the running configuration has a generation
 * number. Each session holds a candidate: the running configuration as of when the session started
 * editing, plus its changes. {@link #commit} applies the session's changes (by item: an interface, a
 * route, a neighbor, a SID, a policy, a steering rule, the encapsulation, the SR domain) on top of the
 * running configuration, validates the result in the data plane and swaps it in between vectors; a
 * change to an item another commit changed since the session started editing is refused, naming the
 * item. A {@code confirmWithin} commit is rolled back by itself unless {@link #confirm} comes in
 * time. Every commit is kept in the history ({@link #commits}), which survives a restart where the
 * agent has a directory to keep it in.
 */
public interface RouterAgent {

    /** The router: its name, interfaces, and the behaviors its data plane supports with their parameters. */
    Descriptor describe() throws AgentException;

    /** Opens a session for {@code user}; its candidate starts as the running configuration. */
    String openSession(String user) throws AgentException;

    /** Closes a session, discarding its candidate. Closing an unknown session does nothing. */
    void closeSession(String session) throws AgentException;

    /** The configuration in force and its generation (0 and an empty configuration before the first commit). */
    ConfigView running() throws AgentException;

    /** The session's candidate, with the generation it was started from. */
    ConfigView candidate(String session) throws AgentException;

    /** Replaces the session's candidate (validated only at commit). Returns the candidate now held. */
    ConfigView edit(String session, DataplaneConfig candidate) throws AgentException;

    /** What committing the session's candidate would change, item by item, in configuration order. */
    List<Change> diff(String session) throws AgentException;

    /**
     * Commits the session's changes; with {@code confirmWithin} non-null, the commit is undone by
     * itself unless {@link #confirm} comes within that time. A commit with no changes is refused with
     * code {@code no-changes}.
     */
    CommitResult commit(String session, String comment, Duration confirmWithin) throws AgentException;

    /** Confirms the pending {@code commit confirmed}. */
    CommitResult confirm(String session) throws AgentException;

    /**
     * Restores the running configuration as it was {@code steps} commits ago (1: before the last
     * commit), as a new commit; the session's candidate becomes the new running configuration.
     */
    CommitResult rollback(String session, int steps, String comment) throws AgentException;

    /** Throws the session's changes away: its candidate becomes the running configuration. */
    void discard(String session) throws AgentException;

    /** The commit history, newest first. */
    List<CommitInfo> commits() throws AgentException;

    /** A snapshot of the data plane's counters (runtime, errors, interfaces, SIDs, neighbor discovery). */
    Counters counters() throws AgentException;

    /** The forwarding table in force. */
    List<FibEntry> fib() throws AgentException;

    /** The neighbor table: static entries and what ARP and ND resolved or are resolving. */
    List<NeighborEntry> neighbors() throws AgentException;

    /**
     * Traces the next {@code count} packets through the graph, waiting up to {@code wait} for them;
     * when fewer arrive, the most recent packets the router received are run again, traced, on a copy
     * of its data plane with the same configuration, and reported as replayed.
     */
    Traces trace(int count, Duration wait) throws AgentException, InterruptedException;

    /**
     * Starts capturing what {@code iface} (null: every interface) receives and transmits, as a pcap
     * stream (Ethernet, nanosecond timestamps). Returns the capture's id.
     */
    String captureStart(String iface) throws AgentException;

    /** The next bytes of the capture's pcap stream (at most {@code max}); empty when none are waiting. */
    byte[] captureRead(String capture, int max) throws AgentException;

    /** Stops a capture; what it had not handed out yet stays readable with {@link #captureRead} until empty. */
    CaptureSummary captureStop(String capture) throws AgentException;
}
