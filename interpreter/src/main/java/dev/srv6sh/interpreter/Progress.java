package dev.srv6sh.interpreter;

import java.time.Duration;

/**
 * Progress of long operations ({@code apply}, {@code destroy}, {@code ping}, {@code measure}) as
 * events a shell renders: a bar on a terminal, one line per finished operation in a batch log.
 * Events arrive on the interpreter's thread, or for PROGRESS on a timer thread; a listener must be
 * quick and thread-safe.
 */
@FunctionalInterface
public interface Progress {
    void event(Event e);

    /** Ignores everything. */
    Progress NONE = e -> {};

    enum Kind {
        STARTED,
        PROGRESS,
        FINISHED,
        /** The operation ended with an error (reported on its own) or was cancelled. */
        FAILED
    }

    /**
     * One event. {@code operation} names it as the script does ({@code measure rtt pc -> lc});
     * {@code fraction} is 0..1 (estimated from the time an operation takes, where it has a known
     * length), {@code expected} that length or null; {@code summary} the finished result, one line.
     * A measurement's {@code elapsed}, {@code expected} and {@code fraction} are on its deployment's
     * clock: on the local backend the emulation's virtual time (a 20 s flow is 20 s there, however
     * long it takes to compute), elsewhere real time; PROGRESS events come every 100 ms of real time.
     */
    record Event(Kind kind, String operation, double fraction, Duration elapsed, Duration expected, String summary) {}
}
