package dev.srv6sh.dataplane.agent;

/**
 * A request the agent refused or could not carry out: a {@code code} a program can test (see the
 * constants) and a message for a person, naming what was wrong.
 */
public class AgentException extends Exception {
    /** The session is not open (never was, closed, or the daemon restarted). */
    public static final String NO_SESSION = "no-session";
    /** The data plane rejected the configuration; the running one stays in force. */
    public static final String INVALID = "invalid";
    /** An item this session changed was changed by another commit since the session started editing. */
    public static final String CONFLICT = "conflict";
    /** There is nothing to commit. */
    public static final String NO_CHANGES = "no-changes";
    /** No such commit, capture or interface; an argument out of range. */
    public static final String BAD_REQUEST = "bad-request";
    /** The router could not be reached or answered something that is not the protocol. */
    public static final String TRANSPORT = "transport";
    /** Anything else that failed inside the router. */
    public static final String INTERNAL = "internal";

    private final String code;

    public AgentException(String code, String message) {
        super(message);
        this.code = code;
    }

    public AgentException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
